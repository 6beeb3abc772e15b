package org.musicgen.evaluation.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.evaluation.TestSamples;
import org.musicgen.evaluation.rest.RaterSessions;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackExtension;
import org.musicgen.platform.events.SampleKeys;
import org.musicgen.platform.events.SamplesGenerated;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.ObjectStore;
import org.musicgen.platform.storage.StorageConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two instances of the packaged service on one real stack (Kafka broker and S3 server of the local stack), as the
 * production overlay runs two pods behind one Service: one listening test whatever the replica a request reaches.
 */
@ExtendWith(LocalStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

    private enum Source { LSTM, GAN, CORPUS }

    private static final Set<Set<Source>> PAIRINGS = Set.of(Set.of(Source.LSTM, Source.GAN),
            Set.of(Source.LSTM, Source.CORPUS), Set.of(Source.GAN, Source.CORPUS));

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final Map<String, Source> sources = new HashMap<>();
    private LocalStack stack;
    private ObjectStore store;
    private Replica a;
    private Replica b;

    @BeforeAll
    void startTwoReplicas(LocalStack stack) {
        this.stack = stack;
        this.store = new ObjectStore(new Storage(stack));
        announce(Source.LSTM, 7);
        announce(Source.GAN, 5);
        announce(Source.CORPUS, 4);
        Map<String, String> settings = Map.of(
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "musicgen.storage.endpoint", stack.s3Endpoint(),
                "musicgen.storage.access-key", stack.accessKey(),
                "musicgen.storage.secret-key", stack.secretKey(),
                // series of 3 single trials, 1 pair and 1 Turing trial (and a catch trial once there is an anchor)
                "musicgen.evaluation.trials-per-session", "5",
                "musicgen.evaluation.paired-share", "0.2",
                "musicgen.evaluation.turing-share", "0.2",
                "musicgen.evaluation.catch-trials", "1",
                // every rater here comes from 127.0.0.1
                "musicgen.evaluation.rate-limit.per-ip", "100000",
                "quarkus.log.console.format", "%d{HH:mm:ss.SSS} %-5p [%c{2.}] %s%e%n");
        Path logs = Path.of(System.getProperty("musicgen.replica.logs", "target/replicas"));
        Path jar = Path.of(System.getProperty("musicgen.evaluation.jar", "target/quarkus-app/quarkus-run.jar"));
        a = Replica.start("replica-a", jar, settings, logs);
        b = Replica.start("replica-b", jar, settings, logs);
        a.awaitReady(Duration.ofSeconds(120));
        b.awaitReady(Duration.ofSeconds(120));
        for (String sampleId : sources.keySet()) {
            awaitListed(a, sampleId);
            awaitListed(b, sampleId);
        }
    }

    @AfterAll
    void stopReplicas() {
        if (a != null) {
            a.stop();
        }
        if (b != null) {
            b.stop();
        }
    }

    @Test
    @Order(1)
    void fortyRatersSpreadOverBothReplicasGetAsBalancedATestAsOnOneInstance() {
        Map<Source, Integer> singles = new EnumMap<>(Source.class);
        Map<Set<Source>, Integer> pairs = new HashMap<>();
        Map<Set<Source>, Map<Source, Integer>> left = new HashMap<>();
        Map<String, Integer> sampleSingles = new HashMap<>();
        Map<Source, Integer> turings = new EnumMap<>(Source.class);
        Map<Source, Integer> generatedLeft = new EnumMap<>(Source.class);
        for (int i = 0; i < 40; i++) {
            Replica replica = i % 2 == 0 ? a : b;
            Rater rater = Rater.start(replica);
            JsonPath series = rater.trials(replica);
            assertEquals(5, series.getInt("total"), replica.name());
            List<List<String>> trials = series.getList("trials.samples.id");
            List<String> kinds = series.getList("trials.kind");
            assertEquals(5, trials.size());
            assertEquals(1, kinds.stream().filter("pair"::equals).count(), "one paired trial per series");
            assertEquals(1, kinds.stream().filter("turing"::equals).count(), "one Turing trial per series");
            for (int t = 0; t < trials.size(); t++) {
                List<String> trial = trials.get(t);
                if (kinds.get(t).equals("turing")) {
                    boolean onLeft = sources.get(trial.get(0)) != Source.CORPUS;
                    Source generated = sources.get(trial.get(onLeft ? 0 : 1));
                    assertEquals(Source.CORPUS, sources.get(trial.get(onLeft ? 1 : 0)), "a real excerpt in each");
                    turings.merge(generated, 1, Integer::sum);
                    generatedLeft.merge(generated, onLeft ? 1 : 0, Integer::sum);
                } else if (trial.size() == 1) {
                    singles.merge(sources.get(trial.get(0)), 1, Integer::sum);
                    sampleSingles.merge(trial.get(0), 1, Integer::sum);
                } else {
                    Source first = sources.get(trial.get(0));
                    Source second = sources.get(trial.get(1));
                    pairs.merge(Set.of(first, second), 1, Integer::sum);
                    left.computeIfAbsent(Set.of(first, second), k -> new EnumMap<>(Source.class))
                            .merge(first, 1, Integer::sum);
                }
            }
            // the single-instance bound (TrialSchedulerTest), counted over what both replicas served
            assertTrue(spread(singles, List.of(Source.values())) <= 1, "after rater " + i + ": singles " + singles);
            assertTrue(spread(pairs, List.copyOf(PAIRINGS)) <= 1, "after rater " + i + ": pairings " + pairs);
            assertTrue(spread(turings, List.of(Source.LSTM, Source.GAN)) <= 1, "after rater " + i + ": Turing "
                    + turings);
            for (Source model : turings.keySet()) {
                int onLeft = generatedLeft.getOrDefault(model, 0);
                assertTrue(Math.abs(onLeft - (turings.get(model) - onLeft)) <= 1, "after rater " + i + ": " + model
                        + " clip on the left " + onLeft + " of " + turings.get(model));
            }
            for (Map.Entry<Set<Source>, Map<Source, Integer>> pairing : left.entrySet()) {
                assertTrue(spread(pairing.getValue(), List.copyOf(pairing.getKey())) <= 1,
                        "after rater " + i + ": left positions " + left);
            }
        }
        // 40 raters x 3 single trials = 40 per source; within a source, samples are used evenly
        assertEquals(Map.of(Source.LSTM, 40, Source.GAN, 40, Source.CORPUS, 40), singles);
        for (Map.Entry<String, Source> sample : sources.entrySet()) {
            int used = sampleSingles.getOrDefault(sample.getKey(), 0);
            int count = (int) sources.values().stream().filter(s -> s == sample.getValue()).count();
            assertTrue(used == 40 / count || used == 40 / count + 1,
                    sample.getValue() + " sample used " + used + " times over " + count + " samples");
        }
    }

    @Test
    @Order(2)
    void aSampleAnnouncedWhileBothRunIsServedByBoth() {
        String fresh = announce(Source.GAN, 1).get(0);
        awaitListed(a, fresh);
        awaitListed(b, fresh);
        // every GAN sample was heard 8 times alone, the new one never: each replica's next GAN single trial is it
        for (Replica replica : List.of(a, b)) {
            List<List<String>> trials = Rater.start(replica).trials(replica).getList("trials.samples.id");
            assertTrue(trials.stream().anyMatch(t -> t.size() == 1 && t.get(0).equals(fresh)),
                    replica.name() + " served " + trials + " without the new sample " + fresh);
        }
    }

    @Test
    @Order(3)
    void aRatingOnOneReplicaIsInTheOthersResultsWithinFiveSecondsAndCannotBeRepeatedThere() {
        assertEquals(0, results(b).getInt("ratings"), "the tests before only planned");
        Rater rater = Rater.start(a);
        JsonPath series = rater.trials(a);
        List<List<String>> trials = series.getList("trials.samples.id");
        List<String> kinds = series.getList("trials.kind");
        List<String> single = trials.get(kinds.indexOf("single"));
        List<String> pair = trials.get(kinds.indexOf("pair"));

        long start = System.nanoTime();
        rater.rate(a, single.get(0), 4, 2, 5).then().statusCode(201);
        await(() -> results(b).getInt("ratings") == 1, Duration.ofSeconds(5),
                "the rating made on replica A in replica B's results");
        System.out.printf("rating from A in B's results after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        rater.rate(b, single.get(0), 1, 1, 1).then().statusCode(409);

        // a preference given on B: A refuses it again at once, and both show the same results
        rater.prefer(b, pair.get(0), pair.get(1), pair.get(1)).then().statusCode(201);
        rater.prefer(a, pair.get(1), pair.get(0), pair.get(0)).then().statusCode(409);
        await(() -> comparable(results(a)).equals(comparable(results(b))), Duration.ofSeconds(5),
                "the same results on both replicas");
        JsonPath shown = results(a);
        assertEquals(2, shown.getInt("ratings"));
        assertEquals(1, shown.getInt("singleRatings"));
        assertEquals(1, shown.getInt("pairRatings"));
        // and the rater's series on B knows both answers (the trials left are the same as on A)
        assertEquals(rater.trials(a).getInt("done"), 2);
        assertEquals(rater.trials(a).getList("trials"), rater.trials(b).getList("trials"));
    }

    @Test
    @Order(4)
    void aTuringTrialAndACatchTrialPlannedOnOneReplicaAreAnsweredOnTheOther() throws Exception {
        String reference = sources.entrySet().stream().filter(e -> e.getValue() == Source.CORPUS).findFirst()
                .orElseThrow().getKey();
        String anchor = announceAnchor(reference);
        awaitListed(a, anchor);
        awaitListed(b, anchor);

        Rater rater = Rater.start(a);
        JsonPath onA = rater.trials(a);
        assertEquals(7, onA.getInt("total"), "5 trials and the 2 items of a catch trial");
        List<Map<String, Object>> trials = onA.getList("trials");
        // the same trials, with the same ids, on the other replica (trials.planned carries them)
        assertEquals(trials, rater.trials(b).getList("trials"));

        Map<String, Object> turing = trials.stream().filter(t -> "turing".equals(t.get("kind"))).findFirst()
                .orElseThrow();
        List<String> clips = ids(turing);
        rater.post(b, Map.of("trialId", turing.get("id"), "sampleId", clips.get(0), "pairedWith", clips.get(1),
                "preferred", clips.get(1), "confidence", 3)).then().statusCode(201);
        List<Map<String, Object>> catchItems = trials.stream().filter(t -> "single".equals(t.get("kind"))
                && Set.of(reference, anchor).contains(ids(t).get(0))).toList();
        assertEquals(2, catchItems.size(), "the hidden reference and its anchor look like single trials: " + trials);
        for (Map<String, Object> item : catchItems) {
            rater.post(b, Map.of("trialId", item.get("id"), "sampleId", ids(item).get(0),
                    "scores", Map.of("pleasing", 2, "humanlike", 2, "interesting", 2))).then().statusCode(201);
        }
        // replica A knows at once: the three are done there, and a second answer is refused
        assertEquals(3, rater.trials(a).getInt("done"));
        Map<String, Object> first = catchItems.get(0);
        rater.post(a, Map.of("trialId", first.get("id"), "sampleId", ids(first).get(0),
                "scores", Map.of("pleasing", 5, "humanlike", 5, "interesting", 5))).then().statusCode(409);
        rater.post(a, Map.of("trialId", turing.get("id"), "sampleId", clips.get(0), "pairedWith", clips.get(1),
                "preferred", clips.get(0))).then().statusCode(409);
        String raterId = RaterSessions.raterId(rater.cookie());
        for (String sample : List.of(reference, anchor)) {
            JsonNode stored = json.readTree(store.get(Buckets.RATINGS, StateLayout.catchRatingKey(raterId, sample))
                    .orElseThrow());
            assertTrue(stored.get("catchTrial").asBoolean());
        }
    }

    @Test
    @Order(5)
    void whenAReplicaDiesMidSeriesTheOtherContinuesTheSameSeries() {
        Rater rater = Rater.start(a);
        JsonPath onA = rater.trials(a);
        List<Map<String, Object>> trials = onA.getList("trials");
        rater.answer(a, trials.get(0)).then().statusCode(201);
        a.kill();

        JsonPath onB = rater.trials(b);
        assertEquals(onA.getInt("series"), onB.getInt("series"), "the same series, not a new one");
        assertEquals(1, onB.getInt("done"));
        assertEquals(trials.subList(1, trials.size()), onB.getList("trials"), "the same trials, ids and all");
        rater.answer(b, trials.get(1)).then().statusCode(201);
        assertEquals(2, rater.trials(b).getInt("done"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Map<String, Object> trial) {
        return ((List<Map<String, Object>>) trial.get("samples")).stream().map(s -> (String) s.get("id")).toList();
    }

    /** A low anchor of a real excerpt, announced as the other samples here (without a clip length). */
    private String announceAnchor(String reference) throws IOException {
        String id = UUID.randomUUID().toString();
        SampleKeys keys = SampleKeys.forSample(id);
        store.put(keys.bucket(), keys.audio(), TestSamples.wav(0.5, 300), "audio/wav");
        SamplesGenerated event = SamplesGenerated.of(id, "anchors", "corpus-1", "anchor", keys, "performance", 64,
                20, 0.5, Map.of(), Instant.now()).asClip(null, reference);
        stack.topics().send("samples.generated", id, json.writeValueAsString(event));
        return id;
    }

    /** The results without the moment they were computed. */
    private Map<String, Object> comparable(JsonPath results) {
        Map<String, Object> map = new HashMap<>(results.getMap(""));
        map.remove("computedAt");
        return map;
    }

    private static JsonPath results(Replica replica) {
        return given().baseUri(replica.url()).when().get("/api/results").then().statusCode(200).extract().jsonPath();
    }

    private List<String> announce(Source source, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            SampleKeys keys = SampleKeys.forSample(id);
            store.put(keys.bucket(), keys.audio(), TestSamples.wav(0.5, 330 + 20 * sources.size()), "audio/wav");
            store.put(keys.bucket(), keys.pianoRoll(), TestSamples.png(id.hashCode()), "image/png");
            SamplesGenerated event = SamplesGenerated.of(id, "run-" + source, "corpus-1",
                    source.name().toLowerCase(), keys, "performance", 64, 20, 0.5, Map.of("pitchEntropy", 2.0),
                    Instant.now());
            try {
                stack.topics().send("samples.generated", id, json.writeValueAsString(event));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sources.put(id, source);
            ids.add(id);
        }
        return ids;
    }

    private static void awaitListed(Replica replica, String sampleId) {
        await(() -> given().baseUri(replica.url()).when().get("/api/samples/" + sampleId).statusCode() == 200,
                Duration.ofSeconds(60), replica.name() + " lists sample " + sampleId);
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + timeout + ": " + what);
            }
            Replica.pause(50);
        }
    }

    private static <K> int spread(Map<K, Integer> counts, List<K> keys) {
        int max = keys.stream().mapToInt(k -> counts.getOrDefault(k, 0)).max().orElse(0);
        int min = keys.stream().mapToInt(k -> counts.getOrDefault(k, 0)).min().orElse(0);
        return max - min;
    }

    /** An anonymous rater; the cookie and CSRF token are valid on every replica (they are derived, not stored). */
    private record Rater(String cookie, String csrf) {

        static Rater start(Replica replica) {
            Response session = given().baseUri(replica.url()).when().get("/api/session");
            session.then().statusCode(200);
            return new Rater(session.getCookie(RaterSessions.COOKIE), session.jsonPath().getString("csrfToken"));
        }

        JsonPath trials(Replica replica) {
            return given().baseUri(replica.url()).cookie(RaterSessions.COOKIE, cookie)
                    .when().get("/api/trials").then().statusCode(200).extract().jsonPath();
        }

        Response rate(Replica replica, String sampleId, int pleasing, int humanlike, int interesting) {
            return post(replica, Map.of("sampleId", sampleId,
                    "scores", Map.of("pleasing", pleasing, "humanlike", humanlike, "interesting", interesting)));
        }

        Response prefer(Replica replica, String left, String right, String preferred) {
            return post(replica, Map.of("sampleId", left, "pairedWith", right, "preferred", preferred));
        }

        /** Answers a trial of the series as the form does: naming the trial, whatever its kind. */
        Response answer(Replica replica, Map<String, Object> trial) {
            List<String> clips = ids(trial);
            if (clips.size() == 1) {
                return post(replica, Map.of("trialId", trial.get("id"), "sampleId", clips.get(0),
                        "scores", Map.of("pleasing", 3, "humanlike", 3, "interesting", 3)));
            }
            return post(replica, Map.of("trialId", trial.get("id"), "sampleId", clips.get(0),
                    "pairedWith", clips.get(1), "preferred", clips.get(1)));
        }

        Response post(Replica replica, Object body) {
            return given().baseUri(replica.url()).cookie(RaterSessions.COOKIE, cookie)
                    .header(RaterSessions.CSRF_HEADER, csrf).contentType("application/json").body(body)
                    .when().post("/api/ratings");
        }
    }

    private record Storage(LocalStack stack) implements StorageConfig {
        @Override
        public String endpoint() {
            return stack.s3Endpoint();
        }

        @Override
        public String accessKey() {
            return stack.accessKey();
        }

        @Override
        public String secretKey() {
            return stack.secretKey();
        }

        @Override
        public String region() {
            return "us-east-1";
        }
    }
}
