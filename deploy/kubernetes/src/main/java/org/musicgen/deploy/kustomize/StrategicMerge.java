package org.musicgen.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Strategic merge patches, as far as the manifests need them. Mappings merge key by key (a {@code null} value
 * deletes the key). Lists of built-in Kubernetes types whose schema declares a merge key merge item by item
 * on that key: containers, initContainers, volumes and imagePullSecrets by {@code name}, a container's
 * {@code env} by {@code name}, {@code ports} by {@code containerPort}, {@code volumeMounts} by {@code mountPath},
 * a Service's {@code ports} by {@code port}; every other list is replaced whole. Custom resources (any API
 * group outside Kubernetes itself) get JSON merge patch semantics: every list is replaced, as kustomize does
 * for types it has no schema for. {@code $patch}/{@code $setElementOrder} directives are refused.
 */
public final class StrategicMerge {

    private StrategicMerge() {
    }

    public static ObjectNode apply(ObjectNode resource, ObjectNode patch, String origin) {
        String group = Kustomize.splitApiVersion(resource.path("apiVersion").asText())[0];
        boolean builtIn = !group.contains(".") || group.endsWith(".k8s.io");
        ObjectNode result = resource.deepCopy();
        mergeObject(result, patch, "", Kustomize.kindOf(resource), builtIn, origin);
        return result;
    }

    private static void mergeObject(ObjectNode target, JsonNode patch, String path, String kind, boolean builtIn,
                                    String origin) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (key.startsWith("$")) {
                throw new KustomizeException(origin + ": directive " + key + " is not supported");
            }
            JsonNode value = e.getValue();
            String childPath = path + "/" + key;
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                mergeObject((ObjectNode) existing, value, childPath, kind, builtIn, origin);
            } else if (value.isArray() && existing != null && existing.isArray() && builtIn
                    && mergeKey(childPath, kind) != null) {
                mergeList((ArrayNode) existing, (ArrayNode) value, childPath, mergeKey(childPath, kind), kind, origin);
            } else {
                target.set(key, withoutNulls(value));
            }
        }
    }

    private static void mergeList(ArrayNode target, ArrayNode patch, String path, String mergeKey, String kind,
                                  String origin) {
        for (JsonNode item : patch) {
            if (!item.isObject() || !item.has(mergeKey)) {
                throw new KustomizeException(origin + ": items of " + path + " must carry their merge key " + mergeKey);
            }
            ObjectNode match = null;
            for (JsonNode candidate : target) {
                if (candidate.isObject() && item.get(mergeKey).equals(candidate.get(mergeKey))) {
                    match = (ObjectNode) candidate;
                    break;
                }
            }
            if (match == null) {
                target.add(withoutNulls(item));
            } else {
                mergeObject(match, item, path + "[]", kind, true, origin);
            }
        }
    }

    /** The merge key Kubernetes declares for the list at this path, or null when the list is replaced. */
    static String mergeKey(String path, String kind) {
        if (path.endsWith("/containers") || path.endsWith("/initContainers") || path.endsWith("/ephemeralContainers")) {
            return "name";
        }
        if (path.endsWith("containers[]/env") || path.endsWith("Containers[]/env")) {
            return "name";
        }
        if (path.endsWith("containers[]/ports") || path.endsWith("Containers[]/ports")) {
            return "containerPort";
        }
        if (path.endsWith("containers[]/volumeMounts") || path.endsWith("Containers[]/volumeMounts")) {
            return "mountPath";
        }
        if (path.endsWith("spec/volumes") || path.endsWith("/imagePullSecrets")) {
            return "name";
        }
        if (kind.equals("Service") && path.equals("/spec/ports")) {
            return "port";
        }
        return null;
    }

    private static JsonNode withoutNulls(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    it.remove();
                } else {
                    strip(e.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(StrategicMerge::strip);
        }
    }
}
