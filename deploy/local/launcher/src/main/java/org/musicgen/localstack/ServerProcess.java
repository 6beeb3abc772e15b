package org.musicgen.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One server JVM started by the launcher: command line, log file, graceful and forced stop. */
final class ServerProcess {

    private final String name;
    private final Path logFile;
    private Process process;

    ServerProcess(String name, Path logFile) {
        this.name = name;
        this.logFile = logFile;
    }

    String name() {
        return name;
    }

    Path logFile() {
        return logFile;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Starts the process with stdout and stderr appended to the log file. */
    synchronized void start(List<String> command, Path workDir) {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        appendLog("==== " + Instant.now() + " starting " + name + " ====");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // stdin stays a pipe: the child's watchdog exits when it closes (this JVM is gone)
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command to completion (e.g. storage formatting), output appended to the log file. */
    static int runToCompletion(List<String> command, Path workDir, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return p.exitValue();
    }

    /** Asks the process to stop (SIGTERM), then kills it when it has not ended within the grace time. */
    void stop(Duration grace) {
        Process p;
        synchronized (this) {
            p = process;
            process = null;
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                appendLog("==== " + Instant.now() + " " + name + " did not stop within " + grace
                        + ": killing it ====");
                p.destroyForcibly();
                p.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        closeQuietly(p.getOutputStream());
        appendLog("==== " + Instant.now() + " " + name + " stopped ====");
    }

    /** Exit code when the process has ended, else null. */
    synchronized Integer exitCodeIfDead() {
        if (process == null || process.isAlive()) {
            return null;
        }
        return process.exitValue();
    }

    String logTail(int lines) {
        return tail(logFile, lines);
    }

    static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log at " + file + ")";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> last = new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
            return String.join(System.lineSeparator(), last);
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private void appendLog(String line) {
        try {
            Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is best effort
        }
    }

    private static void closeQuietly(java.io.OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // ignored
        }
    }
}
