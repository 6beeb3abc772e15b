package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers over rendered resources (Jackson trees). */
public final class Resources {

    private Resources() {
    }

    public static String id(JsonNode r) {
        String ns = r.path("metadata").path("namespace").asText("");
        return r.path("kind").asText() + " " + (ns.isEmpty() ? "" : ns + "/") + r.path("metadata").path("name").asText();
    }

    public static String kind(JsonNode r) {
        return r.path("kind").asText();
    }

    public static String name(JsonNode r) {
        return r.path("metadata").path("name").asText();
    }

    public static String namespace(JsonNode r) {
        return r.path("metadata").path("namespace").asText("");
    }

    public static List<JsonNode> ofKind(List<? extends JsonNode> resources, String kind) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : resources) {
            if (kind(r).equals(kind)) {
                out.add(r);
            }
        }
        return out;
    }

    public static JsonNode find(List<? extends JsonNode> resources, String kind, String namespace, String name) {
        for (JsonNode r : resources) {
            if (kind(r).equals(kind) && name(r).equals(name) && namespace(r).equals(namespace)) {
                return r;
            }
        }
        return null;
    }

    public static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map != null && map.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }

    /** The pod template of a workload, or null for other kinds. */
    public static JsonNode podTemplate(JsonNode r) {
        return switch (kind(r)) {
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> r.path("spec").path("template");
            case "CronJob" -> r.path("spec").path("jobTemplate").path("spec").path("template");
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

    /** Whether a label selector ({@code matchLabels}/{@code matchExpressions}, or a plain map) selects the labels. */
    public static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        boolean structured = selector.has("matchLabels") || selector.has("matchExpressions");
        Map<String, String> required = strings(structured ? selector.get("matchLabels") : selector);
        for (Map.Entry<String, String> e : required.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asText();
            List<String> values = new ArrayList<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expr.path("operator").asText()) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
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

    public static boolean isEmptySelector(JsonNode selector) {
        return selector != null && selector.isObject() && selector.path("matchLabels").size() == 0
                && selector.path("matchExpressions").size() == 0 && !hasPlainLabels(selector);
    }

    private static boolean hasPlainLabels(JsonNode selector) {
        for (Iterator<String> it = selector.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("matchLabels") && !f.equals("matchExpressions")) {
                return true;
            }
        }
        return false;
    }
}
