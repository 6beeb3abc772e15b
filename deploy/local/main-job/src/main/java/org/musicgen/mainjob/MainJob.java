package org.musicgen.mainjob;

import com.fasterxml.jackson.databind.JsonNode;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.localstack.LocalStack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The main job (run.sh): the local stack and the four services as separate processes, one corpus through the whole
 * flow, then the URL of the listening form. Ctrl-C stops everything; the data stays for the next start.
 *
 * <pre>
 * run.sh [--corpus DIR|ZIP|MID] [--pieces N] [--encoding performance|seed] [--data-dir DIR] [--external]
 *        [--exit-when-done]
 * </pre>
 * {@code --encoding} is sent as the upload's {@code encoding} field: {@code performance} (the default, expressive
 * events) or {@code seed} (the reference study's note/chord tokens).
 * With {@code --external} no local stack is started: Kafka and the object store come from
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code MUSICGEN_STORAGE_ENDPOINT}, {@code MUSICGEN_STORAGE_ACCESS_KEY} and
 * {@code MUSICGEN_STORAGE_SECRET_KEY}.
 */
public final class MainJob {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    record Options(Path root, Path dataDir, Path corpus, int pieces, String encoding, boolean external,
                   boolean exitWhenDone) {
    }

    private MainJob() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    static int run(Options options) throws Exception {
        Files.createDirectories(options.dataDir());
        LocalStack stack = null;
        String kafka;
        String s3;
        String accessKey;
        String secretKey;
        if (options.external()) {
            kafka = requireEnv("KAFKA_BOOTSTRAP_SERVERS");
            s3 = requireEnv("MUSICGEN_STORAGE_ENDPOINT");
            accessKey = requireEnv("MUSICGEN_STORAGE_ACCESS_KEY");
            secretKey = requireEnv("MUSICGEN_STORAGE_SECRET_KEY");
            say("using the existing Kafka at " + kafka + " and object store at " + s3);
        } else if (listening(9092) && listening(9000)) {
            kafka = "127.0.0.1:9092";
            s3 = "http://127.0.0.1:9000";
            accessKey = envOr("MUSICGEN_STORAGE_ACCESS_KEY", "minioadmin");
            secretKey = envOr("MUSICGEN_STORAGE_SECRET_KEY", "minioadmin");
            say("a local stack is already running (deploy/local/local-stack.sh): using it");
        } else {
            say("starting the local stack (Kafka, S3) with data in " + options.dataDir().resolve("stack"));
            stack = LocalStack.builder().dataDir(options.dataDir().resolve("stack")).kafkaPort(9092).s3Port(9000)
                    .build();
            stack.start();
            kafka = stack.kafkaBootstrapServers();
            s3 = stack.s3Endpoint();
            accessKey = stack.accessKey();
            secretKey = stack.secretKey();
        }
        String apiKey = apiKey(options.dataDir());
        Platform platform = new Platform(new Platform.Settings(options.root(), options.dataDir().resolve("logs"),
                kafka, s3, accessKey, secretKey, apiKey, Platform.Settings.defaultPorts(), Map.of()));
        LocalStack startedStack = stack;
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopRequested = new AtomicBoolean();
        Thread shutdown = new Thread(() -> {
            stopRequested.set(true);
            say("stopping the services" + (startedStack != null ? " and the local stack" : "")
                    + " (data kept in " + options.dataDir() + ")");
            platform.close();
            if (startedStack != null) {
                startedStack.stop();
            }
            say("stopped");
            stopped.countDown();
        }, "main-job-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        try {
            say("starting " + String.join(", ", Platform.SERVICES) + " (logs in " + options.dataDir().resolve("logs")
                    + ")");
            long t0 = System.nanoTime();
            platform.start(Duration.ofMinutes(3));
            say(String.format("services ready in %.0f s", (System.nanoTime() - t0) / 1e9));

            PlatformClient client = PlatformClient.of(platform, apiKey);
            Flow flow = new Flow(client, MainJob::say);
            List<Path> files = corpusFiles(options);
            String name = options.corpus() == null ? "synthetic-" + options.pieces()
                    : options.corpus().getFileName().toString();
            say("submitting corpus '" + name + "' (" + files.size() + " files) in the " + options.encoding()
                    + " encoding");
            PlatformClient.Answer upload = client.uploadCorpus(name, options.encoding(), files);
            JsonNode corpus = upload.requireOk();
            String corpusId = corpus.path("id").asText();
            if (upload.status() == 200) {
                say("this corpus was submitted before: following corpus " + corpusId);
            }
            corpus = flow.awaitCorpus(corpusId, Duration.ofMinutes(10));
            say("training the LSTM and the GAN (one at a time on this machine)");
            List<JsonNode> runs = flow.awaitTraining(corpusId, 2, Duration.ofHours(2));
            for (JsonNode run : runs) {
                say(summary(run));
            }
            for (JsonNode run : runs) {
                flow.awaitSamples(run.path("id").asText(), 1, Duration.ofMinutes(20));
            }
            say("");
            say("corpus " + Flow.shortId(corpusId) + " '" + name + "': " + Flow.describeCorpus(corpus));
            say("the listening test is ready:   " + client.evaluationUrl() + "/");
            say("results (LSTM vs GAN):         " + client.evaluationUrl() + "/results");
            say("APIs: ingest " + platform.service(Platform.INGEST).url() + "/q/swagger-ui, trainer "
                    + platform.service(Platform.TRAINER).url() + "/q/swagger-ui, generator "
                    + platform.service(Platform.GENERATOR).url() + "/q/swagger-ui");
            say("write requests need the API key in " + options.dataDir().resolve("api-key")
                    + " (header X-API-Key)");
        } catch (RuntimeException | IOException e) {
            if (stopRequested.get()) {
                // the services went away because a stop was asked for (SIGTERM, Ctrl-C), not because one failed
                say("stop requested: the run ends here, nothing failed; the same command resumes it from the "
                        + "data kept");
                stopped.await();
                return 0;
            }
            say("FAILED: " + e.getMessage());
            if (options.exitWhenDone()) {
                return 1;
            }
            say("the services keep running for inspection; Ctrl-C stops them");
        }
        if (options.exitWhenDone()) {
            return 0;
        }
        say("press Ctrl-C to stop");
        stopped.await();
        return 0;
    }

