package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small helpers over rendered resources (Jackson trees). */
public final class Resources {

    private Resources() {
    }

    public static String id(JsonNode r) {
        String ns = namespace(r);
        return kind(r) + " " + (ns.isEmpty() ? "" : ns + "/") + name(r);
    }

    public static String kind(JsonNode r) {
        return r.path("kind").asText();
    }

    public static String name(JsonNode r) {
        return r.at("/metadata/name").asText();
    }

    public static String namespace(JsonNode r) {
        return r.at("/metadata/namespace").asText("");
    }

    public static List<JsonNode> ofKind(List<? extends JsonNode> resources, String kind) {
        return resources.stream().filter(r -> kind(r).equals(kind)).map(JsonNode.class::cast).toList();
    }

    public static JsonNode find(List<? extends JsonNode> resources, String kind, String namespace, String name) {
        return resources.stream().filter(r -> kind(r).equals(kind) && name(r).equals(name) && namespace(r).equals(namespace))
                .findFirst().orElse(null);
    }

    public static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The pod template of a workload, or null for other kinds. */
    public static JsonNode podTemplate(JsonNode r) {
        return switch (kind(r)) {
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> r.at("/spec/template");
            case "CronJob" -> r.at("/spec/jobTemplate/spec/template");
            default -> null;
        };
    }

    /** The elements of JSON arrays, in order. */
    public static List<JsonNode> elements(List<JsonNode> arrays) {
        List<JsonNode> out = new ArrayList<>();
        arrays.forEach(a -> a.forEach(out::add));
        return out;
    }

    /** Every container and init container of a pod spec. */
    public static List<JsonNode> containers(JsonNode podSpec) {
        return elements(List.of(podSpec.path("initContainers"), podSpec.path("containers")));
    }

    /** An environment variable of a container: where it comes from, and its value where the manifests hold it. */
    public record Variable(String source, String value) {
    }

    /** Every environment variable a container gets ({@code env}, and the ConfigMaps and Secrets of {@code envFrom}). */
    public static Map<String, Variable> environment(List<? extends JsonNode> resources, JsonNode container, String ns) {
        Map<String, Variable> vars = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String kind = from.has("secretRef") ? "Secret" : "ConfigMap";
            String name = from.path(from.has("secretRef") ? "secretRef" : "configMapRef").path("name").asText();
            JsonNode source = find(resources, kind, ns, name);
            for (String field : source == null ? List.<String>of() : List.of("data", "stringData")) {
                source.path(field).fields().forEachRemaining(e -> vars.put(from.path("prefix").asText("") + e.getKey(),
                        new Variable(kind + " " + name, kind.equals("Secret") ? null : e.getValue().asText())));
            }
        }
        for (JsonNode env : container.path("env")) {
            JsonNode secret = env.at("/valueFrom/secretKeyRef");
            JsonNode cm = env.at("/valueFrom/configMapKeyRef");
            String source = !secret.isMissingNode() ? "Secret " + secret.path("name").asText()
                    : !cm.isMissingNode() ? "ConfigMap " + cm.path("name").asText() : "env";
            vars.put(env.path("name").asText(), new Variable(source, env.has("value") ? env.path("value").asText() : null));
        }
        return vars;
    }

    /** The words of the literal value a workload's containers give an environment variable (none: empty). */
    public static Set<String> envWords(JsonNode workload, String variable) {
        for (JsonNode c : containers(podTemplate(workload).path("spec"))) {
            for (JsonNode e : c.path("env")) {
                if (e.path("name").asText().equals(variable) && !e.path("value").asText().isBlank()) {
                    return Set.of(e.path("value").asText().trim().split("\\s+"));
                }
            }
        }
        return Set.of();
    }

    /** The text of the ConfigMap entries a workload mounts (its scripts). */
    public static String mountedText(List<? extends JsonNode> resources, JsonNode workload) {
        StringBuilder text = new StringBuilder();
        for (JsonNode volume : podTemplate(workload).at("/spec/volumes")) {
            JsonNode cm = find(resources, "ConfigMap", namespace(workload), volume.at("/configMap/name").asText());
            if (cm != null) {
                strings(cm.path("data")).values().forEach(v -> text.append(v).append('\n'));
            }
        }
        return text.toString();
    }

    /** Whether a label selector ({@code matchLabels}/{@code matchExpressions}, or a plain map) selects the labels. */
    public static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (!selector.isObject()) {
            return false;
        }
        boolean structured = selector.has("matchLabels") || selector.has("matchExpressions");
        boolean matches = strings(structured ? selector.path("matchLabels") : selector).entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asText();
            boolean listed = labels.containsKey(key)
                    && elements(List.of(expr.path("values"))).stream().anyMatch(v -> v.asText().equals(labels.get(key)));
            matches &= switch (expr.path("operator").asText()) {
                case "In" -> listed;
                case "NotIn" -> !listed;
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> false;
            };
        }
        return matches;
    }

    /** An empty label selector (selects every pod of its namespace). */
    public static boolean isEmptySelector(JsonNode selector) {
        return selector.isObject() && selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty();
    }
}
