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

    /** Every container and init container of a pod spec. */
    public static List<JsonNode> containers(JsonNode podSpec) {
        List<JsonNode> out = new ArrayList<>();
        podSpec.path("initContainers").forEach(out::add);
        podSpec.path("containers").forEach(out::add);
        return out;
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
        if (!strings(structured ? selector.path("matchLabels") : selector).entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asText();
            List<String> values = new ArrayList<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            boolean listed = labels.containsKey(key) && values.contains(labels.get(key));
            boolean ok = switch (expr.path("operator").asText()) {
                case "In" -> listed;
                case "NotIn" -> !listed;
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** An empty selector (selects every pod of its namespace). */
    public static boolean isEmptySelector(JsonNode selector) {
        return selector.isObject() && selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty()
                && selector.size() == (selector.has("matchLabels") ? 1 : 0) + (selector.has("matchExpressions") ? 1 : 0);
    }
}
