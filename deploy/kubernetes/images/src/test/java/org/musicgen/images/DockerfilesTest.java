package org.musicgen.images;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the images without building them. The GPU trainer image cannot be built on the project's
 * machines (no GPU, no libtorch download), so its Dockerfile is held to the CPU one, which ImagesIT builds and runs:
 * the same instructions, plus only the CUDA libtorch and the settings that make DJL load it.
 */
class DockerfilesTest {

    private static final Path IMAGES = ImagesIT.root().resolve("deploy/kubernetes/images");
    /** What the GPU image adds to the CPU one's environment, and nothing else. */
    private static final List<String> GPU_ONLY_VARIABLES = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION",
            "PYTORCH_FLAVOR", "LD_LIBRARY_PATH", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES");
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)");

    @Test
    void theGpuTrainerIsTheCpuTrainerPlusCudaLibtorchOnly() throws IOException {
        List<String> cpu = instructions(IMAGES.resolve("trainer-service/Dockerfile"));
        List<String> gpu = instructions(IMAGES.resolve("trainer-service/Dockerfile.gpu"));

        // The first stage only fetches libtorch; the final stage starts from the same base as the CPU image.
        int finalStage = lastIndexStartingWith(gpu, "FROM ");
        List<String> fetchStage = gpu.subList(0, finalStage);
        assertEquals("ARG JRE_IMAGE=localhost/musicgen/jre17-base:bookworm", cpu.get(0));
        assertEquals(cpu.get(0), gpu.get(0), "the same base by default");
        assertEquals("FROM ${JRE_IMAGE} AS libtorch", fetchStage.get(1));
        assertTrue(fetchStage.stream().anyMatch(i -> i.startsWith("RUN ") && i.contains("test -f "
                + "/opt/libtorch/lib/libtorch_cuda.so")), "the fetch stage checks it got the CUDA build");

        List<String> rest = new ArrayList<>(gpu.subList(finalStage, gpu.size()));
        assertEquals("COPY --from=libtorch /opt/libtorch /opt/libtorch", rest.remove(1),
                "right after FROM: the CUDA libtorch, below the application's layers");
        Map<String, String> cpuEnv = env(cpu);
        Map<String, String> gpuEnv = env(rest);
        Map<String, String> added = new LinkedHashMap<>(gpuEnv);
        cpuEnv.keySet().forEach(added::remove);
        assertEquals(GPU_ONLY_VARIABLES, List.copyOf(added.keySet()), "the variables only the GPU image sets");
        cpuEnv.forEach((name, value) -> assertEquals(value, gpuEnv.get(name), name + " as in the CPU image"));

        // Everything else, instruction by instruction: the same application, user, port and entry point.
        assertEquals(withoutEnv(cpu.subList(1, cpu.size())), withoutEnv(rest));
    }

    @Test
    void theGpuImageNamesALibtorchTheTrainersDjlCanLoad() throws IOException {
        Map<String, String> env = env(instructions(IMAGES.resolve("trainer-service/Dockerfile.gpu")));
        Path lib = ImagesIT.root().resolve("trainer-service/target/quarkus-app/lib/main");
        Path jni;
        try (Stream<Path> jars = Files.list(lib)) {
            jni = jars.filter(p -> p.getFileName().toString().startsWith("ai.djl.pytorch.pytorch-jni-"))
                    .findFirst().orElseThrow(() -> new AssertionError("no pytorch-jni jar in " + lib
                            + " (package trainer-service first)"));
        }
        // ai.djl.pytorch.pytorch-jni-<libtorch version>-<djl version>.jar
        String version = jni.getFileName().toString().replaceFirst("^ai\\.djl\\.pytorch\\.pytorch-jni-", "")
                .replaceFirst("-[^-]+\\.jar$", "");
        assertEquals(version, env.get("PYTORCH_VERSION"), "the libtorch version DJL's JNI bridge was built for");
        String bridge = "jnilib/linux-x86_64/" + env.get("PYTORCH_FLAVOR") + "/libdjl_torch.so";
        try (var zip = new java.util.zip.ZipFile(jni.toFile())) {
            assertTrue(zip.getEntry(bridge) != null, jni + " has no " + bridge + ": offline, DJL could not load the "
                    + "GPU libtorch");
        }
    }

    @Test
    void everyImageRunsJavaAsPidOneAsUser185WithItsPort() throws IOException {
        Map<String, String> ports = Map.of("ingest-service", "8081", "trainer-service", "8082",
                "generator-service", "8083", "evaluation-service", "8080");
        for (var service : ports.entrySet()) {
            List<String> file = instructions(IMAGES.resolve(service.getKey() + "/Dockerfile"));
            String entry = file.stream().filter(i -> i.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
            // exec form starting java itself: no shell in between that would take the SIGTERM meant for it
            assertTrue(entry.matches("ENTRYPOINT \\[\"java\", .*\"-jar\", \"/deployments/quarkus-run.jar\"]"),
                    service.getKey() + ": " + entry);
            assertTrue(file.contains("USER 185:185"), service.getKey());
            assertTrue(file.contains("EXPOSE " + service.getValue()), service.getKey());
            assertEquals("/tmp", env(file).get("HOME"), service.getKey() + ": HOME on the writable /tmp");
        }
    }

    /** The instructions of a Dockerfile, continuation lines joined, comments and blank lines left out. */
    static List<String> instructions(Path dockerfile) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(current.isEmpty() ? "" : " ")
                    .append(continues ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed);
            if (!continues) {
                out.add(current.toString());
                current.setLength(0);
            }
        }
        return out;
    }

    private static Map<String, String> env(List<String> instructions) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String instruction : instructions) {
            if (instruction.startsWith("ENV ")) {
                Matcher m = ENV_PAIR.matcher(instruction.substring(4));
                while (m.find()) {
                    env.put(m.group(1), m.group(2).replace("\"", ""));
                }
            }
        }
        return env;
    }

    private static List<String> withoutEnv(List<String> instructions) {
        return instructions.stream().filter(i -> !i.startsWith("ENV ")).toList();
    }

    private static int lastIndexStartingWith(List<String> instructions, String prefix) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (instructions.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix + "in " + instructions);
    }
}
