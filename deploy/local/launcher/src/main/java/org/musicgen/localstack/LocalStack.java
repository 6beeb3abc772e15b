package org.musicgen.localstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker (KRaft, combined broker and controller, single node) and an S3-compatible server
 * (s3proxy, filesystem backend) on 127.0.0.1, each in its own JVM started from Maven artifacts.
 *
 * <p>Layout under {@link #dataDir()}: {@code kafka/} (broker configuration and log directory, formatted
 * once, so a restart keeps topics and messages), {@code s3/} (server configuration and the buckets
 * under {@code s3/data}), {@code logs/} (the processes' output: {@code kafka.log}, {@code s3.log}).
 */
public final class LocalStack implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path dataDir;
    private final int kafkaPort;
    private final int s3Port;
    private final String accessKey;
    private final String secretKey;
    private final Duration startTimeout;
    private final String kafkaHeap;
    private final String s3Heap;

    private final ServerProcess kafka;
    private final ServerProcess s3;
    private Thread shutdownHook;

    private LocalStack(Builder b) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.kafkaPort = b.kafkaPort == 0 ? freePort() : b.kafkaPort;
        int s3 = b.s3Port == 0 ? freePort() : b.s3Port;
        while (s3 == this.kafkaPort) {
            s3 = freePort();
        }
        this.s3Port = s3;
        this.accessKey = b.accessKey;
        this.secretKey = b.secretKey;
        this.startTimeout = b.startTimeout;
        this.kafkaHeap = b.kafkaHeap;
        this.s3Heap = b.s3Heap;
        this.kafka = new ServerProcess("kafka", logsDir().resolve("kafka.log"));
        this.s3 = new ServerProcess("s3", logsDir().resolve("s3.log"));
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ lifecycle

    /** Starts both servers in parallel and returns once both answer. */
    public LocalStack start() {
        prepareDirectories();
        registerShutdownHook();
        CompletableFuture<Void> k = CompletableFuture.runAsync(this::startKafka);
        CompletableFuture<Void> s = CompletableFuture.runAsync(this::startS3);
        try {
            CompletableFuture.allOf(k, s).join();
        } catch (CompletionException e) {
            stop();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        }
        return this;
    }

    /** Stops both servers (gracefully, forcibly after a timeout). Data is kept. */
    public void stop() {
        CompletableFuture<Void> k = CompletableFuture.runAsync(this::stopKafka);
        CompletableFuture<Void> s = CompletableFuture.runAsync(this::stopS3);
        CompletableFuture.allOf(k, s).join();
        removeShutdownHook();
    }

    @Override
    public void close() {
        stop();
    }

    /** Starts (or restarts after {@link #stopKafka()}) the broker on the same port and data. */
    public void startKafka() {
        prepareDirectories();
        registerShutdownHook();
        if (kafka.isAlive()) {
            return;
        }
        long t0 = System.nanoTime();
        String classpath = childClasspath(RuntimeClasspath.load(RuntimeClasspath.KAFKA));
        Path kafkaDir = dataDir.resolve("kafka");
        Path config = kafkaDir.resolve("server.properties");
        int controllerPort = controllerPort(kafkaDir);
        writeKafkaConfig(config, kafkaDir.resolve("data"), controllerPort);
        formatIfNeeded(classpath, config, kafkaDir);
        kafka.start(command(kafkaJvmOptions(), classpath, "kafka.Kafka", config.toString()), kafkaDir);
        awaitKafka(System.nanoTime() + startTimeout.toNanos());
        log("kafka ready on " + kafkaBootstrapServers() + " in " + millisSince(t0) + " ms");
    }

    /** Stops the broker alone; its data stays for {@link #startKafka()}. */
    public void stopKafka() {
        kafka.stop(STOP_GRACE);
    }

    /** Starts (or restarts after {@link #stopS3()}) the S3 server on the same port and data. */
    public void startS3() {
        prepareDirectories();
        registerShutdownHook();
        if (s3.isAlive()) {
            return;
        }
        long t0 = System.nanoTime();
        String classpath = childClasspath(RuntimeClasspath.load(RuntimeClasspath.S3PROXY));
        Path s3Dir = dataDir.resolve("s3");
        Path config = s3Dir.resolve("s3proxy.conf");
        Path logback = s3Dir.resolve("logback.xml");
        writeS3Config(config, logback, s3Dir.resolve("data"));
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + s3Heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + logback));
        s3.start(command(jvm, classpath, "org.gaul.s3proxy.Main", "--properties", config.toString()), s3Dir);
        awaitS3(System.nanoTime() + startTimeout.toNanos());
        log("s3 ready on " + s3Endpoint() + " in " + millisSince(t0) + " ms");
    }

    /** Stops the S3 server alone; its buckets stay for {@link #startS3()}. */
    public void stopS3() {
        s3.stop(STOP_GRACE);
    }

    // ------------------------------------------------------------------ endpoints

    public String kafkaBootstrapServers() {
        return HOST + ":" + kafkaPort;
    }

    /** Publishes to and reads from this stack's broker (for tests). */
    public TopicClient topics() {
        return new TopicClient(kafkaBootstrapServers());
    }

    public String s3Endpoint() {
        return "http://" + HOST + ":" + s3Port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    public int s3Port() {
        return s3Port;
    }

    public boolean isKafkaRunning() {
        return kafka.isAlive();
    }

    public boolean isS3Running() {
        return s3.isAlive();
    }

    Path logsDir() {
        return dataDir.resolve("logs");
    }

    @Override
    public String toString() {
        return "LocalStack[kafka=" + kafkaBootstrapServers() + ", s3=" + s3Endpoint() + ", dataDir=" + dataDir + "]";
    }

    // ------------------------------------------------------------------ kafka

    private void writeKafkaConfig(Path config, Path logDir, int controllerPort) {
        String listener = HOST + ":" + kafkaPort;
        String controller = HOST + ":" + controllerPort;
        String text = String.join("\n",
                "# written by org.musicgen.localstack.LocalStack on every start",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=" + controller,
                "listeners=PLAINTEXT://" + listener + ",CONTROLLER://" + controller,
                "advertised.listeners=PLAINTEXT://" + listener,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + escape(logDir.toString()),
                "auto.create.topics.enable=true",
                "num.partitions=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "share.coordinator.state.topic.num.partitions=1",
                "group.initial.rebalance.delay.ms=0",
                // a restarted broker registers again only once its previous registration expired
                "broker.heartbeat.interval.ms=1000",
                "broker.session.timeout.ms=4000",
                "num.network.threads=2",
                "num.io.threads=2",
                "background.threads=2",
                "num.recovery.threads.per.data.dir=1",
                "log.cleaner.threads=1",
                "log.cleaner.dedupe.buffer.size=8388608",
                "log.segment.bytes=16777216",
                "log.retention.hours=168",
                "");
        writeString(config, text);
    }

    /** Formats the log directory once; an already formatted directory keeps its data. */
    private void formatIfNeeded(String classpath, Path config, Path kafkaDir) {
        Path logDir = kafkaDir.resolve("data");
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        List<String> cmd = command(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), classpath,
                "kafka.tools.StorageTool", "format", "--standalone", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", config.toString());
        Path log = logsDir().resolve("kafka-format.log");
        int exit;
        try {
            exit = ServerProcess.runToCompletion(cmd, kafkaDir, log, Duration.ofMinutes(2));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the Kafka storage format tool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + logDir + " failed (exit " + exit
                    + "); tail of " + log + ":\n" + ServerProcess.tail(log, 40));
        }
    }

    /**
     * The controller listener's port is kept in the data directory: a KRaft quorum formatted with
     * --standalone records its voter's endpoint, so later starts reuse it.
     */
    private static int controllerPort(Path kafkaDir) {
        Path file = kafkaDir.resolve("controller.port");
        if (Files.exists(file)) {
            try {
                return Integer.parseInt(Files.readString(file).trim());
            } catch (IOException | NumberFormatException e) {
                // fall through: choose a new one
            }
        }
        int port = freePort();
        writeString(file, port + "\n");
        return port;
    }

    private List<String> kafkaJvmOptions() {
        return List.of("-Xmx" + kafkaHeap, "-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig=warn",
                "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaConfig=warn",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.utils.AppInfoParser=warn");
    }

    private void awaitKafka(long deadline) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-stack-readiness");
        String lastError = "no answer yet";
        // wait for the listener first, so the admin client does not log a refused connection every 500 ms
        while (!acceptsConnections(kafkaPort)) {
            failIfDead(kafka);
            if (System.nanoTime() > deadline) {
                throw timeout(kafka, "Kafka on " + kafkaBootstrapServers() + " (port not open)");
            }
            sleep(200);
        }
        try (Admin admin = Admin.create(props)) {
            while (true) {
                failIfDead(kafka);
                try {
                    var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                            .nodes().get(4, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                    lastError = "cluster has no nodes yet";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                } catch (Exception e) {
                    lastError = String.valueOf(e.getCause() == null ? e : e.getCause());
                }
                if (System.nanoTime() > deadline) {
                    throw timeout(kafka, "Kafka on " + kafkaBootstrapServers() + " (last error: " + lastError + ")");
                }
                sleep(200);
            }
        }
    }

    // ------------------------------------------------------------------ s3

    private void writeS3Config(Path config, Path logback, Path baseDir) {
        String text = String.join("\n",
                "# written by org.musicgen.localstack.LocalStack on every start",
                "s3proxy.endpoint=http://" + HOST + ":" + s3Port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + escape(accessKey),
                "s3proxy.credential=" + escape(secretKey),
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + escape(baseDir.toString()),
                "");
        writeString(config, text);
        writeString(logback, String.join("\n",
                "<configuration>",
                "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                "    <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>",
                "  </appender>",
                "  <logger name=\"org.gaul.s3proxy\" level=\"INFO\"/>",
                "  <root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>",
                "</configuration>",
                ""));
    }

    private void awaitS3(long deadline) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(s3Endpoint() + "/"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        String lastError = "no answer yet";
        while (true) {
            failIfDead(s3);
            try {
                // any HTTP answer (403 without credentials) means the server is up
                client.send(request, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for S3", e);
            } catch (IOException e) {
                lastError = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw timeout(s3, "S3 on " + s3Endpoint() + " (last error: " + lastError + ")");
            }
            sleep(200);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void prepareDirectories() {
        try {
            Files.createDirectories(dataDir.resolve("kafka"));
            Files.createDirectories(dataDir.resolve("s3").resolve("data"));
            Files.createDirectories(logsDir());
            Files.createDirectories(launcherClassesDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
    }

    private Path launcherClassesDir() {
        return dataDir.resolve(".launcher");
    }

    /** The server's classpath preceded by a directory holding the {@link ChildWatchdog} class. */
    private String childClasspath(String serverClasspath) {
        String resource = ChildWatchdog.class.getName().replace('.', '/') + ".class";
        Path target = launcherClassesDir().resolve(resource);
        try (InputStream in = LocalStack.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class file " + resource + " not found");
            }
            byte[] bytes = in.readAllBytes();
            synchronized (LocalStack.class) {
                Files.createDirectories(target.getParent());
                if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
                    Path tmp = Files.createTempFile(target.getParent(), "watchdog", ".tmp");
                    Files.write(tmp, bytes);
                    Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        return launcherClassesDir() + File.pathSeparator + serverClasspath;
    }

    private static List<String> command(List<String> jvmOptions, String classpath, String mainClass,
                                        String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(ChildWatchdog.class.getName());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin",
                File.separatorChar == '\\' ? "java.exe" : "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static void failIfDead(ServerProcess process) {
        Integer exit = process.exitCodeIfDead();
        if (exit != null) {
            throw new IllegalStateException(process.name() + " exited with code " + exit + " while starting; tail of "
                    + process.logFile() + ":\n" + process.logTail(40));
        }
    }

    private IllegalStateException timeout(ServerProcess process, String what) {
        return new IllegalStateException("timed out after " + startTimeout.toSeconds() + " s waiting for " + what
                + "; tail of " + process.logFile() + ":\n" + process.logTail(40));
    }

    private synchronized void registerShutdownHook() {
        if (shutdownHook != null) {
            return;
        }
        shutdownHook = new Thread(() -> {
            CompletableFuture<Void> k = CompletableFuture.runAsync(() -> kafka.stop(Duration.ofSeconds(15)));
            CompletableFuture<Void> s = CompletableFuture.runAsync(() -> s3.stop(Duration.ofSeconds(10)));
            CompletableFuture.allOf(k, s).join();
        }, "local-stack-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            shutdownHook = null; // the JVM is already shutting down
        }
    }

    private synchronized void removeShutdownHook() {
        if (shutdownHook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs anyway
        }
        shutdownHook = null;
    }

    private static boolean acceptsConnections(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }

    private static void writeString(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Escapes a value for a java.util.Properties file (backslashes, e.g. Windows paths). */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static void log(String message) {
        System.out.println("[local-stack] " + message);
    }

    // ------------------------------------------------------------------ builder

    public static final class Builder {
        private Path dataDir = Path.of(".local-stack");
        private int kafkaPort = 9092;
        private int s3Port = 9000;
        private String accessKey = "minioadmin";
        private String secretKey = "minioadmin";
        private Duration startTimeout = Duration.ofSeconds(120);
        private String kafkaHeap = "512m";
        private String s3Heap = "256m";

        private Builder() {
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** Broker port on 127.0.0.1; 0 picks a free one. Default 9092. */
        public Builder kafkaPort(int kafkaPort) {
            this.kafkaPort = checkPort(kafkaPort);
            return this;
        }

        /** S3 port on 127.0.0.1; 0 picks a free one. Default 9000. */
        public Builder s3Port(int s3Port) {
            this.s3Port = checkPort(s3Port);
            return this;
        }

        public Builder accessKey(String accessKey) {
            this.accessKey = requireText(accessKey, "accessKey");
            return this;
        }

        public Builder secretKey(String secretKey) {
            this.secretKey = requireText(secretKey, "secretKey");
            return this;
        }

        /** How long each server may take to answer after being started. Default 120 s. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        /** Maximum heap of the broker JVM, as for -Xmx. Default 512m. */
        public Builder kafkaHeap(String kafkaHeap) {
            this.kafkaHeap = requireText(kafkaHeap, "kafkaHeap");
            return this;
        }

        /** Maximum heap of the S3 server JVM, as for -Xmx. Default 256m. */
        public Builder s3Heap(String s3Heap) {
            this.s3Heap = requireText(s3Heap, "s3Heap");
            return this;
        }

        /** Resolves port 0 to a free port now, so endpoints are known before {@link LocalStack#start()}. */
        public LocalStack build() {
            return new LocalStack(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }

        private static String requireText(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}
