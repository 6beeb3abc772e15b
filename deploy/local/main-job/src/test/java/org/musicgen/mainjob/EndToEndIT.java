package org.musicgen.mainjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.localstack.LocalStack;
import org.musicgen.testing.TrialAnswers;

import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.musicgen.testing.EventFields.field;

/**
 * The whole system as a user runs it: the real local stack and the four services as separate processes. One corpus
 * goes from upload to training, samples, ratings and results while the broker restarts and the trainer is killed;
 * the object store goes away for a while; events are delivered twice; an unreadable event is sent. Each step asserts
 * what a user sees and that nothing was lost or done twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static final String API_KEY = "e2e-" + Long.toHexString(System.nanoTime());
    private static final int LSTM_EPOCHS = 60;
    private static final int GAN_EPOCHS = 8;
    private static final int BATCH = 2;
    private static final int EXCERPTS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalStack stack;
    private static LocalServices platform;
    private static PlatformClient client;
    private static CorpusJourney flow;
    private static Path work;

    /** What the main flow produced, for the later checks. */
    private static String corpusId;
    private static List<JsonNode> runs;

    @BeforeAll
    static void startEverything() throws Exception {
        work = Files.createTempDirectory("musicgen-e2e");
        stack = LocalStack.builder().dataDir(work.resolve("stack")).kafkaPort(0).s3Port(0).build().start();
        Map<String, Integer> ports = new HashMap<>();
        for (String service : LocalServices.SERVICES) {
            ports.put(service, freePort());
        }
        Map<String, Map<String, String>> properties = Map.of(
                LocalServices.TRAINER, Map.of(
                        "musicgen.trainer.default-lstm-epochs", Integer.toString(LSTM_EPOCHS),
                        "musicgen.trainer.default-gan-epochs", Integer.toString(GAN_EPOCHS),
                        // every epoch must run (the test counts them through a crash): no early stop, no budget
                        "musicgen.trainer.default-lstm-patience", "100000",
                        "musicgen.trainer.default-gan-patience", "100000",
                        "musicgen.trainer.default-lstm-max-minutes", "600",
                        "musicgen.trainer.default-gan-max-minutes", "600"),
                LocalServices.GENERATOR, Map.of(
                        "musicgen.generator.batch-size", Integer.toString(BATCH),
                        "musicgen.generator.corpus-excerpts", Integer.toString(EXCERPTS)));
        Path root = Path.of(System.getProperty("musicgen.root", "../../..")).toAbsolutePath().normalize();
        platform = new LocalServices(new LocalServices.Settings(root, work.resolve("logs"), stack.kafkaBootstrapServers(),
                stack.s3Endpoint(), stack.accessKey(), stack.secretKey(), API_KEY, ports, properties));
        platform.start(Duration.ofMinutes(4));
        client = PlatformClient.of(platform, API_KEY);
        flow = new CorpusJourney(client, line -> System.out.println("[e2e] " + line));
    }

    @AfterAll
    static void stopEverything() {
        if (platform != null) {
            platform.close();
        }
        if (stack != null) {
            stack.stop();
        }
    }

    /** Last: the corpus accepted after the outage queues training runs that nothing waits for. */
    @Test
    @Order(6)
    void withoutTheObjectStoreAnUploadIsRefusedWithRetryAfterAndAnnouncesNothing() throws Exception {
        int eventsBefore = stack.topics().readAll("corpora.ingested", r -> true, Duration.ofSeconds(2)).size();
        stack.stopS3();
        try {
            PlatformClient.Answer refused = client.uploadCorpus("during the outage", corpus(90, 3));
            assertEquals(503, refused.status(), refused.text());
            assertTrue(refused.text().contains("object store"), refused.text());
        } finally {
            stack.startS3();
        }
        // Nothing refers to an object that does not exist: no event was sent for the refused upload.
        assertEquals(eventsBefore, stack.topics().readAll("corpora.ingested", r -> true, Duration.ofSeconds(2)).size());
        // Work resumes when the store is back: the same upload now goes through.
        PlatformClient.Answer accepted = awaitAccepted("after the outage", corpus(90, 3));
        flow.awaitCorpus(accepted.json().path("id").asText(), Duration.ofMinutes(2));
    }

    @Test
    @Order(1)
    void aCorpusBecomesModelsSamplesAndResultsThroughABrokerRestartAndATrainerCrash() throws Exception {
        PlatformClient.Answer upload = client.uploadCorpus("e2e synthetic", corpus(1, 24));
        assertEquals(202, upload.status(), upload.text());
        corpusId = upload.json().path("id").asText();
        JsonNode corpus = flow.awaitCorpus(corpusId, Duration.ofMinutes(3));
        assertEquals("performance", corpus.path("encoding").asText(), "the default encoding");

        // The trainer is killed in the middle of the LSTM run and comes back.
        JsonNode beforeCrash = awaitRun("lstm", run -> run.path("epoch").asInt() >= 2);
        assertEquals("RUNNING", beforeCrash.path("status").asText(), "the crash must hit a running run");
        platform.service(LocalServices.TRAINER).kill();
        platform.service(LocalServices.TRAINER).start();
        platform.service(LocalServices.TRAINER).awaitReady(Duration.ofMinutes(3));

        // The broker restarts while training goes on.
        awaitRun("lstm", run -> run.path("epoch").asInt() > beforeCrash.path("epoch").asInt());
        stack.stopKafka();
        Thread.sleep(3000);
        stack.startKafka();

        runs = flow.awaitTraining(corpusId, 2, Duration.ofMinutes(15));
        assertEquals(2, runs.size(), "one LSTM and one GAN run per corpus, however often the event arrived");
        JsonNode lstm = runOf("lstm");
        JsonNode gan = runOf("gan");
        assertEquals(LSTM_EPOCHS, lstm.path("history").size(), "every epoch once: resumed, not restarted");
        for (int i = 0; i < LSTM_EPOCHS; i++) {
            assertEquals(i + 1, lstm.path("history").get(i).path("epoch").asInt());
        }
        double first = lstm.path("history").get(0).path("validationLoss").asDouble();
        double best = lstm.path("finalMetrics").path("validationLoss").asDouble();
        assertTrue(best < first, "the LSTM learned: validation loss " + first + " -> " + best);
        assertEquals(GAN_EPOCHS, gan.path("history").size());

        // Samples: the batch of each model, the corpus excerpts and their low anchors, playable through the generator.
        List<JsonNode> lstmSamples = flow.awaitSamples(lstm.path("id").asText(), BATCH, Duration.ofMinutes(5));
        List<JsonNode> ganSamples = flow.awaitSamples(gan.path("id").asText(), BATCH, Duration.ofMinutes(5));
        List<String> sampleIds = new ArrayList<>();
        for (JsonNode sample : concat(lstmSamples, ganSamples)) {
            sampleIds.add(sample.path("sample").path("id").asText());
        }
        List<ConsumerRecord<String, String>> announced = stack.topics().awaitCount("samples.generated",
                r -> corpusId.equals(field(r, "corpusId")), 2 * BATCH + 2 * EXCERPTS, Duration.ofMinutes(3));
        Set<String> announcedIds = announced.stream().map(r -> field(r, "sampleId")).collect(Collectors.toSet());
        assertEquals(2 * BATCH + 2 * EXCERPTS, announcedIds.size());
        assertTrue(announced.stream().allMatch(r -> "performance".equals(field(r, "encoding"))),
                "every sample names its corpus's encoding");
        String someSample = sampleIds.get(0);
        PlatformClient.Answer midi = client.get(platform.service(LocalServices.GENERATOR).url() + "/api/samples/"
                + someSample + "/midi");
        assertEquals(200, midi.status());
        assertTrue(new String(midi.body(), 0, 4).equals("MThd"), "a MIDI file");

        // The listening test has them: a rater gets trials, rates one, cannot rate it twice, sees it counted.
        Rater rater = new Rater(platform.service(LocalServices.EVALUATION).url());
        JsonNode trials = awaitTrials(rater, 1);
        JsonNode trial = trials.isArray() ? trials.get(0) : trials.path("trials").get(0);
        assertNotNull(trial, trials.toString());
        assertTrue(trial.toString().matches("(?i)^((?!lstm|gan|corpus).)*$"), "a trial never names the model");
        String trialSample = TrialAnswers.firstSampleId(trial);
        String rating = TrialAnswers.answer(trial);
        HttpResponse<String> rated = rater.post("/api/ratings", rating);
        assertEquals(201, rated.statusCode(), rated.body());
        HttpResponse<String> again = rater.post("/api/ratings", rating);
        assertEquals(409, again.statusCode(), again.body());
        JsonNode results = JSON.readTree(rater.get("/api/results").body());
        assertTrue(results.toString().contains("\"ratings\"") || results.toString().contains("\"n\""),
                results.toString());
        HttpResponse<String> export = rater.get("/api/ratings/export.csv");
        assertEquals(200, export.statusCode());
        assertTrue(export.body().contains(trialSample), "the rating is in the export");
        stack.topics().await("ratings.submitted", r -> trialSample.equals(field(r, "sampleId")),
                Duration.ofMinutes(1));
    }

    @Test
    @Order(3)
    void eventsDeliveredTwiceChangeNothing() throws Exception {
        ConsumerRecord<String, String> ingested = stack.topics().await("corpora.ingested",
                r -> corpusId.equals(field(r, "corpusId")), Duration.ofSeconds(30));
        stack.topics().send("corpora.ingested", ingested.key(), ingested.value());
        String lstmRun = runOf("lstm").path("id").asText();
        ConsumerRecord<String, String> trained = stack.topics().await("models.trained",
                r -> lstmRun.equals(field(r, "runId")), Duration.ofSeconds(30));
        stack.topics().send("models.trained", trained.key(), trained.value());
        // Both consumers have handled the copies once the generator announced the batch a second time.
        stack.topics().awaitCount("samples.generated", r -> lstmRun.equals(field(r, "runId"))
                && "lstm".equals(field(r, "model")), 2 * BATCH, Duration.ofMinutes(2));
        assertEquals(2, client.trainingRuns(corpusId).size(), "no duplicate run");
        long batch = client.samples(lstmRun).stream()
                .filter(s -> s.path("sample").path("origin").asText().equals("batch")
                        && s.path("sample").path("model").asText().equals("lstm"))
                .count();
        assertEquals(BATCH, batch, "no duplicate sample");
    }

    @Test
    @Order(4)
    void unreadableEventsGoToTheirDeadLetterTopicsWithTheError() {
        for (String topic : List.of("corpora.ingested", "models.trained", "samples.generated")) {
            stack.topics().send(topic, "e2e-garbage", "{not json");
            ConsumerRecord<String, String> dead = stack.topics().await(topic + ".dlq",
                    r -> "e2e-garbage".equals(r.key()), Duration.ofMinutes(1));
            assertNotNull(dead.headers().lastHeader("dead-letter-reason"), topic);
        }
    }

    @Test
    @Order(5)
    void writeEndpointsNeedTheApiKey() throws Exception {
        PlatformClient anonymous = new PlatformClient(platform.service(LocalServices.INGEST).url(),
                platform.service(LocalServices.TRAINER).url(), platform.service(LocalServices.GENERATOR).url(),
                platform.service(LocalServices.EVALUATION).url(), null);
        assertEquals(401, anonymous.uploadCorpus("no key", corpus(5, 1)).status());
        assertEquals(401, anonymous.postJson(platform.service(LocalServices.TRAINER).url() + "/api/training-runs",
                "{\"corpusId\":\"" + corpusId + "\",\"model\":\"lstm\"}", false).status());
        assertEquals(401, anonymous.postJson(platform.service(LocalServices.GENERATOR).url() + "/api/samples",
                "{\"corpusId\":\"" + corpusId + "\",\"model\":\"lstm\"}", false).status());
        assertEquals(201, client.postJson(platform.service(LocalServices.GENERATOR).url() + "/api/samples",
                "{\"corpusId\":\"" + corpusId + "\",\"model\":\"lstm\",\"length\":32}", true).status());
        for (ServiceProcess service : List.of(platform.service(LocalServices.INGEST), platform.service(LocalServices.TRAINER),
                platform.service(LocalServices.GENERATOR))) {
            assertTrue(!Files.readString(service.logFile()).contains(API_KEY), service.name() + " logged the key");
        }
    }

    private static JsonNode runOf(String model) {
        return runs.stream().filter(r -> r.path("model").asText().equals(model)).findFirst().orElseThrow();
    }

    private static JsonNode awaitRun(String model, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode run : client.trainingRuns(corpusId)) {
                if (run.path("model").asText().equals(model) && (condition.test(run)
                        || run.path("status").asText().equals("COMPLETED"))) {
                    return run;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the " + model + " run of corpus " + corpusId + " did not get there");
    }

    private static JsonNode awaitTrials(Rater rater, int atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode trials = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = rater.get("/api/trials");
            if (answer.statusCode() == 200) {
                trials = JSON.readTree(answer.body());
                JsonNode list = trials.isArray() ? trials : trials.path("trials");
                if (list.size() >= atLeast) {
                    return trials;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no trials for a rater: " + trials);
    }

    private static PlatformClient.Answer awaitAccepted(String name, List<Path> files) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        PlatformClient.Answer answer;
        do {
            answer = client.uploadCorpus(name, files);
            if (answer.status() == 202 || answer.status() == 200) {
                return answer;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("upload still refused after the object store came back: " + answer.text());
    }

    private static List<Path> corpus(long seed, int pieces) throws IOException {
        Path dir = Files.createDirectories(work.resolve("corpus-" + seed + "-" + pieces));
        SyntheticCorpus synthetic = new SyntheticCorpus(seed);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < pieces; i++) {
            GeneratedPiece piece = synthetic.piece(i);
            files.add(Files.write(dir.resolve(piece.fileName()), piece.midi()));
        }
        return files;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A browser-like rater: keeps the cookie, sends the CSRF token the session handed out. */
    private static final class Rater {
        private final String base;
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        private String csrf;
        private String csrfHeader;

        Rater(String base) throws Exception {
            this.base = base;
            JsonNode session = JSON.readTree(get("/api/session").body());
            csrf = session.path("csrfToken").asText();
            csrfHeader = session.path("csrfHeader").asText("X-CSRF-Token");
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String body) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type",
                            "application/json").header(csrfHeader, csrf)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
