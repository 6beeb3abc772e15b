package org.musicgen.trainer.testing;

import org.musicgen.localstack.LocalStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts the packaged trainer (what a deployment runs) as a process of its own on a local stack. */
public final class PackagedTrainer {

    private PackagedTrainer() {
    }

    /**
     * The trainer on {@code port}, connected to {@code stack}, not training on ingestion, its output in {@code log};
     * {@code properties} are more {@code -Dname=value} settings.
     */
    public static Process start(LocalStack stack, int port, String heap, Path log, String... properties)
            throws IOException {
        Path jar = Path.of(System.getProperty("trainer.jar", "target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.exists(jar), "the packaged trainer is missing: " + jar);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-Dai.djl.offline=true",
                "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + stack.kafkaBootstrapServers(),
                "-Dmusicgen.storage.endpoint=" + stack.s3Endpoint(),
                "-Dmusicgen.storage.access-key=" + stack.accessKey(),
                "-Dmusicgen.storage.secret-key=" + stack.secretKey(),
                "-Dmusicgen.trainer.train-on-ingest=false"));
        command.addAll(List.of(properties));
        command.addAll(List.of("-jar", jar.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
