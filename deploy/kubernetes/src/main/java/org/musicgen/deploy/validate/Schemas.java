package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every rendered object against the schema of its kind, offline; a kind without one is an error.
 * <ul>
 *   <li>Kubernetes objects: the models of the official Java client ({@code io.kubernetes:client-java-api}) are
 *       generated from the Kubernetes 1.32 OpenAPI schema and check a document strictly (unknown fields, missing
 *       required fields, a list where an object belongs); binding it then catches wrong scalar types.</li>
 *   <li>Strimzi resources: Strimzi's own API model ({@code io.strimzi:api}, which its CRD schemas are generated
 *       from). Binding catches wrong types and unknown enum values or {@code type}s; as the model keeps unknown
 *       fields instead of refusing them, the bound objects are walked for fields that landed in
 *       {@code additionalProperties}, and for absent properties it marks {@code required}.</li>
 * </ul>
 */
public final class Schemas {

    /** The Kubernetes kinds the manifests may use, with the one API version each is checked against. */
    static final Map<String, String> KUBERNETES = Map.ofEntries(
            Map.entry("Namespace", "v1"), Map.entry("ConfigMap", "v1"), Map.entry("Secret", "v1"),
            Map.entry("Service", "v1"), Map.entry("ServiceAccount", "v1"), Map.entry("PersistentVolumeClaim", "v1"),
            Map.entry("Deployment", "apps/v1"), Map.entry("StatefulSet", "apps/v1"), Map.entry("DaemonSet", "apps/v1"),
            Map.entry("Job", "batch/v1"), Map.entry("CronJob", "batch/v1"),
            Map.entry("HorizontalPodAutoscaler", "autoscaling/v2"), Map.entry("PodDisruptionBudget", "policy/v1"),
            Map.entry("NetworkPolicy", "networking.k8s.io/v1"), Map.entry("Ingress", "networking.k8s.io/v1"),
            Map.entry("Role", "rbac.authorization.k8s.io/v1"), Map.entry("RoleBinding", "rbac.authorization.k8s.io/v1"));
    static final Map<String, Class<?>> STRIMZI = Map.of(
            "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class, "KafkaTopic", KafkaTopic.class);
    static final String STRIMZI_API_VERSION = "kafka.strimzi.io/v1beta2";

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private Schemas() {
    }

    public static List<String> validate(List<? extends JsonNode> resources) {
        List<String> problems = new ArrayList<>();
        for (JsonNode r : resources) {
            String apiVersion = r.path("apiVersion").asText();
            if (apiVersion.contains(".strimzi.io/")) {
                strimzi(r, Resources.id(r), problems);
            } else if (KUBERNETES.containsKey(Resources.kind(r))) {
                kubernetes(r, Resources.id(r), problems);
            } else {
                problems.add(Resources.id(r) + ": no schema known for " + apiVersion + " " + Resources.kind(r)
                        + " (add it to Schemas)");
            }
        }
        return problems;
    }

    private static void kubernetes(JsonNode resource, String id, List<String> problems) {
        String kind = Resources.kind(resource);
        String expected = KUBERNETES.get(kind);
        if (!expected.equals(resource.path("apiVersion").asText())) {
            problems.add(id + ": " + kind + " must use apiVersion " + expected + ", not " + resource.path("apiVersion").asText());
            return;
        }
        String version = expected.substring(expected.indexOf('/') + 1);
        String json = resource.toString();
        try {
            Class<?> model = Class.forName("io.kubernetes.client.openapi.models."
                    + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind);
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, JsonParser.parseString(json));
            JSON.deserialize(json, model);
        } catch (InvocationTargetException e) {
            problems.add(id + ": " + shorten(e.getCause().getMessage()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no schema model for " + kind, e);
        } catch (RuntimeException e) {
            problems.add(id + ": " + shorten(e.getMessage()));
        }
    }

    private static void strimzi(JsonNode resource, String id, List<String> problems) {
        Class<?> model = STRIMZI.get(Resources.kind(resource));
        if (model == null || !STRIMZI_API_VERSION.equals(resource.path("apiVersion").asText())) {
            problems.add(id + ": no Strimzi schema for " + resource.path("apiVersion").asText() + " " + Resources.kind(resource)
                    + " (known: " + STRIMZI.keySet() + " in " + STRIMZI_API_VERSION + ")");
            return;
        }
        if (!resource.path("spec").isObject()) {
            problems.add(id + ": spec is required");
            return;
        }
        try {
            Object bound = STRICT.treeToValue(resource, model);
            Map<Object, Boolean> seen = new IdentityHashMap<>();
            walk(model.getMethod("getMetadata").invoke(bound), "metadata", id, problems, seen);
            walk(model.getMethod("getSpec").invoke(bound), "spec", id, problems, seen);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            problems.add(id + ": " + shorten(e.getMessage()));
        }
    }

    /** Reports unknown fields ({@code additionalProperties}) and absent required ones of a bound Strimzi object. */
    private static void walk(Object value, String path, String id, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                walk(item, path + "[" + i++ + "]", id, problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), id, problems, seen);
            }
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.strimzi.api") && !pkg.startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        // The properties as Jackson sees them (names, @JsonIgnore, required), and the any-getter of unknown fields.
        BeanDescription bean = STRICT.getSerializationConfig().introspect(STRICT.constructType(value.getClass()));
        if (bean.findAnyGetter() != null && bean.findAnyGetter().getValue(value) instanceof Map<?, ?> extra) {
            extra.keySet().forEach(key -> problems.add(id + ": unknown field " + path + "." + key));
        }
        for (BeanPropertyDefinition property : bean.findProperties()) {
            if (property.hasGetter()) {
                Object child = property.getGetter().getValue(value);
                if (property.isRequired() && child == null) {
                    problems.add(id + ": missing required field " + path + "." + property.getName());
                }
                walk(child, path + "." + property.getName(), id, problems, seen);
            }
        }
    }

    /** The client's messages append the whole offending JSON; keep the first part. */
    private static String shorten(String message) {
        String m = String.valueOf(message);
        m = m.contains(". JSON: ") ? m.substring(0, m.indexOf(". JSON: ")) : m;
        return m.length() > 400 ? m.substring(0, 400) + "..." : m;
    }
}
