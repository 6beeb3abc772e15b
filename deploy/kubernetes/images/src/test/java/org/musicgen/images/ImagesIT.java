package org.musicgen.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.localstack.LocalStack;
import org.musicgen.mainjob.CorpusJourney;
import org.musicgen.mainjob.PlatformClient;
import org.musicgen.testing.TrialAnswers;

import java.io.IOException;
import java.net.CookieManager;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The service images for real: built by {@code deploy/kubernetes/build-images.sh} with buildah (the base made with
 * mmdebstrap), each run with podman as its Deployment runs it (user 185, read-only root file system, /tmp the one
 * writable place, the Deployment's memory limit) against the local stack on the loopback. An upload, a short training
 * run and a sample go through the containers; then each container gets SIGTERM ({@code podman stop}) and must exit
 * by itself well within its Deployment's grace period, with everything it acknowledged stored.
 *
 * <p>Needs root (or rootless podman) and podman, buildah, mmdebstrap
 * ({@code deploy/kubernetes/images/install-tools.sh}, which {@code .ci/run} calls). Where containers cannot run, the test is skipped and says why; with {@code CI=true}
 * it fails instead. A base from a registry: {@code MUSICGEN_BASE_IMAGE} (then mmdebstrap is not needed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImagesIT {

    static final String LABEL = "org.musicgen.test=images-it";
    private static final String TAG = "it";
    private static final String API_KEY = "images-it-" + Long.toHexString(System.nanoTime());
    /** The Deployments' terminationGracePeriodSeconds and memory limits (deploy/kubernetes/base). */
    private static final Map<String, Integer> GRACE_SECONDS = Map.of("ingest-service", 30, "trainer-service", 60,
            "generator-service", 30, "evaluation-service", 30);
    private static final Map<String, String> MEMORY = Map.of("ingest-service", "1536m", "trainer-service", "4g",
            "generator-service", "2g", "evaluation-service", "768m");
    /** Start order: consumers before the producers that feed them. */
    private static final List<String> SERVICES = List.of("evaluation-service", "generator-service", "trainer-service",
            "ingest-service");
    private static final int PIECES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static String base;
    private static Podman podman;
    private static LocalStack stack;
    private static final Map<String, ServiceContainer> containers = new LinkedHashMap<>();
    private static PlatformClient client;
    private static CorpusJourney flow;
    private static final Map<String, String> report = new LinkedHashMap<>();
    private static long testStarted;
    /** Why containers cannot run on this machine; null where they can. */
    private static String skipReason;

    /** What the flow produced, for the checks after the stop. */
    private static String corpusId;
    private static String runId;
    private static String sampleId;
    private static String ratedSampleId;

    static Path root() {
        return Path.of(System.getProperty("musicgen.root", "../../..")).toAbsolutePath().normalize();
    }

    @BeforeAll
    static void buildAndStartTheImages() throws Exception {
        try {
            buildAndStart();
        } catch (Unavailable e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true, so the image test must run, but: " + e.getMessage());
            }
            skipReason = e.getMessage();
            System.out.println("[images] SKIPPED: " + skipReason);
        }
    }

    private static void buildAndStart() throws Exception {
        testStarted = System.nanoTime();
        work = Path.of("target/images-it").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        podman = new Podman(root());
        String givenBase = System.getenv("MUSICGEN_BASE_IMAGE");
        boolean needBase = givenBase == null || givenBase.isBlank();
        for (String tool : needBase ? List.of("podman", "buildah", "mmdebstrap") : List.of("podman", "buildah")) {
            if (!Podman.installed(tool)) {
                unavailable(tool + " is not installed: run deploy/kubernetes/images/install-tools.sh as root");
            }
        }
        Podman.Result info = podman.podman(Duration.ofMinutes(1), "info", "--format", "{{.Host.OCIRuntime.Name}}");
        if (!info.ok()) {
            unavailable("podman does not work here (podman info: " + info.describe() + ")");
        }

        removeLeftovers();

        long started = System.nanoTime();
        Path buildLog = work.resolve("build-images.log");
        Podman.Result build = podman.run(List.of(root().resolve("deploy/kubernetes/build-images.sh").toString(),
                "--tag", TAG), Duration.ofMinutes(20), buildLog);
        String buildOutput = Files.readString(buildLog);
        System.out.println("[images] " + buildOutput.strip().replace("\n", "\n[images] "));
        assertEquals(0, build.exitCode(), "build-images.sh failed:\n" + buildOutput);
        report.put("build (base " + (buildOutput.contains("reused") ? "reused" : needBase ? "made" : "given")
                + ", four images)", seconds(started) + " s");

        // Can this machine run a container at all, as the services will be run? Else say why.
        base = needBase ? "localhost/musicgen/jre17-base:" + suiteOf(buildOutput) : givenBase;
        Podman.Result probe = podman.podman(Duration.ofMinutes(2), "run", "--rm", "--network", "host", "--user",
                "185:185", "--read-only", base, "java", "-version");
        if (!probe.ok()) {
            unavailable("podman cannot run containers here (podman run " + base + " java -version: "
                    + probe.describe() + ")");
        }

        stack = LocalStack.builder().dataDir(work.resolve("stack")).kafkaPort(0).s3Port(0).build().start();
        for (String service : SERVICES) {
            int port = freePort();
            containers.put(service, new ServiceContainer(podman, service, image(service), containerName(service),
                    port, MEMORY.get(service), environment(service, port), work.resolve("tmp").resolve(service)));
        }
        Map<String, Long> startedAt = new LinkedHashMap<>();
        for (ServiceContainer container : containers.values()) {
            startedAt.put(container.service(), System.nanoTime());
            container.start();
        }
        for (ServiceContainer container : containers.values()) {
            container.awaitReady(Duration.ofMinutes(5));
            report.put(container.service() + " ready (from podman run, the four starting together)",
                    seconds(startedAt.get(container.service())) + " s");
        }
        client = new PlatformClient(url("ingest-service"), url("trainer-service"), url("generator-service"),
                url("evaluation-service"), API_KEY);
        flow = new CorpusJourney(client, line -> System.out.println("[images] " + line));
    }

    @AfterAll
    static void stopEverything() throws IOException {
        for (ServiceContainer container : containers.values()) {
            Files.writeString(work.resolve(container.service() + ".log"), container.logs());
            container.remove();
        }
        if (stack != null) {
            stack.stop();
        }
        if (testStarted != 0) {
            report.put("whole test", seconds(testStarted) + " s");
        }
        StringBuilder summary = new StringBuilder();
        report.forEach((what, value) -> summary.append(String.format("%-70s %s%n", what, value)));
        Files.writeString(work.resolve("summary.txt"), summary);
        System.out.println("[images] summary (also in " + work.resolve("summary.txt") + "):\n" + summary);
    }

    @Test
    @Order(1)
    void theImagesRunAsUser185OnAReadOnlyRootFileSystem() throws Exception {
        requireContainers();
        long baseBytes = imageBytes(base);
        report.put("image " + base, baseBytes / 1_000_000 + " MB");
        for (ServiceContainer container : containers.values()) {
            String image = image(container.service());
            long bytes = imageBytes(image);
            report.put("image " + image, bytes / 1_000_000 + " MB");
            assertTrue(bytes > baseBytes + 10_000_000, image + " holds the application on top of the base");
            String name = containerName(container.service());
            Podman.Result id = podman.podman(Duration.ofMinutes(1), "exec", name, "id", "-u");
            assertEquals("185", id.out().strip(), container.service() + " runs as user 185");
            Podman.Result write = podman.podman(Duration.ofMinutes(1), "exec", name, "touch", "/deployments/x");
            assertTrue(!write.ok() && write.err().contains("Read-only file system"),
                    container.service() + ": the root file system must be read-only: " + write.describe());
            Podman.Result pid1 = podman.podman(Duration.ofMinutes(1), "exec", name, "cat", "/proc/1/comm");
            assertEquals("java", pid1.out().strip(), container.service() + ": java is PID 1 and gets SIGTERM itself");
        }
    }

    @Test
    @Order(2)
    void anUploadATrainingRunAndASampleGoThroughTheContainers() throws Exception {
        requireContainers();
        long started = System.nanoTime();
        PlatformClient.Answer upload = client.uploadCorpus("images-it", corpus());
        assertEquals(202, upload.status(), upload.text());
        corpusId = upload.json().path("id").asText();
        JsonNode corpus = flow.awaitCorpus(corpusId, Duration.ofMinutes(3));
        assertEquals(PIECES, corpus.path("acceptedFiles").size(), corpus.toString());
        report.put("upload to READY (ingest-service)", seconds(started) + " s");

        // A short run through the trainer's API: a small LSTM, two epochs, every epoch trained.
        started = System.nanoTime();
        PlatformClient.Answer queued = client.postJson(url("trainer-service") + "/api/training-runs",
                "{\"corpusId\":\"" + corpusId + "\",\"model\":\"lstm\",\"device\":\"cpu\",\"hyperParameters\":"
                        + "{\"epochs\":\"2\",\"hiddenSize\":\"32\",\"embeddingSize\":\"16\",\"layers\":\"1\","
                        + "\"batchSize\":\"8\",\"maxMinutes\":\"5\"}}", true);
        assertEquals(202, queued.status(), queued.text());
        runId = queued.json().path("id").asText();
        // the run asked for and the two the upload started (one epoch each here), all COMPLETED
        List<JsonNode> runs = flow.awaitTraining(corpusId, 3, Duration.ofMinutes(5));
        JsonNode run = runs.stream().filter(r -> r.path("id").asText().equals(runId)).findFirst().orElseThrow();
        assertEquals("COMPLETED", run.path("status").asText(), run.toString());
        assertEquals(2, run.path("history").size(), "both epochs: " + run);
        double loss = run.path("finalMetrics").path("validationLoss").asDouble(Double.NaN);
        assertTrue(loss > 0 && Double.isFinite(loss), "a finite validation loss: " + run.path("finalMetrics"));
        assertTrue(run.path("device").asText().startsWith("cpu"), run.path("device").asText());
        report.put("training run of 2 epochs (trainer-service, behind the upload's two 1-epoch runs)",
                seconds(started) + " s");

        // One sample of that run through the generator's API, with its MIDI, audio and piano roll.
        started = System.nanoTime();
        PlatformClient.Answer sample = client.postJson(url("generator-service") + "/api/samples",
                "{\"runId\":\"" + runId + "\",\"length\":96,\"seed\":7}", true);
        assertEquals(201, sample.status(), sample.text());
        JsonNode body = sample.json();
        sampleId = body.path("sample").path("id").asText(body.path("id").asText());
        assertTrue(!sampleId.isEmpty(), body.toString());
        assertPrefix("MThd", get("/api/samples/" + sampleId + "/midi"), "MIDI");
        assertPrefix("RIFF", get("/api/samples/" + sampleId + "/audio"), "WAV");
        assertPrefix("\u0089PNG", get("/api/samples/" + sampleId + "/pianoroll"), "PNG");
        report.put("sample with MIDI, WAV and piano roll (generator-service)", seconds(started) + " s");

        // The listening test: its form, and a rater's rating of a sample the generator announced.
        started = System.nanoTime();
        PlatformClient.Answer form = client.get(url("evaluation-service") + "/");
        assertEquals(200, form.status());
        assertTrue(form.text().toLowerCase().contains("<html"), "the listening form");
        HttpClient rater = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        JsonNode session = JSON.readTree(send(rater, HttpRequest.newBuilder(evaluation("/api/session")).GET(), 200));
        String csrfHeader = session.path("csrfHeader").asText("X-CSRF-Token");
        String csrf = session.path("csrfToken").asText();
        JsonNode trial = firstTrial(rater);
        ratedSampleId = TrialAnswers.firstSampleId(trial);
        send(rater, HttpRequest.newBuilder(evaluation("/api/ratings")).header("Content-Type", "application/json")
                .header(csrfHeader, csrf).POST(HttpRequest.BodyPublishers.ofString(TrialAnswers.answer(trial))), 201);
        report.put("a rating (evaluation-service, waiting for the first trial)", seconds(started) + " s");
    }

    @Test
    @Order(3)
    void eachContainerStopsOnSigtermWellWithinItsGracePeriodLosingNothing() throws Exception {
        requireContainers();
        assumeTrue(sampleId != null, "the flow did not get to a sample");
        // Producers first, as a rollout would take them; each on its own, timed.
        for (String service : List.of("ingest-service", "trainer-service", "generator-service",
                "evaluation-service")) {
            ServiceContainer container = containers.get(service);
            report.put(service + " /tmp written (DJL, Vert.x, Kafka natives)", container.tmpMegabytes() + " MB");
            report.put(service + " CPU time used, peak memory (limit " + MEMORY.get(service) + ")",
                    container.cpuSeconds() + " s, " + container.peakMemoryMegabytes() + " MB");
            Duration grace = Duration.ofSeconds(GRACE_SECONDS.get(service));
            long started = System.nanoTime();
            Podman.Result stop = container.stop(grace);
            double took = seconds(started);
            report.put(service + " stop on SIGTERM (grace " + grace.toSeconds() + " s)", took + " s, exit "
                    + container.exitCode());
            assertTrue(stop.ok(), service + ": " + stop.describe());
            String logs = container.logs();
            // 143 = 128 + SIGTERM: the JVM ended by its shutdown hooks; a SIGKILL after the grace period gives 137
            assertEquals(143, container.exitCode(), service + " did not end on SIGTERM:\n"
                    + ServiceContainer.tail(logs, 20));
            assertTrue(logs.contains("stopped in"), service + ": Quarkus did not shut down:\n"
                    + ServiceContainer.tail(logs, 20));
            // well within: a third of the grace period or more left over
            assertTrue(took < grace.toSeconds() * 2 / 3.0, service + " took " + took + " s of its "
                    + grace.toSeconds() + " s grace period");
        }
        // What the services acknowledged is stored: the corpus's dataset, the run's checkpoints, the sample's files,
        // the rating.
        Path store = stack.dataDir().resolve("s3/data");
        assertTrue(objectsNaming(store, ratedSampleId).stream()
                .anyMatch(p -> store.relativize(p).startsWith("ratings")), "the rating answered 201 is in its bucket");
        for (String id : List.of(corpusId, runId, sampleId)) {
            List<Path> objects = objectsNaming(store, id);
            assertTrue(!objects.isEmpty(), "nothing stored for " + id + " in " + store);
            report.put("objects stored for " + id, objects.size() + " (" + store.relativize(objects.get(0)) + ", ...)");
        }
        // ...and announced: every consumer that was down meanwhile finds the events.
        stack.topics().await("corpora.ingested", r -> r.value().contains(corpusId), Duration.ofSeconds(30));
        stack.topics().await("models.trained", r -> r.value().contains(runId), Duration.ofSeconds(30));
        stack.topics().await("ratings.submitted", r -> r.value().contains(ratedSampleId), Duration.ofSeconds(30));
    }

    private static Map<String, String> environment(String service, int port) {
        // what the manifests give each service (deploy/kubernetes/README.md, "Configuration the manifests give")
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
        env.put("MUSICGEN_STORAGE_ENDPOINT", stack.s3Endpoint());
        env.put("MUSICGEN_STORAGE_ACCESS_KEY", stack.accessKey());
        env.put("MUSICGEN_STORAGE_SECRET_KEY", stack.secretKey());
        env.put("QUARKUS_LOG_LEVEL", "INFO");
        if (!service.equals("evaluation-service")) {
            env.put("MUSICGEN_API_KEY", API_KEY);
        }
        switch (service) {
            case "trainer-service" -> {
                env.put("MUSICGEN_TRAINER_DEVICE", "cpu");
                env.put("MUSICGEN_TRAINER_CONCURRENCY", "1");
                env.put("MUSICGEN_TRAINER_CPU_THREADS", "2");
                // the runs the upload starts: one epoch of small models, so that the run asked for follows soon
                env.put("MUSICGEN_TRAINER_DEFAULT_LSTM_EPOCHS", "1");
                env.put("MUSICGEN_TRAINER_DEFAULT_GAN_EPOCHS", "1");
                // (by -D: the hyper-parameters are map keys in camel case, which environment variables cannot spell)
                env.put("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=75"
                        + " -Dmusicgen.trainer.default-lstm-hyper-parameters.hiddenSize=32"
                        + " -Dmusicgen.trainer.default-lstm-hyper-parameters.layers=1"
                        + " -Dmusicgen.trainer.default-lstm-hyper-parameters.batchSize=8"
                        + " -Dmusicgen.trainer.default-gan-hyper-parameters.generatorHidden=64,128"
                        + " -Dmusicgen.trainer.default-gan-hyper-parameters.discriminatorHidden=32"
                        + " -Dmusicgen.trainer.default-gan-hyper-parameters.timeScales=1");
            }
            case "generator-service" -> {
                env.put("MUSICGEN_GENERATOR_BATCH_SIZE", "1");
                env.put("MUSICGEN_GENERATOR_CORPUS_EXCERPTS", "1");
                env.put("MUSICGEN_GENERATOR_BATCH_SECONDS", "5");
            }
            default -> { }
        }
        // each on a free port: the machine may run other services on the default ones
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return env;
    }

    private static URI evaluation(String path) {
        return URI.create(url("evaluation-service") + path);
    }

    private static String send(HttpClient http, HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), response.uri() + ": " + response.body());
        return response.body();
    }

    /** The first sample of the rater's first trial, once the generator's batch has reached the listening test. */
    private static JsonNode firstTrial(HttpClient rater) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = rater.send(HttpRequest.newBuilder(evaluation("/api/trials")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            last = answer.statusCode() + " " + answer.body();
            if (answer.statusCode() == 200) {
                JsonNode trials = JSON.readTree(answer.body());
                JsonNode first = (trials.isArray() ? trials : trials.path("trials")).path(0);
                if (first.path("samples").path(0).path("id").isTextual()) {
                    return first;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no trial for a rater: " + last);
    }

    private static String url(String service) {
        return containers.get(service).url();
    }

    private static PlatformClient.Answer get(String path) throws IOException {
        PlatformClient.Answer answer = client.get(url("generator-service") + path);
        assertEquals(200, answer.status(), path + ": " + answer.text());
        return answer;
    }

    private static void assertPrefix(String magic, PlatformClient.Answer answer, String what) {
        String head = new String(answer.body(), 0, Math.min(magic.length(), answer.body().length),
                StandardCharsets.ISO_8859_1);
        assertEquals(magic, head, what + " expected");
    }

    private static List<Path> corpus() throws IOException {
        Path dir = Files.createDirectories(work.resolve("corpus"));
        SyntheticCorpus synthetic = new SyntheticCorpus(29);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < PIECES; i++) {
            GeneratedPiece piece = synthetic.piece(i);
            files.add(Files.write(dir.resolve(piece.fileName()), piece.midi()));
        }
        return files;
    }

    private static List<Path> objectsNaming(Path store, String id) throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).filter(p -> store.relativize(p).toString().contains(id))
                    .sorted().toList();
        }
    }

    private static long imageBytes(String image) {
        Podman.Result size = podman.podman(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Size}}", image);
        assertTrue(size.ok(), image + ": " + size.describe());
        return Long.parseLong(size.out().strip());
    }

    private static String image(String service) {
        return "localhost/musicgen/" + service + ":" + TAG;
    }

    /** Containers of earlier runs whose test JVM died before removing them (their name ends in its pid). */
    private static void removeLeftovers() {
        Podman.Result listed = podman.podman(Duration.ofMinutes(1), "ps", "--all", "--filter", "label=" + LABEL,
                "--format", "{{.Names}}");
        for (String name : listed.out().split("\\s+")) {
            String pid = name.substring(name.lastIndexOf('-') + 1);
            if (pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                System.out.println("[images] removing " + name + ", left over by an earlier run");
                podman.podman(Duration.ofMinutes(1), "rm", "--force", "--time", "0", name);
            }
        }
    }

    private static String containerName(String service) {
        return "musicgen-it-" + service + "-" + ProcessHandle.current().pid();
    }

    private static String suiteOf(String buildOutput) {
        int at = buildOutput.indexOf("localhost/musicgen/jre17-base:");
        return at < 0 ? "bookworm"
                : buildOutput.substring(at).split("[\\s)]")[0].replace("localhost/musicgen/jre17-base:", "");
    }

    /** Containers cannot run here: each test is skipped with the reason, except in CI, where that is a failure. */
    private static void unavailable(String why) {
        throw new Unavailable(why);
    }

    private static void requireContainers() {
        assumeTrue(skipReason == null, () -> "skipped: " + skipReason);
    }

    private static final class Unavailable extends RuntimeException {
        Unavailable(String why) {
            super(why);
        }
    }

    private static double seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e8) / 10.0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
