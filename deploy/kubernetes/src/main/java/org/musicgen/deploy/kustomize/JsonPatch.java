package org.musicgen.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** JSON Patch (RFC 6902) operations add, remove, replace and test; each must apply or the build fails. */
public final class JsonPatch {

    private JsonPatch() {
    }

    public static ObjectNode apply(ObjectNode resource, ArrayNode operations, String origin) {
        ObjectNode doc = resource.deepCopy();
        for (JsonNode op : operations) {
            String kind = op.path("op").asText();
            String path = op.path("path").asText(null);
            if (path == null) {
                throw new KustomizeException(origin + ": operation without path: " + op);
            }
            for (var it = op.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("op", "path", "value").contains(f)) {
                    throw new KustomizeException(origin + ": field '" + f + "' in " + op + " is not supported");
                }
            }
            List<String> tokens = tokens(path, origin);
            if (tokens.isEmpty()) {
                throw new KustomizeException(origin + ": the whole document cannot be patched: " + op);
            }
            JsonNode parent = navigate(doc, tokens.subList(0, tokens.size() - 1), origin, path);
            String last = tokens.get(tokens.size() - 1);
            switch (kind) {
                case "add" -> add(parent, last, value(op, origin), origin, path);
                case "replace" -> {
                    requireExisting(parent, last, origin, path);
                    set(parent, last, value(op, origin));
                }
                case "remove" -> {
                    requireExisting(parent, last, origin, path);
                    if (parent.isObject()) {
                        ((ObjectNode) parent).remove(last);
                    } else {
                        ((ArrayNode) parent).remove(index(last, parent.size() - 1, origin, path));
                    }
                }
                case "test" -> {
                    requireExisting(parent, last, origin, path);
                    JsonNode actual = parent.isObject() ? parent.get(last)
                            : parent.get(index(last, parent.size() - 1, origin, path));
                    if (!actual.equals(value(op, origin))) {
                        throw new KustomizeException(origin + ": test failed at " + path + ": " + actual);
                    }
                }
                default -> throw new KustomizeException(origin + ": operation '" + kind + "' is not supported");
            }
        }
        return doc;
    }

    private static JsonNode value(JsonNode op, String origin) {
        if (!op.has("value")) {
            throw new KustomizeException(origin + ": operation needs a value: " + op);
        }
        return op.get("value").deepCopy();
    }

    private static void add(JsonNode parent, String last, JsonNode value, String origin, String path) {
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last, value);
        } else if (last.equals("-")) {
            ((ArrayNode) parent).add(value);
        } else {
            ((ArrayNode) parent).insert(index(last, parent.size(), origin, path), value);
        }
    }

    private static void set(JsonNode parent, String last, JsonNode value) {
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last, value);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        }
    }

    private static void requireExisting(JsonNode parent, String last, String origin, String path) {
        boolean exists = parent.isObject() ? parent.has(last)
                : last.matches("\\d+") && Integer.parseInt(last) < parent.size();
        if (!exists) {
            throw new KustomizeException(origin + ": nothing at " + path);
        }
    }

    private static JsonNode navigate(JsonNode doc, List<String> tokens, String origin, String path) {
        JsonNode node = doc;
        for (String t : tokens) {
            JsonNode next = node.isObject() ? node.get(t)
                    : node.isArray() ? node.get(index(t, node.size() - 1, origin, path)) : null;
            if (next == null || !(next.isObject() || next.isArray())) {
                throw new KustomizeException(origin + ": path " + path + " does not exist (at '" + t + "')");
            }
            node = next;
        }
        return node;
    }

    private static int index(String token, int max, String origin, String path) {
        if (!token.matches("\\d+") || Integer.parseInt(token) > max) {
            throw new KustomizeException(origin + ": bad array index '" + token + "' in " + path);
        }
        return Integer.parseInt(token);
    }

    private static List<String> tokens(String path, String origin) {
        if (path.isEmpty()) {
            return List.of();
        }
        if (!path.startsWith("/")) {
            throw new KustomizeException(origin + ": JSON pointer must start with /: " + path);
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : path.substring(1).split("/", -1)) {
            tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }
}
