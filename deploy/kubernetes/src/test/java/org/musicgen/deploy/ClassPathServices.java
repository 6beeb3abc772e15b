package org.musicgen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigMappings;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What the services on the test class path (test dependencies, classes only) say they can be configured with.
 * A service is a class-path root whose {@code application.properties} names it ({@code quarkus.application.name});
 * it knows the keys of that file (profiles stripped), the properties of the {@code @ConfigMapping} interfaces in
 * its classes and in the shared modules' (named by SmallRye Config itself), the {@code @ConfigProperty} injection
 * points there (read from the class files with Jandex), every Kafka client property ({@code kafka.*}, from
 * kafka-clients) and every {@code quarkus.*} property, with its phase, that the Quarkus extensions on the class
 * path document in their config model ({@code META-INF/quarkus-config-doc/quarkus-config-model.json}): the
 * extensions the services use are test dependencies of this module.
 */
final class ClassPathServices {

    private static final DotName CONFIG_MAPPING = DotName.createSimple("io.smallrye.config.ConfigMapping");
    private static final DotName CONFIG_PROPERTY = DotName.createSimple("org.eclipse.microprofile.config.inject.ConfigProperty");

    /** A service: its name, its application.properties, and every property its classes and the shared ones declare. */
    record Service(String name, Properties applicationProperties, Set<String> declared) {
    }

    private ClassPathServices() {
    }

    /** The services on the class path, each with the properties of its classes and of the shared roots. */
    static Map<String, Service> services(ClassLoader loader, List<Path> sharedRoots) {
        Set<String> shared = new LinkedHashSet<>();
        sharedRoots.forEach(root -> shared.addAll(declared(root, loader)));
        Map<String, Service> services = new LinkedHashMap<>();
        for (URL url : resources(loader, "application.properties")) {
            Properties props = new Properties();
            try (InputStream in = url.openStream()) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String name = props.getProperty("quarkus.application.name");
            if (name != null) {
                Set<String> declared = new LinkedHashSet<>(declared(root(url), loader));
                declared.addAll(shared);
                services.put(name, new Service(name, props, declared));
            }
        }
        return services;
    }

    /** Per service, every property it can be given, with its phase (null: any time). */
    static Map<String, Map<String, String>> knownProperties(Map<String, Service> services, ClassLoader loader) {
        Map<String, String> framework = new LinkedHashMap<>();
        kafkaClientProperties(loader).forEach(p -> framework.put(p, null));
        framework.putAll(quarkusProperties(loader));
        Map<String, Map<String, String>> known = new LinkedHashMap<>();
        services.forEach((name, s) -> {
            Map<String, String> k = new LinkedHashMap<>();
            s.applicationProperties().stringPropertyNames()
                    .forEach(key -> k.put(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key, null));
            s.declared().forEach(p -> k.put(p, null));
            // The Quarkus config model decides for quarkus.* names, also when application.properties sets them.
            k.putAll(framework);
            known.put(name, k);
        });
        return known;
    }

    /** The class-path root (a directory or a jar) a class comes from. */
    static Path root(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(type.getName(), e);
        }
    }

    /** The class-path root that holds a resource at its top level. */
    private static Path root(URL topLevelResource) {
        try {
            String s = topLevelResource.toString();
            return s.startsWith("jar:") ? Path.of(new URL(s.substring(4, s.indexOf("!/"))).toURI())
                    : Path.of(topLevelResource.toURI()).getParent();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalArgumentException(topLevelResource.toString(), e);
        }
    }

    /** Properties declared in the classes of one root: every {@code @ConfigMapping} property and {@code @ConfigProperty}. */
    static Set<String> declared(Path root, ClassLoader loader) {
        Index index = index(root);
        Set<String> out = new LinkedHashSet<>();
        for (AnnotationInstance mapping : index.getAnnotations(CONFIG_MAPPING)) {
            String type = mapping.target().asClass().name().toString();
            String prefix = mapping.value("prefix") == null ? "" : mapping.value("prefix").asString();
            try {
                Class<?> iface = Class.forName(type, false, loader);
                out.addAll(ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(iface, prefix)).keySet());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("cannot load the configuration mapping " + type, e);
            }
        }
        for (AnnotationInstance property : index.getAnnotations(CONFIG_PROPERTY)) {
            if (property.value("name") != null) {
                out.add(property.value("name").asString());
            }
        }
        return out;
    }

    private static Index index(Path root) {
        Indexer indexer = new Indexer();
        try {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                        try (InputStream in = Files.newInputStream(f)) {
                            indexer.index(in);
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    for (JarEntry e : Collections.list(jar.entries())) {
                        if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                indexer.index(in);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return indexer.complete();
    }

    /** Every {@code quarkus.*} property of the config models on the class path (map keys as {@code "placeholder"}), by phase. */
    static Map<String, String> quarkusProperties(ClassLoader loader) {
        Map<String, String> out = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        for (URL url : resources(loader, "META-INF/quarkus-config-doc/quarkus-config-model.json")) {
            try (InputStream in = url.openStream()) {
                for (JsonNode path : mapper.readTree(in).findParents("path")) {
                    String phase = path.path("phase").asText("RUN_TIME");
                    if (path.path("path").has("property")) {
                        out.put(path.at("/path/property").asText(), phase);
                        path.path("additionalPaths").findValuesAsText("property").forEach(p -> out.put(p, phase));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** {@code kafka.*} for every property of Kafka's consumer, producer and admin clients. */
    @SuppressWarnings("unchecked")
    static Set<String> kafkaClientProperties(ClassLoader loader) {
        Set<String> out = new LinkedHashSet<>();
        for (String type : List.of("org.apache.kafka.clients.consumer.ConsumerConfig",
                "org.apache.kafka.clients.producer.ProducerConfig", "org.apache.kafka.clients.admin.AdminClientConfig")) {
            try {
                ((Set<String>) Class.forName(type, false, loader).getMethod("configNames").invoke(null))
                        .forEach(n -> out.add("kafka." + n));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("kafka-clients (a test dependency) is not on the class path", e);
            }
        }
        return out;
    }

    private static List<URL> resources(ClassLoader loader, String name) {
        try {
            return Collections.list(loader.getResources(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
