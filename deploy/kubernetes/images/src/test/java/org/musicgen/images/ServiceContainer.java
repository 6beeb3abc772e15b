package org.musicgen.images;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One service image run as its Deployment runs it: user 185, read-only root file system, no capabilities, no
 * privilege escalation, the Deployment's memory limit, and /tmp the one writable place (a host directory, as an
 * emptyDir is). Host network, so that it reaches the local stack on the loopback and answers on its own port.
 */
final class ServiceContainer {

    private final Podman podman;
    private final String service;
    private final String image;
    private final String name;
    private final int port;
    private final String memory;
    private final Map<String, String> env;
    private final Path tmp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ServiceContainer(Podman podman, String service, String image, String name, int port, String memory,
                     Map<String, String> env, Path tmp) {
        this.podman = podman;
        this.service = service;
        this.image = image;
        this.name = name;
        this.port = port;
        this.memory = memory;
        this.env = new TreeMap<>(env);
        this.tmp = tmp;
    }

    String service() {
        return service;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    void start() throws IOException {
        Files.createDirectories(tmp);
        // an emptyDir is world-writable; the service's user is not the directory's owner here either
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name,
                "--label", ImagesIT.LABEL, "--network", "host",
                "--user", "185:185", "--read-only", "--read-only-tmpfs=false", "--volume", tmp + ":/tmp:rw",
                "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--memory", memory));
        env.forEach((key, value) -> args.addAll(List.of("--env", key + "=" + value)));
        args.add(image);
        Podman.Result run = podman.podman(Duration.ofMinutes(2), args.toArray(String[]::new));
        if (!run.ok()) {
            throw new IllegalStateException("podman run " + service + ": " + run.describe());
        }
    }

    /** Waits for {@code /q/health/ready} to answer 200; fails early when the container has exited. */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!"running".equals(state())) {
                throw new IllegalStateException(service + " is " + state() + " (exit " + exitCode() + "):\n"
                        + tail(logs(), 40));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.getClass().getSimpleName();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service + " not ready within " + timeout + " (" + last + "):\n"
                + tail(logs(), 40));
    }

    /** {@code podman stop -t grace}: SIGTERM, then SIGKILL after the grace period, as the kubelet does. */
    Podman.Result stop(Duration grace) {
        return podman.podman(grace.plusMinutes(1), "stop", "--time", Long.toString(grace.toSeconds()), name);
    }

    String state() {
        return inspect("{{.State.Status}}");
    }

    int exitCode() {
        String code = inspect("{{.State.ExitCode}}");
        return code.matches("-?\\d+") ? Integer.parseInt(code) : -1;
    }

    String logs() {
        Podman.Result logs = podman.podman(Duration.ofMinutes(1), "logs", name);
        return logs.out() + logs.err();
    }

    /** What the service's user wrote into its /tmp, in MB. */
    long tmpMegabytes() throws IOException {
        try (var files = Files.walk(tmp)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1_000_000;
        }
    }

    /** CPU seconds the container used so far, from its cgroup (v1 or v2); -1 where it cannot be read. */
    double cpuSeconds() {
        String cgroup = inspect("{{.State.CgroupPath}}");
        long v1 = cgroupValue(Path.of("/sys/fs/cgroup/cpuacct" + cgroup + "/cpuacct.usage"), null);
        long v2 = cgroupValue(Path.of("/sys/fs/cgroup" + cgroup + "/cpu.stat"), "usage_usec ");
        return v1 >= 0 ? Math.round(v1 / 1e8) / 10.0 : v2 >= 0 ? Math.round(v2 / 1e5) / 10.0 : -1;
    }

    /** The most memory the container held so far, in MB (page cache included, as the limit counts it); or -1. */
    long peakMemoryMegabytes() {
        String cgroup = inspect("{{.State.CgroupPath}}");
        long v1 = cgroupValue(Path.of("/sys/fs/cgroup/memory" + cgroup + "/memory.max_usage_in_bytes"), null);
        long v2 = cgroupValue(Path.of("/sys/fs/cgroup" + cgroup + "/memory.peak"), null);
        long bytes = Math.max(v1, v2);
        return bytes < 0 ? -1 : bytes / 1_000_000;
    }

    /** A number in a cgroup file: the whole file, or the line that starts with {@code key}; -1 if unreadable. */
    private static long cgroupValue(Path file, String key) {
        try {
            if (!Files.isReadable(file)) {
                return -1;
            }
            for (String line : Files.readAllLines(file)) {
                if (key == null) {
                    return Long.parseLong(line.strip());
                }
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    void remove() {
        podman.podman(Duration.ofMinutes(1), "rm", "--force", "--time", "0", name);
    }

    private String inspect(String format) {
        Podman.Result result = podman.podman(Duration.ofSeconds(30), "inspect", "--type", "container", "--format",
                format, name);
        return result.ok() ? result.out().strip() : "unknown (" + result.describe() + ")";
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }
}
