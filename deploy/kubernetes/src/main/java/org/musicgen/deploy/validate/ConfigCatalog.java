package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The framework properties a service may be given: every {@code quarkus.*} property (with its phase) that the
 * Quarkus extensions on the class path document in their config model
 * ({@code META-INF/quarkus-config-doc/quarkus-config-model.json}), and every Kafka client property
 * ({@code kafka.*}) that kafka-clients defines. Without those on the class path the catalog is empty and only
 * the services' own properties count as known.
 */
public final class ConfigCatalog {

    /** Property name (Quarkus templates keep their {@code "placeholder"} map keys) to phase. */
    private final Map<String, String> quarkus;
    private final Set<String> kafka;

    private ConfigCatalog(Map<String, String> quarkus, Set<String> kafka) {
        this.quarkus = quarkus;
        this.kafka = kafka;
    }

    public static ConfigCatalog fromClassPath(ClassLoader loader) {
        Map<String, String> quarkus = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        try {
            for (URL url : Collections.list(loader.getResources("META-INF/quarkus-config-doc/quarkus-config-model.json"))) {
                try (InputStream in = url.openStream()) {
                    collect(mapper.readTree(in), quarkus);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> kafka = new LinkedHashSet<>();
        for (String type : List.of("org.apache.kafka.clients.consumer.ConsumerConfig",
                "org.apache.kafka.clients.producer.ProducerConfig", "org.apache.kafka.clients.admin.AdminClientConfig")) {
            try {
                @SuppressWarnings("unchecked")
                Set<String> names = (Set<String>) Class.forName(type, false, loader).getMethod("configNames").invoke(null);
                names.forEach(n -> kafka.add("kafka." + n));
            } catch (ReflectiveOperationException | LinkageError e) {
                // kafka-clients not on the class path: no kafka.* property beyond the service's own is known
            }
        }
        return new ConfigCatalog(quarkus, kafka);
    }

    public static ConfigCatalog empty() {
        return new ConfigCatalog(Map.of(), Set.of());
    }

    private static void collect(JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            JsonNode path = node.path("path");
            if (path.isObject() && path.has("property")) {
                out.put(path.get("property").asText(), node.path("phase").asText("RUN_TIME"));
                for (JsonNode alias : node.path("additionalPaths")) {
                    if (alias.has("property")) {
                        out.put(alias.get("property").asText(), node.path("phase").asText("RUN_TIME"));
                    }
                }
            }
            node.forEach(child -> collect(child, out));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, out));
        }
    }

    public Map<String, String> quarkusProperties() {
        return quarkus;
    }

    public Set<String> kafkaProperties() {
        return kafka;
    }

    public boolean isEmpty() {
        return quarkus.isEmpty();
    }

    List<String> names() {
        List<String> all = new ArrayList<>(quarkus.keySet());
        all.addAll(kafka);
        return all;
    }
}
