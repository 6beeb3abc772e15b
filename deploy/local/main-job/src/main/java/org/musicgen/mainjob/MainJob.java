package org.musicgen.mainjob;

import com.fasterxml.jackson.databind.JsonNode;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Score;
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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The main job (run.sh): the local stack and the four services as separate processes, one corpus through the whole
 * flow, then the URL of the listening form. Ctrl-C stops everything; the data stays for the next start.
 *
 * <pre>
 * run.sh [--corpus DIR|ZIP|MID] [--pieces N] [--keys KEY,KEY...|all] [--drums]
 *        [--encoding performance|performance-drums|seed] [--data-dir DIR] [--external] [--exit-when-done]
 * </pre>
 * {@code --drums} gives the synthetic pieces a drum part ({@link SyntheticCorpus#withDrums()}) and makes
 * {@code performance-drums} the encoding, so that the drums are kept; with {@code --corpus} it only sets the encoding.
 * Without {@code --corpus} the job writes the demo corpus ({@code --pieces} synthetic pieces in {@code --keys}, by
 * default 48 in C major and A minor) and trains it with the demo's settings ({@link Demo}).
 * {@code --encoding} is sent as the upload's {@code encoding} field: {@code performance} (the default, expressive
 * events) or {@code seed} (the reference study's note/chord tokens).
 * With {@code --external} no local stack is started: Kafka and the object store come from
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code MUSICGEN_STORAGE_ENDPOINT}, {@code MUSICGEN_STORAGE_ACCESS_KEY} and
 * {@code MUSICGEN_STORAGE_SECRET_KEY}.
 */
public final class MainJob {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Samples in each trained model's automatic batch, and real excerpts of the corpus beside them. */
    static final int BATCH = 8;
    static final int EXCERPTS = 8;

    record Options(Path root, Path dataDir, Path corpus, int pieces, List<String> keys, boolean drums,
                   String encoding, boolean external, boolean exitWhenDone) {

        /** The bundled synthetic corpus, trained with the demo's settings ({@link Demo}). */
        boolean demo() {
            return corpus == null;
        }
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
        LocalServices platform = new LocalServices(new LocalServices.Settings(options.root(), options.dataDir().resolve("logs"),
                kafka, s3, accessKey, secretKey, apiKey, LocalServices.Settings.defaultPorts(), serviceProperties(options)));
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
            say("starting " + String.join(", ", LocalServices.SERVICES) + " (logs in " + options.dataDir().resolve("logs")
                    + ")");
            long t0 = System.nanoTime();
            platform.start(Duration.ofMinutes(3));
            say(String.format("services ready in %.0f s", (System.nanoTime() - t0) / 1e9));

            PlatformClient client = PlatformClient.of(platform, apiKey);
            CorpusJourney flow = new CorpusJourney(client, MainJob::say);
            Outcome outcome = followCorpus(options, client, flow);
            String corpusId = outcome.corpusId();
            say("");
            say("corpus " + CorpusJourney.shortId(corpusId) + " '" + outcome.name() + "': "
                    + CorpusJourney.describeCorpus(outcome.corpus()));
            say("the listening test is ready:   " + client.evaluationUrl() + "/");
            say("results (LSTM vs GAN):         " + client.evaluationUrl() + "/results");
            say("APIs: ingest " + platform.service(LocalServices.INGEST).url() + "/q/swagger-ui, trainer "
                    + platform.service(LocalServices.TRAINER).url() + "/q/swagger-ui, generator "
                    + platform.service(LocalServices.GENERATOR).url() + "/q/swagger-ui");
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

    /** What one corpus became: its description, the finished runs, the automatic batches side by side. */
    /** @param drums the batches' drum parts beside the corpus's; null for a corpus without drums */
    record Outcome(String corpusId, String name, JsonNode corpus, List<JsonNode> runs, SampleComparison comparison,
                   DrumComparison drums) {

        JsonNode run(String model) {
            return runs.stream().filter(run -> run.path("model").asText().equals(model)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + model + " run"));
        }

        /** The lowest discriminator loss of the GAN's epochs: at chance (2 ln 2) it never told real from generated. */
        double lowestDiscriminatorLoss() {
            double lowest = Double.NaN;
            for (JsonNode epoch : run("gan").path("history")) {
                double loss = epoch.path("discriminatorLoss").asDouble(Double.NaN);
                lowest = Double.isNaN(lowest) || loss < lowest ? loss : lowest;
            }
            return lowest;
        }
    }

    /**
     * The corpus through the system: upload, ingestion, the two default runs, their automatic batches; reports each
     * step, then the batches' metrics per source and the LSTM's perplexities against the baselines.
     */
    static Outcome followCorpus(Options options, PlatformClient client, CorpusJourney flow) throws IOException {
        List<Path> files = corpusFiles(options);
        String name = options.demo() ? "synthetic-" + options.pieces() + "-" + String.join("-", options.keys())
                + (options.drums() ? "-drums" : "") : options.corpus().getFileName().toString();
        say("submitting corpus '" + name + "' (" + files.size() + " files) in the " + options.encoding()
                + " encoding");
        PlatformClient.Answer upload = client.uploadCorpus(name, options.encoding(), files);
        JsonNode corpus = upload.requireOk();
        String corpusId = corpus.path("id").asText();
        if (upload.status() == 200) {
            say("this corpus was submitted before: following corpus " + corpusId);
        }
        corpus = flow.awaitCorpus(corpusId, Duration.ofMinutes(10));
        say(options.demo() ? "training the LSTM and the GAN side by side, " + Demo.DESCRIPTION
                : "training the LSTM and the GAN (one at a time on this machine)");
        List<JsonNode> runs = flow.awaitTraining(corpusId, 2, Duration.ofHours(2));
        for (JsonNode run : runs) {
            say(summary(run));
        }
        SampleComparison comparison = flow.awaitBatches(corpusId, BATCH, EXCERPTS, Duration.ofMinutes(20));
        DrumComparison drums = corpus.path("counts").path("drumHits").asLong(0) > 0
                ? drumComparison(client, corpusId, files) : null;
        Outcome outcome = new Outcome(corpusId, name, corpus, runs, comparison, drums);
        say("");
        say("the automatic batches on the objective metrics (a model sounds like the corpus where its mean lies "
                + "within the corpus excerpts' range):");
        comparison.table().forEach(MainJob::say);
        if (drums != null) {
            say("their drum parts beside the corpus's four-bar phrases (batch means; the corpus's 5th-95th "
                    + "percentile):");
            drums.table().forEach(MainJob::say);
        }
        say(perplexities(outcome.run("lstm")));
        say(String.format(Locale.ROOT, "GAN discriminator loss: lowest %.3f over the epochs (chance: 2 ln 2 = %.3f)",
                outcome.lowestDiscriminatorLoss(), 2 * Math.log(2)));
        return outcome;
    }

    /** The models' batch samples (their MIDI, drums kept) beside the corpus's MIDI files. */
    static DrumComparison drumComparison(PlatformClient client, String corpusId, List<Path> files)
            throws IOException {
        MidiReader reader = MidiReader.sounding().withDrums();
        Map<String, List<Score>> samples = new LinkedHashMap<>();
        for (JsonNode view : client.allSamples()) {
            JsonNode sample = view.path("sample");
            String model = sample.path("model").asText();
            if (corpusId.equals(sample.path("corpusId").asText()) && "batch".equals(sample.path("origin").asText())
                    && (model.equals("lstm") || model.equals("gan"))) {
                samples.computeIfAbsent(model, k -> new ArrayList<>())
                        .add(read(reader, client.sampleMidi(sample.path("id").asText())));
            }
        }
        List<Score> pieces = new ArrayList<>();
        for (Path file : files) {
            if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                pieces.add(read(reader, Files.readAllBytes(file)));
            }
        }
        return DrumComparison.of(samples, pieces);
    }

    private static Score read(MidiReader reader, byte[] midi) throws IOException {
        try {
            return reader.read(midi);
        } catch (MidiFormatException e) {
            throw new IOException("unreadable MIDI: " + e.getMessage(), e);
        }
    }

    private static String summary(JsonNode run) {
        JsonNode metrics = run.path("finalMetrics");
        StringBuilder line = new StringBuilder(run.path("model").asText().toUpperCase(Locale.ROOT) + " run "
                + CorpusJourney.shortId(run.path("id").asText()) + " COMPLETED on " + run.path("device").asText());
        metrics.properties().forEach(e -> line.append(String.format(", %s %.3f", e.getKey(),
                e.getValue().asDouble())));
        return line.toString();
    }

    /** Per service: the generator's batch sizes, which the final table waits for, and the demo's settings. */
    static Map<String, Map<String, String>> serviceProperties(Options options) {
        Map<String, Map<String, String>> properties = new HashMap<>();
        properties.put(LocalServices.GENERATOR, Map.of("musicgen.generator.batch-size", Integer.toString(BATCH),
                "musicgen.generator.corpus-excerpts", Integer.toString(EXCERPTS)));
        if (options.demo()) {
            Demo.SERVICE_PROPERTIES.forEach((service, demo) -> {
                Map<String, String> merged = new HashMap<>(properties.getOrDefault(service, Map.of()));
                merged.putAll(demo);
                properties.put(service, merged);
            });
        }
        return properties;
    }

    /** The LSTM's held-out perplexity per event next to the trigram's and the unigram's, when the run has them. */
    static String perplexities(JsonNode run) {
        JsonNode m = run.path("finalMetrics");
        if (!m.path("pieceValidationPerplexity").isNumber() || !m.path("trigramPerplexity").isNumber()) {
            return "the LSTM run has no held-out perplexities";
        }
        double lstm = m.path("pieceValidationPerplexity").asDouble();
        double trigram = m.path("trigramPerplexity").asDouble();
        return String.format(Locale.ROOT, "held-out perplexity per event: LSTM %.2f, trigram %.2f, unigram %.2f (%s)",
                lstm, trigram, m.path("unigramPerplexity").asDouble(),
                lstm < trigram ? "the LSTM predicts better than the trigram" : "the LSTM does NOT beat the trigram");
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
            List<Path> files = CorpusFiles.under(corpus, CorpusFiles.UPLOADABLE);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no .mid, .midi or .zip files under " + corpus);
            }
            return files;
        }
        Path dir = options.dataDir().resolve(options.drums() ? "synthetic-drums-corpus" : "synthetic-corpus");
        Files.createDirectories(dir);
        SyntheticCorpus synthetic = options.drums() ? new SyntheticCorpus(1).withDrums() : new SyntheticCorpus(1);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < options.pieces(); i++) {
            // the keys take turns; "all" keeps each piece's own key (the twelve in turn)
            GeneratedPiece piece = options.keys().equals(List.of(Demo.ALL_KEYS)) ? synthetic.piece(i)
                    : synthetic.piece(i, options.keys().get(i % options.keys().size()));
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
        int pieces = Demo.PIECES;
        List<String> keys = Demo.KEYS;
        String encoding = null;
        boolean drums = false;
        boolean external = false;
        boolean exitWhenDone = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus" -> corpus = Path.of(value(args, ++i)).toAbsolutePath();
                case "--pieces" -> pieces = positive(value(args, ++i), "--pieces");
                case "--keys" -> keys = keys(value(args, ++i));
                case "--encoding" -> encoding = encoding(value(args, ++i));
                case "--drums" -> drums = true;
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--external" -> external = true;
                case "--exit-when-done" -> exitWhenDone = true;
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (drums && encoding != null && !Encodings.hasDrums(encoding)) {
            throw new IllegalArgumentException("--drums needs the " + Encodings.PERFORMANCE_DRUMS
                    + " encoding (the one that keeps drum hits), not " + encoding);
        }
        if (encoding == null) {
            encoding = drums ? Encodings.PERFORMANCE_DRUMS : Encodings.DEFAULT;
        }
        return new Options(root, dataDir.toAbsolutePath().normalize(), corpus, pieces, keys, drums, encoding,
                external, exitWhenDone);
    }

    private static void usage() {
        System.err.println("usage: run.sh [--corpus DIR|ZIP|MID] [--pieces N] [--keys KEY,KEY...|all] [--drums] "
                + "[--encoding performance|performance-drums|seed] [--data-dir DIR] [--external] [--exit-when-done]");
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static List<String> keys(String value) {
        if (value.equals(Demo.ALL_KEYS)) {
            return List.of(Demo.ALL_KEYS);
        }
        List<String> keys = List.of(value.split(","));
        for (String key : keys) {
            if (!SyntheticCorpus.KEYS.contains(key)) {
                throw new IllegalArgumentException("--keys: unknown key '" + key + "'; the synthetic pieces come in "
                        + String.join(", ", SyntheticCorpus.KEYS) + ", or 'all' (each piece in its own key)");
            }
        }
        return keys;
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
