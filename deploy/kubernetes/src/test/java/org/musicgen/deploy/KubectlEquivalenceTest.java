package org.musicgen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.musicgen.deploy.kustomize.Kustomize;
import org.musicgen.deploy.kustomize.Yaml;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where kubectl is installed, its kustomize must give exactly the objects the project's renderer gives, so the
 * renderer's output, which the other tests check, is what {@code kubectl apply -k} applies. Without kubectl the
 * test is reported as skipped with that reason; a kubectl that fails or hangs fails it.
 */
class KubectlEquivalenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void kubectlKustomizeGivesTheSameObjects(String overlay) throws Exception {
        Path kubectl = kubectl();
        assumeTrue(kubectl != null, "kubectl is not on the PATH: the renderer is checked by the other tests only");
        Path out = Files.createTempFile("kubectl-kustomize", ".yaml");
        Path err = Files.createTempFile("kubectl-kustomize", ".err");
        try {
            // output goes to files: a kubectl that hangs cannot block the test on a full pipe
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", Overlays.overlay(overlay).toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("kubectl kustomize did not finish within 60 s: " + Files.readString(err));
            }
            assertEquals(0, p.exitValue(), "kubectl kustomize failed: " + Files.readString(err));
            compare(overlay, Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void compare(String overlay, String kubectlOutput) {
        Map<String, JsonNode> expected = new TreeMap<>();
        for (JsonNode doc : Yaml.readAll(kubectlOutput, "kubectl output")) {
            expected.put(Kustomize.id(doc), doc);
        }
        Map<String, JsonNode> actual = new TreeMap<>();
        for (ObjectNode doc : Overlays.render(overlay)) {
            actual.put(Kustomize.id(doc), doc);
        }
        assertEquals(expected.keySet(), actual.keySet());
        for (String id : expected.keySet()) {
            assertEquals(expected.get(id), actual.get(id), id);
        }
    }

    private static Path kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
