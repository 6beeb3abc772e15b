package org.musicgen.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: {@code run [--data-dir DIR] [--kafka-port N] [--s3-port N] [--access-key K] [--secret-key S]}
 * starts the local stack in the foreground (Kafka on 127.0.0.1:9092, S3 on 127.0.0.1:9000 by default)
 * and stops it, keeping the data, on Ctrl-C or SIGTERM. The data directory comes from
 * {@code --data-dir}, else the environment variable {@code MUSICGEN_DATA_DIR}, else {@code ./.local-stack}.
 * Once both servers answer, the endpoints are written to {@code <data dir>/local-stack.ready}.
 */
public final class LocalStackMain {

    static final String READY_FILE = "local-stack.ready";

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = "run";
        String dataDir = System.getenv().getOrDefault("MUSICGEN_DATA_DIR", "");
        if (dataDir.isBlank()) {
            dataDir = ".local-stack";
        }
        int kafkaPort = 9092;
        int s3Port = 9000;
        String accessKey = envOr("MUSICGEN_STORAGE_ACCESS_KEY", "minioadmin");
        String secretKey = envOr("MUSICGEN_STORAGE_SECRET_KEY", "minioadmin");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "run" -> command = "run";
                case "--data-dir" -> dataDir = value(args, ++i, arg);
                case "--kafka-port" -> kafkaPort = port(value(args, ++i, arg), arg);
                case "--s3-port" -> s3Port = port(value(args, ++i, arg), arg);
                case "--access-key" -> accessKey = value(args, ++i, arg);
                case "--secret-key" -> secretKey = value(args, ++i, arg);
                case "-h", "--help", "help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + arg);
                    usage();
                    System.exit(2);
                }
            }
        }
        if (!command.equals("run")) {
            usage();
            System.exit(2);
        }
        run(Path.of(dataDir), kafkaPort, s3Port, accessKey, secretKey);
    }

    private static void run(Path dataDir, int kafkaPort, int s3Port, String accessKey, String secretKey)
            throws IOException, InterruptedException {
        LocalStack stack = LocalStack.builder()
                .dataDir(dataDir).kafkaPort(kafkaPort).s3Port(s3Port)
                .accessKey(accessKey).secretKey(secretKey)
                .build();
        Path ready = stack.dataDir().resolve(READY_FILE);
        Files.deleteIfExists(ready);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[local-stack] stopping (data kept in " + stack.dataDir() + ")");
            try {
                Files.deleteIfExists(ready);
            } catch (IOException e) {
                // best effort
            }
            stack.stop();
            stopped.countDown();
        }, "local-stack-main-shutdown"));

        long t0 = System.nanoTime();
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("[local-stack] failed to start: " + e.getMessage());
            System.exit(1);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String endpoints = String.join(System.lineSeparator(),
                "KAFKA_BOOTSTRAP_SERVERS=" + stack.kafkaBootstrapServers(),
                "S3_ENDPOINT=" + stack.s3Endpoint(),
                "S3_ACCESS_KEY=" + stack.accessKey(),
                "S3_SECRET_KEY=" + stack.secretKey(),
                "DATA_DIR=" + stack.dataDir(),
                "PID=" + ProcessHandle.current().pid(),
                "");
        Files.writeString(ready, endpoints, StandardCharsets.UTF_8);
        System.out.println("[local-stack] ready in " + ms + " ms");
        System.out.println("  kafka bootstrap servers: " + stack.kafkaBootstrapServers());
        System.out.println("  s3 endpoint:             " + stack.s3Endpoint()
                + "  (access key " + stack.accessKey() + ", path-style)");
        System.out.println("  data directory:          " + stack.dataDir());
        System.out.println("  logs:                    " + stack.dataDir().resolve("logs"));
        System.out.println("[local-stack] press Ctrl-C to stop");
        System.out.flush();
        stopped.await();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    private static int port(String value, String option) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            System.err.println(option + ": not a port: " + value);
            System.exit(2);
            return -1;
        }
    }

    private static void usage() {
        System.out.println("usage: LocalStackMain run [--data-dir DIR] [--kafka-port N] [--s3-port N]"
                + " [--access-key K] [--secret-key S]");
        System.out.println("  defaults: Kafka 127.0.0.1:9092, S3 127.0.0.1:9000, minioadmin/minioadmin,");
        System.out.println("  data dir $MUSICGEN_DATA_DIR or ./.local-stack; port 0 picks a free port");
    }
}
