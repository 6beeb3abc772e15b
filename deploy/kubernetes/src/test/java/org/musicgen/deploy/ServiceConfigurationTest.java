package org.musicgen.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.musicgen.deploy.validate.Resources;
import org.musicgen.deploy.validate.ServiceConfiguration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration the manifests set is configuration the services read, as their own classes declare it. */
class ServiceConfigurationTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyVariableIsAPropertyTheServiceReads(String overlay) {
        assertEquals(List.of(), Overlays.serviceConfiguration().check(Overlays.render(overlay)));
    }

    @Test
    void everyDeployedServiceIsOnTheClassPathWithItsOwnProperties() {
        assertEquals(Set.copyOf(Overlays.SERVICES), Overlays.services().keySet());
        Map<String, String> trainer = Overlays.knownProperties().get("trainer-service");
        assertTrue(trainer.keySet().containsAll(Set.of("musicgen.trainer.concurrency", "musicgen.trainer.cpu-threads",
                "musicgen.trainer.default-lstm-epochs", "musicgen.storage.access-key", "musicgen.storage.endpoint",
                "musicgen.api.key", "kafka.bootstrap.servers", "quarkus.log.level")), trainer.keySet().toString());
        assertTrue(!trainer.containsKey("musicgen.ingest.max-upload-size"), "another service's mapping");
        assertEquals("BUILD_AND_RUN_TIME_FIXED", trainer.get("quarkus.application.name"), "from the Quarkus config model");
    }

    /** Read by SmallRye Config itself from this test's classes: kebab-case, renames, groups, maps, injection points. */
    @ConfigMapping(prefix = "demo.app")
    interface Demo {
        @WithDefault("1")
        int maxRetries();

        @WithName("url")
        String endpointUrl();

        Optional<Duration> timeout();

        Map<String, Limit> limits();

        Nested nested();

        @WithParentName
        Flat flat();

        interface Nested {
            boolean httpTwoEnabled();
        }

        interface Limit {
            long bytes();
        }

        interface Flat {
            String region();
        }
    }

    static final class Injected {
        Injected(@ConfigProperty(name = "demo.plain") String plain) {
        }
    }

    @Test
    void namesComeFromSmallRyeConfigAndTheClassFiles() {
        Set<String> declared = ClassPathServices.declared(ClassPathServices.root(getClass()),
                getClass().getClassLoader());
        assertEquals(Set.of("demo.app.max-retries", "demo.app.url", "demo.app.timeout",
                "demo.app.limits.*.bytes", "demo.app.nested.http-two-enabled", "demo.app.region", "demo.plain"),
                declared);
    }

    @Test
    void catchesUnknownMisspelledAndBuildTimeProperties() {
        List<ObjectNode> rs = Overlays.copy("dev");
        ObjectNode data = (ObjectNode) Resources.find(rs, "ConfigMap", "musicgen", "trainer-service-config").get("data");
        data.put("MUSICGEN_TRAINER_DEVISE", "gpu");                 // typo
        data.put("MUSICGEN_INGEST_MAX_UPLOAD_SIZE", "1M");          // another service's property
        data.put("QUARKUS_APPLICATION_NAME", "x");                  // fixed at build time
        data.put("QUARKUS_LOG_CONSOLE_JSON", "true");               // extension the service does not have
        data.put("SOME_TOOL_SETTING", "1");                         // no property, no known runtime variable
        data.put("MUSICGEN_TRAINER_CONCURRENCY", "2");              // fine
        List<String> problems = Overlays.serviceConfiguration().check(rs);
        for (String expected : List.of("MUSICGEN_TRAINER_DEVISE", "MUSICGEN_INGEST_MAX_UPLOAD_SIZE",
                "QUARKUS_APPLICATION_NAME", "QUARKUS_LOG_CONSOLE_JSON", "SOME_TOOL_SETTING")) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(expected + " ")), expected + " in " + problems);
        }
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("fixed at build time")), problems.toString());
    }

    @Test
    void aDeployedServiceThatIsNotOnTheClassPathFails() {
        List<ObjectNode> rs = Overlays.copy("dev");
        ((ObjectNode) Resources.find(rs, "Deployment", "musicgen", "ingest-service").at("/spec/template/spec/containers/0"))
                .put("name", "mixing-service").put("image", "musicgen/mixing-service:1");
        assertTrue(Overlays.serviceConfiguration().check(rs).stream()
                .anyMatch(p -> p.contains("mixing-service") && p.contains("no service of that name")));
    }

    @Test
    void environmentVariableRule() {
        ServiceConfiguration s = new ServiceConfiguration(Map.of("demo", Map.of("musicgen.storage.access-key", "RUN_TIME",
                "demo.limits.*.bytes", "RUN_TIME", "quarkus.http.auth.\"role\".roles", "RUN_TIME", "demo.list[*].x", "RUN_TIME")));
        assertNull(s.checkVariable("demo", "MUSICGEN_STORAGE_ACCESS_KEY"));
        assertNull(s.checkVariable("demo", "DEMO_LIMITS_UPLOADS_BYTES"));
        assertNull(s.checkVariable("demo", "QUARKUS_HTTP_AUTH_ADMIN_ROLES"));
        assertNull(s.checkVariable("demo", "DEMO_LIST_0__X"));
        assertNull(s.checkVariable("demo", "JAVA_TOOL_OPTIONS"));
        assertTrue(s.checkVariable("demo", "MUSICGEN_STORAGE_ACCESSKEY").contains("is no configuration"));
    }
}
