package org.musicgen.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.musicgen.deploy.validate.CrossReferences;
import org.musicgen.deploy.validate.Kubectl;
import org.musicgen.deploy.validate.ServiceConfiguration;
import org.musicgen.platform.events.Topics;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.StorageConfig;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shared by the tests: where the repository is, the overlays as {@code kubectl kustomize} renders them (once
 * each), and what the platform itself says the manifests must serve: its topics and buckets (platform-common's
 * constants), the topics its services' configurations name, its services' configuration, and the Secrets
 * create-secrets.sh makes (run with {@code --dry-run=client}).
 */
final class Overlays {

    /** The services the manifests deploy; each must be on the class path (test dependencies in the pom). */
    static final List<String> SERVICES = List.of("ingest-service", "trainer-service", "generator-service",
            "evaluation-service");
    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();
    private static final Map<String, ClassPathServices.Service> CLASS_PATH_SERVICES = ClassPathServices.services(
            Overlays.class.getClassLoader(), List.of(ClassPathServices.root(StorageConfig.class)));
    private static final Map<String, Map<String, String>> KNOWN_PROPERTIES = ClassPathServices.knownProperties(
            CLASS_PATH_SERVICES, Overlays.class.getClassLoader());

    private Overlays() {
    }

    static Path manifests() {
        return Path.of(System.getProperty("musicgen.root", "../..")).toAbsolutePath().normalize()
                .resolve("deploy/kubernetes");
    }

    static Path overlay(String name) {
        return manifests().resolve("overlays").resolve(name);
    }

    static List<ObjectNode> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> Kubectl.kustomize(overlay(o)));
    }

    /** Fresh copies, for tests that break them. */
    static List<ObjectNode> copy(String overlay) {
        return render(overlay).stream().map(ObjectNode::deepCopy).toList();
    }

    static Map<String, ClassPathServices.Service> services() {
        return CLASS_PATH_SERVICES;
    }

    static ServiceConfiguration serviceConfiguration() {
        return new ServiceConfiguration(KNOWN_PROPERTIES);
    }

    /** Per service, every property it can be given, with its phase. */
    static Map<String, Map<String, String>> knownProperties() {
        return KNOWN_PROPERTIES;
    }

    /** What the platform says the manifests must serve; gathered once (create-secrets.sh runs kubectl three times). */
    static CrossReferences.Expectations expectations() {
        return Gathered.EXPECTATIONS;
    }

    private static final class Gathered {
        static final CrossReferences.Expectations EXPECTATIONS = gather();
    }

    private static CrossReferences.Expectations gather() {
        Set<String> topics = new LinkedHashSet<>(constants(Topics.class));
        for (ClassPathServices.Service s : services().values()) {
            for (String key : s.applicationProperties().stringPropertyNames()) {
                String topic = s.applicationProperties().getProperty(key);
                if (key.startsWith("mp.messaging.") && key.endsWith(".topic") && !topic.endsWith(".dlq")) {
                    topics.add(topic);
                }
            }
        }
        return new CrossReferences.Expectations(handMadeSecrets(), topics, new LinkedHashSet<>(Buckets.ALL));
    }

    /** The Secrets create-secrets.sh makes, by name, with their keys. */
    static Map<String, Set<String>> handMadeSecrets() {
        Kubectl.executable(System.getenv().getOrDefault("PATH", "")); // the script needs kubectl: say so if absent
        String json = Kubectl.exec(List.of("bash", manifests().resolve("create-secrets.sh").toString(),
                "--dry-run=client", "-o", "json"));
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        for (ObjectNode secret : Kubectl.readYaml(json)) {
            Set<String> keys = new LinkedHashSet<>();
            secret.path("data").fieldNames().forEachRemaining(keys::add);
            secrets.put(secret.at("/metadata/name").asText(), keys);
        }
        return secrets;
    }

    /** The values of a class's public static String constants. */
    static Set<String> constants(Class<?> type) {
        Set<String> values = new LinkedHashSet<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    values.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }
}
