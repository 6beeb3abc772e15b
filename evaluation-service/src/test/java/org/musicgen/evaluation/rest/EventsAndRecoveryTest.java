package org.musicgen.evaluation.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.evaluation.TestRater;
import org.musicgen.evaluation.TestSamples;
import org.musicgen.evaluation.curves.LiveUpdates;
import org.musicgen.evaluation.curves.RunCurve;
import org.musicgen.evaluation.curves.TrainingCurves;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.ratings.RatingBook;
import org.musicgen.evaluation.ratings.RatingRepository;
import org.musicgen.evaluation.results.Results;
import org.musicgen.evaluation.results.ResultsCalculator;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.samples.SampleCatalogue;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.SampleKeys;
import org.musicgen.platform.events.SamplesGenerated;
import org.musicgen.platform.events.Topics;
import org.musicgen.platform.events.TrainingProgress;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.ObjectStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** samples.generated and training.progress over the real broker; state rebuilt from the real object store. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class EventsAndRecoveryTest {

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper json;

    @Inject
    SampleCatalogue catalogue;

    @Inject
    TrainingCurves curves;

    @Inject
    RatingBook book;

    @TestHTTPResource("/api/results/events")
    URL events;

    @Test
    void aSampleDeliveredTwiceIsRegisteredOnce() throws Exception {
        String id = TestSamples.publish(stack, store, json, "gan", Map.of("pitchEntropy", 1.0));
        int samples = catalogue.size();
        SamplesGenerated again = SamplesGenerated.of(id, "run-other", "corpus-1", "lstm", SampleKeys.forSample(id),
                64, 1.0, Map.of(), Instant.now());
        TestSamples.send(stack, json, again);
        // a marker sent after the duplicate: once it is listed, the duplicate was handled before it
        String marker = TestSamples.publish(stack, store, json, "corpus", Map.of());
        assertEquals(samples + 1, catalogue.size());
        assertEquals("gan", catalogue.find(id).orElseThrow().model(), "the first registration stands");
        assertEquals(1, store.list(Buckets.RATINGS, StateLayout.SAMPLES_PREFIX + id).size());
        assertTrue(catalogue.find(marker).isPresent());
    }

    @Test
    void eventsThatCannotEnterTheTestGoToTheDeadLetterTopicWithTheirReason() throws Exception {
        stack.topics().send(Topics.SAMPLES_GENERATED, "garbage-" + UUID.randomUUID(), "{ this is not json");
        ConsumerRecord<String, String> garbage = stack.topics().await(Topics.deadLetter(Topics.SAMPLES_GENERATED),
                r -> r.key() != null && r.key().startsWith("garbage-"), Duration.ofSeconds(60));
        assertNotNull(garbage.headers().lastHeader("dead-letter-reason"));

        String unknownModel = UUID.randomUUID().toString();
        SampleKeys keys = SampleKeys.forSample(unknownModel);
        store.put(keys.bucket(), keys.audio(), TestSamples.wav(0.2, 440), "audio/wav");
        TestSamples.send(stack, json, SamplesGenerated.of(unknownModel, "run", "c", "transformer", keys, 1, 0.2,
                Map.of(), Instant.now()));
        assertTrue(reason(unknownModel).contains("unknown model 'transformer'"));

        String noAudio = UUID.randomUUID().toString();
        TestSamples.send(stack, json, SamplesGenerated.of(noAudio, "run", "c", "lstm", SampleKeys.forSample(noAudio),
                1, 0.2, Map.of(), Instant.now()));
        assertTrue(reason(noAudio).contains("does not exist"));

        // the model must not be guessable from the id the page shows
        SamplesGenerated revealing = SamplesGenerated.of("lstm-sample-7", "run", "c", "lstm",
                SampleKeys.forSample("lstm-sample-7"), 1, 0.2, Map.of(), Instant.now());
        TestSamples.send(stack, json, revealing);
        assertTrue(reason("lstm-sample-7").contains("UUID"));

        // a low anchor must name the real excerpt it scrambles
        String orphanAnchor = UUID.randomUUID().toString();
        SampleKeys anchorKeys = SampleKeys.forSample(orphanAnchor);
        store.put(anchorKeys.bucket(), anchorKeys.audio(), TestSamples.wav(1.0, 440), "audio/wav");
        TestSamples.send(stack, json, SamplesGenerated.of(orphanAnchor, "run", "c", "anchor", anchorKeys, 1, 1.0,
                Map.of(), Instant.now()).asClip(1.0, null));
        assertTrue(reason(orphanAnchor).contains("referenceSampleId"));

        given().when().get("/api/samples/" + unknownModel).then().statusCode(404);
        given().when().get("/api/samples/" + noAudio).then().statusCode(404);
        given().when().get("/api/samples/" + orphanAnchor).then().statusCode(404);
    }

    @Test
    void trainingProgressBecomesLiveCurves() throws Exception {
        String run = "run-" + UUID.randomUUID();
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<String> seen = new CompletableFuture<>();
        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(events.toString()))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    // each update also carries the drums figure, whose runs may be others': read the update's own run
                    if (line.startsWith("data:") && line.contains(run)) {
                        LiveUpdates.LiveUpdate update = json.readValue(line.substring("data:".length()).trim(),
                                LiveUpdates.LiveUpdate.class);
                        if (update.run() != null && run.equals(update.run().runId())
                                && update.run().points().size() >= 2) {
                            seen.complete(line);
                            return;
                        }
                    }
                }
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();

        Instant t0 = Instant.now();
        send(progress(run, "gan", "RUNNING", 1, t0.plusSeconds(1), null, null, 1.30, 0.71));
        send(progress(run, "gan", "RUNNING", 2, t0.plusSeconds(2), null, null, 1.10, 0.95));
        stack.topics().send(Topics.TRAINING_PROGRESS, "junk", "[1, 2, 3]");

        String data = seen.get(60, TimeUnit.SECONDS);
        LiveUpdates.LiveUpdate update = json.readValue(data.substring("data:".length()).trim(),
                LiveUpdates.LiveUpdate.class);
        assertEquals("curve", update.kind());
        assertEquals(2, update.run().points().size());
        assertEquals(0.95, update.run().points().get(1).generatorLoss());

        JsonPath results = given().when().get("/api/results").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> runs = results.getList("runs.findAll { it.runId == '" + run + "' }");
        assertEquals(1, runs.size());
        assertEquals("gan", runs.get(0).get("model"));
        assertEquals(1.10, results.getDouble("runs.find { it.runId == '" + run + "' }.points[1].discriminatorLoss"),
                1e-12);
        assertTrue(store.exists(Buckets.RATINGS, StateLayout.RUNS_PREFIX + run + ".json"));
        assertNotNull(stack.topics().await(Topics.deadLetter(Topics.TRAINING_PROGRESS), r -> "junk".equals(r.key()),
                Duration.ofSeconds(60)));
    }

    @Test
    void aFreshInstanceRebuildsEverythingFromStorage() throws Exception {
        String lstm = TestSamples.publish(stack, store, json, "lstm", Map.of("pitchEntropy", 2.0));
        String corpus = TestSamples.publish(stack, store, json, "corpus", Map.of("pitchEntropy", 2.4));
        TestRater rater = TestRater.start();
        rater.rate(lstm, 4, 3, 5).then().statusCode(201);
        rater.rate(corpus, 5, 5, 4).then().statusCode(201);
        rater.prefer(corpus, lstm, corpus).then().statusCode(201);
        String run = "run-" + UUID.randomUUID();
        TrainingProgress epoch1 = progress(run, "lstm", "RUNNING", 1, Instant.now(), 4.1, 4.3, null, null);
        // on a corpus with drums: the encoding is stored with the curve and the drums figure is rebuilt with it
        send(new TrainingProgress(epoch1.eventId(), epoch1.type(), epoch1.occurredAt(), run, "groove-" + run, "lstm",
                "RUNNING", 1, 5, null, null, 4.1, 4.3, null, null, null, 100.0, 10.0, null, "performance-drums"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (curves.all().stream().noneMatch(c -> c.runId().equals(run)) && System.nanoTime() < deadline) {
            TestSamples.sleep(100);
        }

        // what a restarted service does: new instances reading the same buckets
        SampleCatalogue freshCatalogue = new SampleCatalogue(store, json);
        freshCatalogue.reload();
        TrainingCurves freshCurves = new TrainingCurves(store, json, new LiveUpdates());
        freshCurves.reload();
        List<Rating> freshRatings = new RatingRepository(store, json).findAll();

        assertEquals(ids(catalogue.all()), ids(freshCatalogue.all()));
        assertEquals(catalogue.find(lstm).orElseThrow(), freshCatalogue.find(lstm).orElseThrow());
        assertEquals(curves.all(), freshCurves.all());
        assertEquals("performance-drums", freshCurves.all().stream().filter(c -> c.runId().equals(run))
                .findFirst().orElseThrow().encoding());
        assertEquals(book.all().stream().map(Rating::ratingId).collect(Collectors.toSet()),
                freshRatings.stream().map(Rating::ratingId).collect(Collectors.toSet()));
        assertEquals(book.all().size(), freshRatings.size());

        Instant at = Instant.EPOCH;
        Results live = ResultsCalculator.compute(book.all(), catalogue.all(), curves.all(), at);
        Results rebuilt = ResultsCalculator.compute(freshRatings, freshCatalogue.all(), freshCurves.all(), at);
        assertEquals(json.writeValueAsString(live), json.writeValueAsString(rebuilt),
                "a restarted service shows the same results");
        // (which run is the latest with drums depends on the other tests sharing this service: only its corpus here)
        assertTrue(rebuilt.drumsComparison().drumCorpora().contains("groove-" + run));
        assertEquals(3, freshRatings.stream().filter(r -> r.raterId().equals(rater.raterId())).count());

        // and the running service's own reload changes nothing
        int ratings = given().when().get("/api/results").jsonPath().getInt("ratings");
        // the replica-view consumers may be mid-rebalance for a moment (their groups are per start): ready again soon
        long ready = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (given().when().get("/q/health/ready").statusCode() != 200 && System.nanoTime() < ready) {
            TestSamples.sleep(200);
        }
        given().when().get("/q/health/ready").then().statusCode(200);
        assertEquals(ratings, book.all().size());
    }

    private String reason(String key) {
        ConsumerRecord<String, String> dead = stack.topics().await(Topics.deadLetter(Topics.SAMPLES_GENERATED),
                r -> key.equals(r.key()), Duration.ofSeconds(60));
        Header reason = dead.headers().lastHeader("dead-letter-reason");
        assertNotNull(reason);
        return new String(reason.value(), StandardCharsets.UTF_8);
    }

    private void send(TrainingProgress progress) throws Exception {
        stack.topics().send(Topics.TRAINING_PROGRESS, progress.runId(), json.writeValueAsString(progress));
    }

    private static TrainingProgress progress(String run, String model, String status, int epoch, Instant at,
                                             Double train, Double validation, Double discriminator,
                                             Double generator) {
        return new TrainingProgress(UUID.randomUUID().toString(), TrainingProgress.TYPE, at, run, "corpus-1", model,
                status, epoch, 5, null, null, train, validation, null, discriminator, generator, 100.0, 10.0, null);
    }

    private static Set<String> ids(java.util.Collection<Sample> samples) {
        return samples.stream().map(Sample::sampleId).collect(Collectors.toSet());
    }
}
