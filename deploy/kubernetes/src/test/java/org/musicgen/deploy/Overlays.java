package org.musicgen.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.musicgen.deploy.kustomize.Kustomize;
import org.musicgen.deploy.validate.CrossReferences;
import org.musicgen.deploy.validate.ProjectModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Shared by the tests: where the repository is, the overlays, their rendered resources (rendered once). */
final class Overlays {

    static final List<String> NAMES = List.of("dev", "production");
    /** The services the manifests deploy; each must be a module of the repository. */
    static final List<String> SERVICES = List.of("ingest-service", "trainer-service", "generator-service",
            "evaluation-service");
    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    private Overlays() {
    }

    static Path root() {
        return Path.of(System.getProperty("musicgen.root", "../..")).toAbsolutePath().normalize();
    }

    static Path manifests() {
        return root().resolve("deploy/kubernetes");
    }

    static Path overlay(String name) {
        return manifests().resolve("overlays").resolve(name);
    }

    static List<ObjectNode> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> Kustomize.build(overlay(o)));
    }

    /** Fresh copies, for tests that break them. */
    static List<ObjectNode> copy(String overlay) {
        return render(overlay).stream().map(ObjectNode::deepCopy).toList();
    }

    static ProjectModel project() {
        return new ProjectModel(root());
    }

    static CrossReferences.Expectations expectations() {
        ProjectModel project = project();
        Set<String> topics = new LinkedHashSet<>(project.topics());
        for (String service : SERVICES) {
            Path dir = root().resolve(service);
            if (Files.isDirectory(dir)) {
                for (String t : project.configuredTopics(dir)) {
                    if (!t.endsWith(".dlq")) {
                        topics.add(t);
                    }
                }
            }
        }
        return new CrossReferences.Expectations(project.documentedSecrets(manifests().resolve("README.md")),
                topics, project.buckets());
    }
}
