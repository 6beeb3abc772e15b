package org.musicgen.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.musicgen.deploy.validate.ConfigCatalog;
import org.musicgen.deploy.validate.Resources;
import org.musicgen.deploy.validate.ServiceConfiguration;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration the manifests set is configuration the services read, checked against their sources. */
class ServiceConfigurationTest {

    private static final ConfigCatalog CATALOG = ConfigCatalog.fromClassPath(ServiceConfigurationTest.class.getClassLoader());

    private static ServiceConfiguration checker() {
        return new ServiceConfiguration(Overlays.project(), CATALOG);
    }

    private static boolean missingModule(String problem) {
        return problem.contains("has no module");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyVariableIsAPropertyTheServiceReads(String overlay) {
        List<String> problems = checker().check(Overlays.render(overlay)).stream()
                .filter(p -> !missingModule(p)).toList();
        assertEquals(List.of(), problems);
    }

    /** Fails until every deployed service exists as a module: its configuration cannot be checked before. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyDeployedServiceIsAModuleOfTheRepository(String overlay) {
        assertEquals(List.of(), checker().check(Overlays.render(overlay)).stream()
                .filter(ServiceConfigurationTest::missingModule).toList());
    }

    @Test
    void readsMappingsOfTheServiceAndOfTheModulesItUses() {
        Set<String> trainer = Set.copyOf(checker().knownProperties("trainer-service").stream()
                .map(ServiceConfiguration.Known::property).toList());
        assertTrue(trainer.containsAll(Set.of("musicgen.trainer.concurrency", "musicgen.trainer.cpu-threads",
                "musicgen.trainer.default-lstm-epochs", "musicgen.storage.access-key", "musicgen.storage.endpoint",
                "kafka.bootstrap.servers", "quarkus.log.level")), trainer.toString());
        assertFalse(trainer.contains("musicgen.ingest.max-upload-size"), "another service's mapping");
        assertFalse(CATALOG.isEmpty(), "the Quarkus config model is on the test class path");
    }

    @Test
    void parsesNestedGroupsMapsAndRenames(@org.junit.jupiter.api.io.TempDir java.nio.file.Path src) throws Exception {
        Files.writeString(src.resolve("Cfg.java"), """
                package x;
                /** Doc with an interface word and a method() ; in it. */
                @ConfigMapping(prefix = "demo.app")
                public interface Cfg {
                    @WithDefault("1") int maxRetries();          // -> max-retries
                    @WithName("url") String endpointUrl();
                    Optional<Duration> timeout();
                    Map<String, Limit> limits();
                    Nested nested();
                    @WithParentName Flat flat();
                    default int twice() { return maxRetries() * 2; }
                    interface Nested { boolean httpTwoEnabled(); }
                    interface Limit { long bytes(); }
                }
                interface Flat { String region(); }
                class Other { @ConfigProperty(name = "demo.plain") String plain; }
                """);
        assertEquals(Set.of("demo.app.max-retries", "demo.app.url", "demo.app.timeout", "demo.app.limits.*.bytes",
                "demo.app.nested.http-two-enabled", "demo.app.region", "demo.plain"),
                ServiceConfiguration.sourceProperties(List.of(src)));
    }

    @Test
    void aPropertyThatNothingReadsIsCaught(@org.junit.jupiter.api.io.TempDir java.nio.file.Path src) throws Exception {
        Files.writeString(src.resolve("Cfg.java"), """
                package x;
                @ConfigMapping(prefix = "demo")
                public interface Cfg {
                    @WithDefault("1") int retries();
                    @WithDefault("0") int cpuThreads();      // declared, documented, read by nobody
                    Optional<Duration> timeout();
                    String region();
                    int port();
                    default String where() { return region() + ":" + port(); }
                }
                """);
        Files.writeString(src.resolve("User.java"), """
                package x;
                class User {
                    User(Cfg cfg) {
                        int n = cfg.retries();
                        java.util.function.Supplier<?> t = cfg::timeout;
                        System.out.println(cfg.where());
                    }
                }
                """);
        assertEquals(Set.of("demo.cpu-threads"), ServiceConfiguration.unreadProperties(List.of(src)));
        ServiceConfiguration.Known unread = new ServiceConfiguration.Known("demo.cpu-threads",
                java.util.regex.Pattern.compile("DEMO_CPU_THREADS"), null, false);
        String problem = checker().checkVariableForTest("trainer-service", "DEMO_CPU_THREADS", List.of(unread));
        assertTrue(problem != null && problem.contains("nothing in it reads"), problem);
    }

    @Test
    void catchesUnknownMisspelledAndBuildTimeProperties() {
        List<ObjectNode> rs = Overlays.copy("dev");
        ObjectNode cm = (ObjectNode) Resources.find(rs, "ConfigMap", "musicgen", "trainer-service-config");
        ObjectNode data = (ObjectNode) cm.get("data");
        data.put("MUSICGEN_TRAINER_DEVISE", "gpu");                 // typo
        data.put("MUSICGEN_INGEST_MAX_UPLOAD_SIZE", "1M");          // another service's property
        data.put("QUARKUS_APPLICATION_NAME", "x");                  // fixed at build time
        data.put("QUARKUS_LOG_CONSOLE_JSON", "true");               // extension the service does not have
        data.put("SOME_TOOL_SETTING", "1");                         // no property, no known runtime variable
        data.put("MUSICGEN_TRAINER_CONCURRENCY", "2");              // fine
        List<String> problems = checker().check(rs).stream().filter(p -> !missingModule(p)).toList();
        for (String expected : List.of("MUSICGEN_TRAINER_DEVISE", "MUSICGEN_INGEST_MAX_UPLOAD_SIZE",
                "QUARKUS_APPLICATION_NAME", "QUARKUS_LOG_CONSOLE_JSON", "SOME_TOOL_SETTING")) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(expected + " ")), expected + " in " + problems);
        }
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("fixed at build time")), problems.toString());
    }

    @Test
    void aDeployedServiceWithoutItsModuleFails() {
        List<ObjectNode> rs = Overlays.copy("dev");
        ObjectNode c = (ObjectNode) Resources.find(rs, "Deployment", "musicgen", "ingest-service")
                .at("/spec/template/spec/containers/0");
        c.put("name", "mixing-service").put("image", "musicgen/mixing-service:1");
        assertTrue(checker().check(rs).stream().anyMatch(p -> p.contains("mixing-service") && missingModule(p)));
    }

    @Test
    void environmentVariableRule() {
        ServiceConfiguration s = checker();
        List<ServiceConfiguration.Known> known = List.of(
                new ServiceConfiguration.Known("musicgen.storage.access-key",
                        java.util.regex.Pattern.compile("MUSICGEN_STORAGE_ACCESS_KEY"), null));
        assertEquals(null, s.checkVariableForTest("ingest-service", "MUSICGEN_STORAGE_ACCESS_KEY", known));
        assertFalse(s.checkVariableForTest("ingest-service", "MUSICGEN_STORAGE_ACCESSKEY", known) == null);
    }
}
