package org.musicgen.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds a kustomization directory into its resources, like {@code kustomize build} / {@code kubectl kustomize},
 * for exactly the subset of kustomize the manifests of this project use:
 * <ul>
 *   <li>{@code resources}: files (multi-document YAML) and directories holding a kustomization, built first;</li>
 *   <li>{@code namespace}: set on every namespaced resource;</li>
 *   <li>{@code labels} with {@code pairs} (metadata labels only: {@code includeSelectors} and
 *       {@code includeTemplates} are refused);</li>
 *   <li>{@code images}: {@code name}, {@code newName}, {@code newTag}, {@code digest}, in every
 *       {@code containers}/{@code initContainers} list;</li>
 *   <li>{@code replicas}: {@code name}, {@code count} for Deployments, StatefulSets, ReplicaSets;</li>
 *   <li>{@code patches} ({@code path} or inline {@code patch}, optional {@code target} by group, version, kind,
 *       name (a regular expression), namespace): JSON 6902 patches (add, remove, replace, test) and strategic
 *       merge patches ({@link StrategicMerge}).</li>
 * </ul>
 * Anything else in a kustomization (generators, commonLabels, components, ...) is an error rather than
 * silently ignored, so the output is either what kustomize gives or nothing.
 */
public final class Kustomize {

    private static final Set<String> KNOWN_FIELDS = Set.of("apiVersion", "kind", "resources", "namespace", "labels",
            "images", "replicas", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "Node", "PersistentVolume", "StorageClass",
            "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PriorityClass", "IngressClass",
            "RuntimeClass", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService",
            "CSIDriver", "VolumeSnapshotClass", "ClusterIssuer");
    private static final Set<String> SCALABLE = Set.of("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController");

    private Kustomize() {
    }

    /** The resources of the kustomization in {@code dir}, in the order they were declared. */
    public static List<ObjectNode> build(Path dir) {
        return build(dir.toAbsolutePath().normalize(), new ArrayList<>());
    }