    private static String summary(JsonNode run) {
        JsonNode metrics = run.path("finalMetrics");
        StringBuilder line = new StringBuilder(run.path("model").asText().toUpperCase(Locale.ROOT) + " run "
                + Flow.shortId(run.path("id").asText()) + " COMPLETED on " + run.path("device").asText());
        metrics.properties().forEach(e -> line.append(String.format(", %s %.3f", e.getKey(),
                e.getValue().asDouble())));
        return line.toString();
    }

    /** The files of {@code --corpus}, or a fresh synthetic corpus written under the data directory. */
    static List<Path> corpusFiles(Options options) throws IOException {
        if (options.corpus() != null) {
            Path corpus = options.corpus();
            if (Files.isRegularFile(corpus)) {
                return List.of(corpus);
            }
            if (!Files.isDirectory(corpus)) {
                throw new IllegalArgumentException("--corpus " + corpus + " is neither a file nor a directory");
            }
            try (Stream<Path> walk = Files.walk(corpus)) {
                List<Path> files = walk.filter(Files::isRegularFile).filter(p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".mid") || n.endsWith(".midi") || n.endsWith(".zip");
                }).sorted().toList();
                if (files.isEmpty()) {
                    throw new IllegalArgumentException("no .mid, .midi or .zip files under " + corpus);
                }
                return files;
            }
        }
        Path dir = options.dataDir().resolve("synthetic-corpus");
        Files.createDirectories(dir);
        SyntheticCorpus synthetic = new SyntheticCorpus(1);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < options.pieces(); i++) {
            GeneratedPiece piece = synthetic.piece(i);
            Path file = dir.resolve(piece.fileName());
            Files.write(file, piece.midi());
            files.add(file);
        }
        return files;
    }

    /** The key write requests need: MUSICGEN_API_KEY, else one kept in the data directory (created once). */
    static String apiKey(Path dataDir) throws IOException {
        String fromEnv = System.getenv("MUSICGEN_API_KEY");
        Path file = dataDir.resolve("api-key");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        if (Files.isRegularFile(file)) {
            return Files.readString(file).trim();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String key = HexFormat.of().formatHex(random);
        Files.writeString(file, key + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the default permissions
        }
        return key;
    }

    static Options parse(String[] args) {
        Path root = Path.of(System.getProperty("musicgen.root", ".")).toAbsolutePath().normalize();
        Path dataDir = Path.of(envOr("MUSICGEN_DATA_DIR", root.resolve(".local-stack").toString()));
        Path corpus = null;
        int pieces = 48;
        String encoding = Encodings.DEFAULT;
        boolean external = false;
        boolean exitWhenDone = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus" -> corpus = Path.of(value(args, ++i)).toAbsolutePath();
                case "--pieces" -> pieces = positive(value(args, ++i), "--pieces");
                case "--encoding" -> encoding = encoding(value(args, ++i));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--external" -> external = true;
                case "--exit-when-done" -> exitWhenDone = true;
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        return new Options(root, dataDir.toAbsolutePath().normalize(), corpus, pieces, encoding, external,
                exitWhenDone);
    }

    private static void usage() {
        System.err.println("usage: run.sh [--corpus DIR|ZIP|MID] [--pieces N] [--encoding performance|seed] "
                + "[--data-dir DIR] [--external] [--exit-when-done]");
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static String encoding(String value) {
        try {
            return Encodings.checkName(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--encoding: " + e.getMessage());
        }
    }

    private static int positive(String value, String option) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1 || n > 100_000) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number from 1 to 100000, got " + value);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String requireEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--external needs " + name);
        }
        return value;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static void say(String line) {
        System.out.println("[" + LocalTime.now().format(CLOCK) + "] " + line);
        System.out.flush();
    }
}
