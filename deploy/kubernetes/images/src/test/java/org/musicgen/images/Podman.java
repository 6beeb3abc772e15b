package org.musicgen.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The podman command line, with the project's containers.conf unless CONTAINERS_CONF names another. */
final class Podman {

    private final Path containersConf;

    Podman(Path root) {
        String chosen = System.getenv("CONTAINERS_CONF");
        this.containersConf = chosen != null && !chosen.isBlank() ? Path.of(chosen)
                : root.resolve("deploy/kubernetes/images/containers.conf");
    }

    /** A finished command: its exit status and what it wrote. */
    record Result(int exitCode, String out, String err) {
        boolean ok() {
            return exitCode == 0;
        }

        String describe() {
            return "exit " + exitCode + (err.isBlank() ? "" : ": " + err.strip());
        }
    }

    Result podman(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return run(command, timeout, null);
    }

    /** Runs a command with the podman settings; its output goes to {@code log} when given, else is kept. */
    Result run(List<String> command, Duration timeout, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CONTAINERS_CONF", containersConf.toString());
        try {
            Path out = log != null ? log : Files.createTempFile("podman", ".out");
            Path err = log != null ? log : Files.createTempFile("podman", ".err");
            if (log != null) {
                builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            } else {
                builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, "", String.join(" ", command) + " did not end within " + timeout);
            }
            if (log != null) {
                return new Result(process.exitValue(), "", "");
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            return new Result(-1, "", "could not run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    /** Whether an executable of that name is on the PATH. */
    static boolean installed(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) {
                return true;
            }
        }
        return false;
    }
}