    private static List<ObjectNode> build(Path dir, List<Path> stack) {
        if (stack.contains(dir)) {
            throw new KustomizeException("kustomization cycle: " + stack + " -> " + dir);
        }
        stack.add(dir);
        Path file = kustomizationFile(dir);
        List<JsonNode> docs = Yaml.readAll(file);
        if (docs.size() != 1 || !docs.get(0).isObject()) {
            throw new KustomizeException(file + ": expected one mapping");
        }
        ObjectNode k = (ObjectNode) docs.get(0);
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!KNOWN_FIELDS.contains(field)) {
                throw new KustomizeException(file + ": field '" + field + "' is not supported by this renderer"
                        + " (supported: " + KNOWN_FIELDS + ")");
            }
        }
        String kind = k.path("kind").asText("Kustomization");
        if (!kind.equals("Kustomization")) {
            throw new KustomizeException(file + ": kind " + kind + " is not supported");
        }

        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : array(k, "resources", file)) {
            Path target = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(target)) {
                resources.addAll(build(target, stack));
            } else if (Files.isRegularFile(target)) {
                for (JsonNode doc : Yaml.readAll(target)) {
                    resources.add(checkResource(doc, target));
                }
            } else {
                throw new KustomizeException(file + ": resource " + entry.asText() + " does not exist");
            }
        }
        checkUnique(resources, file);

        for (JsonNode patch : array(k, "patches", file)) {
            applyPatch(dir, file, patch, resources);
        }
        if (k.hasNonNull("namespace")) {
            String namespace = k.get("namespace").asText();
            for (ObjectNode r : resources) {
                if (!CLUSTER_SCOPED.contains(kindOf(r))) {
                    metadata(r).put("namespace", namespace);
                }
            }
        }
        for (JsonNode label : array(k, "labels", file)) {
            if (label.path("includeSelectors").asBoolean(false) || label.path("includeTemplates").asBoolean(false)) {
                throw new KustomizeException(file + ": labels with includeSelectors/includeTemplates are not supported");
            }
            for (Iterator<String> it = label.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("pairs", "includeSelectors", "includeTemplates").contains(f)) {
                    throw new KustomizeException(file + ": labels field '" + f + "' is not supported");
                }
            }
            for (ObjectNode r : resources) {
                ObjectNode labels = objectAt(metadata(r), "labels");
                label.path("pairs").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            }
        }
        for (JsonNode image : array(k, "images", file)) {
            String name = image.path("name").asText();
            if (name.isEmpty()) {
                throw new KustomizeException(file + ": an images entry needs a name");
            }
            int changed = 0;
            for (ObjectNode r : resources) {
                changed += setImages(r, image);
            }
            if (changed == 0) {
                throw new KustomizeException(file + ": image " + name + " is used by no container");
            }
        }
        for (JsonNode replica : array(k, "replicas", file)) {
            String name = replica.path("name").asText();
            if (!replica.path("count").isInt()) {
                throw new KustomizeException(file + ": replicas entry " + name + " needs an integer count");
            }
            int matched = 0;
            for (ObjectNode r : resources) {
                if (SCALABLE.contains(kindOf(r)) && name.equals(nameOf(r))) {
                    objectAt(r, "spec").put("replicas", replica.get("count").asInt());
                    matched++;
                }
            }
            if (matched == 0) {
                throw new KustomizeException(file + ": replicas for " + name + " match no workload");
            }
        }
        stack.remove(stack.size() - 1);
        return resources;
    }

    private static Path kustomizationFile(Path dir) {
        for (String name : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new KustomizeException("no kustomization file in " + dir);
    }

    private static void applyPatch(Path dir, Path file, JsonNode entry, List<ObjectNode> resources) {
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("path", "patch", "target").contains(f)) {
                throw new KustomizeException(file + ": patches field '" + f + "' is not supported");
            }
        }
        String origin;
        String text;
        if (entry.hasNonNull("path")) {
            Path p = dir.resolve(entry.get("path").asText()).normalize();
            origin = p.toString();
            text = Yaml.read(p);
        } else if (entry.hasNonNull("patch")) {
            origin = file + " (inline patch)";
            text = entry.get("patch").asText();
        } else {
            throw new KustomizeException(file + ": a patch needs path or patch");
        }
        List<JsonNode> docs = Yaml.readAll(text, origin);
        if (docs.isEmpty()) {
            throw new KustomizeException(origin + ": empty patch");
        }
        JsonNode target = entry.get("target");
        if (docs.size() == 1 && docs.get(0).isArray()) {
            if (target == null) {
                throw new KustomizeException(origin + ": a JSON 6902 patch needs a target");
            }
            List<ObjectNode> matches = select(resources, target, origin);
            for (ObjectNode r : matches) {
                replace(resources, r, JsonPatch.apply(r, (ArrayNode) docs.get(0), origin + " on " + id(r)));
            }
            return;
        }
        for (JsonNode doc : docs) {
            if (!doc.isObject()) {
                throw new KustomizeException(origin + ": a strategic merge patch must be a mapping");
            }
            List<ObjectNode> matches;
            if (target != null) {
                matches = select(resources, target, origin);
            } else {
                ObjectNode selector = ((ObjectNode) doc).objectNode();
                String[] gv = splitApiVersion(doc.path("apiVersion").asText());
                selector.put("group", gv[0]).put("version", gv[1]).put("kind", doc.path("kind").asText())
                        .put("name", Pattern.quote(doc.path("metadata").path("name").asText()));
                if (doc.path("metadata").hasNonNull("namespace")) {
                    selector.put("namespace", doc.path("metadata").path("namespace").asText());
                }
                matches = select(resources, selector, origin);
            }
            for (ObjectNode r : matches) {
                ObjectNode p = doc.deepCopy();
                if (target != null && p.path("metadata").isObject()) {
                    ((ObjectNode) p.get("metadata")).remove(List.of("name", "namespace"));
                }
                replace(resources, r, StrategicMerge.apply(r, p, origin + " on " + id(r)));
            }
        }
    }

    private static void replace(List<ObjectNode> resources, ObjectNode old, ObjectNode updated) {
        for (int i = 0; i < resources.size(); i++) {
            if (resources.get(i) == old) {
                resources.set(i, checkResource(updated, null));
                return;
            }
        }
        throw new IllegalStateException("resource vanished");
    }

    private static List<ObjectNode> select(List<ObjectNode> resources, JsonNode target, String origin) {
        for (Iterator<String> it = target.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("group", "version", "kind", "name", "namespace").contains(f)) {
                throw new KustomizeException(origin + ": target field '" + f + "' is not supported");
            }
        }
        List<ObjectNode> matches = new ArrayList<>();
        for (ObjectNode r : resources) {
            String[] gv = splitApiVersion(r.path("apiVersion").asText());
            if (target.has("group") && !target.get("group").asText().equals(gv[0])) {
                continue;
            }
            if (target.has("version") && !target.get("version").asText().equals(gv[1])) {
                continue;
            }
            if (target.has("kind") && !target.get("kind").asText().equals(kindOf(r))) {
                continue;
            }
            if (target.has("name") && !Pattern.compile(target.get("name").asText()).matcher(nameOf(r)).matches()) {
                continue;
            }
            if (target.has("namespace")
                    && !target.get("namespace").asText().equals(r.path("metadata").path("namespace").asText())) {
                continue;
            }
            matches.add(r);
        }
        if (matches.isEmpty()) {
            throw new KustomizeException(origin + ": patch target " + target + " matches no resource");
        }
        return matches;
    }

    private static int setImages(JsonNode node, JsonNode image) {
        int changed = 0;
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if ((e.getKey().equals("containers") || e.getKey().equals("initContainers")) && e.getValue().isArray()) {
                    for (JsonNode c : e.getValue()) {
                        if (c.isObject() && c.hasNonNull("image") && updateImage((ObjectNode) c, image)) {
                            changed++;
                        }
                    }
                } else {
                    changed += setImages(e.getValue(), image);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                changed += setImages(child, image);
            }
        }
        return changed;
    }

    private static boolean updateImage(ObjectNode container, JsonNode image) {
        String ref = container.get("image").asText();
        String name = ref;
        String tag = null;
        String digest = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            digest = name.substring(at + 1);
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        if (!name.equals(image.path("name").asText())) {
            return false;
        }
        if (image.hasNonNull("newName")) {
            name = image.get("newName").asText();
        }
        if (image.hasNonNull("newTag")) {
            tag = image.get("newTag").asText();
            digest = null;
        }
        if (image.hasNonNull("digest")) {
            digest = image.get("digest").asText();
            tag = null;
        }
        container.put("image", name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : ""));
        return true;
    }

    private static ObjectNode checkResource(JsonNode doc, Path origin) {
        if (!doc.isObject() || !doc.path("apiVersion").isTextual() || !doc.path("kind").isTextual()
                || !doc.path("metadata").path("name").isTextual()) {
            throw new KustomizeException((origin == null ? "patched resource" : origin.toString())
                    + ": every resource needs apiVersion, kind and metadata.name");
        }
        return (ObjectNode) doc;
    }

    private static void checkUnique(List<ObjectNode> resources, Path file) {
        Map<String, ObjectNode> seen = new LinkedHashMap<>();
        for (ObjectNode r : resources) {
            if (seen.put(id(r), r) != null) {
                throw new KustomizeException(file + ": resource " + id(r) + " is declared twice");
            }
        }
    }

    private static Iterable<JsonNode> array(ObjectNode k, String field, Path file) {
        JsonNode node = k.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new KustomizeException(file + ": " + field + " must be a list");
        }
        return node;
    }

    /** {@code [group, version]}; the core group is the empty string. */
    public static String[] splitApiVersion(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? new String[] {"", apiVersion}
                : new String[] {apiVersion.substring(0, slash), apiVersion.substring(slash + 1)};
    }

    public static String kindOf(JsonNode r) {
        return r.path("kind").asText();
    }

    public static String nameOf(JsonNode r) {
        return r.path("metadata").path("name").asText();
    }

    /** {@code apiVersion/kind/namespace/name}, the identity kustomize keeps unique. */
    public static String id(JsonNode r) {
        return r.path("apiVersion").asText() + "/" + kindOf(r) + "/"
                + r.path("metadata").path("namespace").asText("~") + "/" + nameOf(r);
    }

    private static ObjectNode metadata(ObjectNode r) {
        return objectAt(r, "metadata");
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return parent.putObject(field);
        }
        if (!node.isObject()) {
            throw new KustomizeException(field + " is not a mapping in " + parent);
        }
        return (ObjectNode) node;
    }
}
