package org.musicgen.deploy.validate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates Strimzi custom resources against Strimzi's own API model ({@code io.strimzi:api}, the classes
 * Strimzi generates its CRD schemas from), offline. Binding catches wrong types, unknown enum values and unknown
 * polymorphic {@code type}s; since the model keeps unknown fields instead of refusing them, every bound object
 * is then walked and any field that landed in {@code additionalProperties} is reported, as are properties the
 * model marks required ({@code @JsonProperty(required = true)}) that are absent.
 */
public final class StrimziSchemas {

    static final Map<String, Class<?>> KINDS = Map.of(
            "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class, "KafkaTopic", KafkaTopic.class);
    static final String API_VERSION = "kafka.strimzi.io/v1beta2";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private StrimziSchemas() {
    }

    public static boolean handles(JsonNode resource) {
        return resource.path("apiVersion").asText().endsWith(".strimzi.io/v1beta2")
                || resource.path("apiVersion").asText().startsWith("kafka.strimzi.io/");
    }

    public static List<String> validate(JsonNode resource) {
        List<String> problems = new ArrayList<>();
        String id = Resources.id(resource);
        Class<?> model = KINDS.get(resource.path("kind").asText());
        if (model == null) {
            problems.add(id + ": no Strimzi schema for kind " + resource.path("kind").asText());
            return problems;
        }
        if (!API_VERSION.equals(resource.path("apiVersion").asText())) {
            problems.add(id + ": must use apiVersion " + API_VERSION);
            return problems;
        }
        if (!resource.path("spec").isObject()) {
            problems.add(id + ": spec is required");
            return problems;
        }
        Object bound;
        try {
            bound = MAPPER.treeToValue(resource, model);
        } catch (Exception e) {
            String m = String.valueOf(e.getMessage());
            problems.add(id + ": " + (m.length() > 400 ? m.substring(0, 400) + "..." : m));
            return problems;
        }
        Walker walker = new Walker(id, problems);
        try {
            walker.walk(model.getMethod("getMetadata").invoke(bound), "metadata");
            walker.walk(model.getMethod("getSpec").invoke(bound), "spec");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return problems;
    }

    private static final class Walker {
        private final String id;
        private final List<String> problems;
        private final Map<Object, Boolean> seen = new IdentityHashMap<>();

        Walker(String id, List<String> problems) {
            this.id = id;
            this.problems = problems;
        }

        void walk(Object value, String path) throws ReflectiveOperationException {
            if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                    || value instanceof Enum<?> || seen.put(value, Boolean.TRUE) != null) {
                return;
            }
            if (value instanceof Collection<?> c) {
                int i = 0;
                for (Object item : c) {
                    walk(item, path + "[" + i++ + "]");
                }
                return;
            }
            if (value instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    walk(e.getValue(), path + "." + e.getKey());
                }
                return;
            }
            String pkg = value.getClass().getPackageName();
            if (!pkg.startsWith("io.strimzi.api") && !pkg.startsWith("io.fabric8.kubernetes.api.model")) {
                return;
            }
            for (Method m : value.getClass().getMethods()) {
                if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                        || m.getDeclaringClass() == Object.class) {
                    continue;
                }
                String name = m.getName();
                if (name.equals("getAdditionalProperties")) {
                    Object extra = m.invoke(value);
                    if (extra instanceof Map<?, ?> map && !map.isEmpty()) {
                        for (Object key : map.keySet()) {
                            problems.add(id + ": unknown field " + path + "." + key);
                        }
                    }
                    continue;
                }
                String property = property(m);
                if (property == null) {
                    continue;
                }
                Object child = m.invoke(value);
                JsonProperty json = annotation(m, JsonProperty.class);
                if (json != null && json.required() && child == null) {
                    problems.add(id + ": missing required field " + path + "." + property);
                }
                walk(child, path + "." + property);
            }
        }

        private static String property(Method m) {
            String name = m.getName();
            String bare;
            if (name.startsWith("get") && name.length() > 3) {
                bare = name.substring(3);
            } else if (name.startsWith("is") && name.length() > 2
                    && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
                bare = name.substring(2);
            } else {
                return null;
            }
            if (m.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonIgnore.class)) {
                return null;
            }
            JsonProperty json = annotation(m, JsonProperty.class);
            if (json != null && !json.value().isEmpty()) {
                return json.value();
            }
            return Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
        }

        private static <A extends Annotation> A annotation(Method m, Class<A> type) {
            A a = m.getAnnotation(type);
            if (a != null) {
                return a;
            }
            for (Class<?> c = m.getDeclaringClass().getSuperclass(); c != null; c = c.getSuperclass()) {
                try {
                    a = c.getMethod(m.getName()).getAnnotation(type);
                    if (a != null) {
                        return a;
                    }
                } catch (NoSuchMethodException e) {
                    return null;
                }
            }
            return null;
        }
    }
}
