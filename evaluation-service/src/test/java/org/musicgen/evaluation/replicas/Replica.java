package org.musicgen.evaluation.replicas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One instance of the packaged service in its own JVM (as one pod of the Deployment), output in a log file. */
final class Replica {

    private final String name;
    private final int port;
    private final Path logFile;
    private final Process process;

    private Replica(String name, int port, Path logFile, Process process) {
        this.name = name;
        this.port = port;
        this.logFile = logFile;
        this.process = process;
    }

    /** Starts the packaged application with these settings (as system properties) on a free port. */
    static Replica start(String name, Path jar, Map<String, String> settings, Path logDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the integration test runs on the packaged service");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dquarkus.http.port=" + port);
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            return new Replica(name, port, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String name() {
        return name;
    }

    /** Waits until readiness passes (state loaded from the object store, broker reachable). */
    void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + logFile);
    }

    /** Ends the JVM without warning (SIGKILL), as a crashed or evicted pod. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** Asks the JVM to stop (SIGTERM); kills it if it does not. */
    void stop() {
        process.destroy();
        if (!waitFor()) {
            kill();
        }
    }

    private boolean waitFor() {
        try {
            return process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
