package org.musicgen.bench;

import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.TempDirs;
import org.musicgen.mainjob.LocalServices;
import org.musicgen.mainjob.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the service benchmarks run against: a local stack (real Kafka and S3 on free loopback ports, data in a
 * temporary folder removed at the end) and some of the services as separate processes started from their packaged
 * applications by the main job's {@link LocalServices}, with their logs under the benchmark's output folder. Closing it
 * (or the JVM ending) stops everything it started.
 */
final class BenchPlatform implements AutoCloseable {

    private final Path root;
    private final Path dataDir;
    private final LocalStack stack;
    private final LocalServices platform;
    private final Path logDir;
    private final String apiKey;
    /** Further instances of services (replicas), each a platform of its own on the same stack; stopped on close. */
    private final List<LocalServices> replicas = new ArrayList<>();
    private boolean closed;

    private BenchPlatform(Path root, Path dataDir, LocalStack stack, LocalServices platform, Path logDir, String apiKey) {
        this.root = root;
        this.dataDir = dataDir;
        this.stack = stack;
        this.platform = platform;
        this.logDir = logDir;
        this.apiKey = apiKey;
    }

    /**
     * Starts the local stack; the services are configured (free ports, the stack, {@code properties} per service,
     * the API key as {@code MUSICGEN_API_KEY} unless null) but started only by {@link #startServices}.
     */
    static BenchPlatform start(Path root, Path logDir, String apiKey, Map<String, Map<String, String>> properties) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("musicgen-bench-");
            Files.createDirectories(logDir);
            for (String service : LocalServices.SERVICES) {
                Files.deleteIfExists(logDir.resolve(service + ".log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalStack stack = LocalStack.builder().dataDir(dataDir.resolve("stack")).kafkaPort(0).s3Port(0).build();
        try {
            stack.start();
        } catch (RuntimeException e) {
            TempDirs.deleteQuietly(dataDir);
            throw e;
        }
        LocalServices platform = platform(root, logDir, stack, apiKey, properties);
        BenchPlatform bench = new BenchPlatform(root, dataDir, stack, platform, logDir, apiKey);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::close, "bench-platform-shutdown"));
        return bench;
    }

    LocalStack stack() {
        return stack;
    }

    Path logFile(String service) {
        return logDir.resolve(service + ".log");
    }

    String url(String service) {
        return platform.service(service).url();
    }

    /**
     * One more instance of {@code service} on the same stack, as one more pod of its Deployment: its own free port,
     * its output in {@code <logs>/<name>/<service>.log}, {@code properties} as system properties. Not started; the
     * caller starts, kills and restarts it; closing this platform stops it.
     */
    synchronized ServiceProcess replica(String service, String name, Map<String, String> properties) {
        if (closed) {
            throw new IllegalStateException("the bench platform is closed");
        }
        try {
            Files.deleteIfExists(logDir.resolve(name).resolve(service + ".log")); // a restart appends; a run does not
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalServices replica = platform(root, logDir.resolve(name), stack, apiKey, Map.of(service, properties));
        replicas.add(replica);
        return replica.service(service);
    }

    private static LocalServices platform(Path root, Path logDir, LocalStack stack, String apiKey,
                                     Map<String, Map<String, String>> properties) {
        Map<String, Integer> ports = new HashMap<>();
        for (String service : LocalServices.SERVICES) {
            ports.put(service, freePort());
        }
        return new LocalServices(new LocalServices.Settings(root, logDir, stack.kafkaBootstrapServers(), stack.s3Endpoint(),
                stack.accessKey(), stack.secretKey(), apiKey, ports, properties));
    }

    /** Starts the named services together and waits until each is ready. */
    void startServices(Duration timeout, String... services) {
        for (String service : services) {
            platform.service(service).start();
        }
        for (String service : services) {
            platform.service(service).awaitReady(timeout);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            replicas.forEach(LocalServices::close);
            platform.close();
        } finally {
            stack.stop();
            TempDirs.deleteQuietly(dataDir);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
