package org.musicgen.evaluation.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.evaluation.TestRater;
import org.musicgen.evaluation.TestSamples;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.ratings.RatingRepository;
import org.musicgen.evaluation.samples.SampleCatalogue;
import org.musicgen.evaluation.trials.TrialService;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.EventIds;
import org.musicgen.platform.events.Topics;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ratings through the HTTP API, against the real broker and object store. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class RatingApiTest {

    private static final Pattern MODEL_WORD = Pattern.compile("\\b(lstm|gan|corpus|anchor|catch)\\b",
            Pattern.CASE_INSENSITIVE);

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper json;

    @Inject
    SampleCatalogue catalogue;

    @Inject
    TrialService trialService;

    private String lstm;
    private String gan;
    private String corpus;

    @BeforeEach
    void seed() {
        lstm = TestSamples.publish(stack, store, json, "lstm", Map.of("pitchEntropy", 2.1));
        gan = TestSamples.publish(stack, store, json, "gan", Map.of("pitchEntropy", 1.4));
        corpus = TestSamples.publish(stack, store, json, "corpus", Map.of("pitchEntropy", 2.6));
    }

    @Test
    void aRatingIsStoredInTheRatingsBucketAndSentOnRatingsSubmitted() throws Exception {
        TestRater rater = TestRater.start();
        Response response = rater.rate(lstm, 4, 2, 5);
        response.then().statusCode(201).body("sampleId", equalTo(lstm));
        assertFalse(MODEL_WORD.matcher(response.asString()).find(), "the answer must not name the model");

        String key = StateLayout.singleRatingKey(rater.raterId(), lstm);
        assertEquals("ratings/" + rater.raterId() + "/" + lstm + ".json", key);
        JsonNode stored = json.readTree(store.get(Buckets.RATINGS, key).orElseThrow());
        assertEquals("lstm", stored.get("model").asText());
        assertEquals(4, stored.get("scores").get("pleasing").asInt());
        assertFalse(stored.toString().contains(rater.cookie()), "the cookie token itself is never stored");

        ConsumerRecord<String, String> record = stack.topics().await(Topics.RATINGS_SUBMITTED,
                r -> r.value().contains(response.jsonPath().getString("ratingId")), Duration.ofSeconds(30));
        JsonNode event = json.readTree(record.value());
        assertEquals(lstm, record.key());
        assertEquals("ratings.submitted", event.get("type").asText());
        assertEquals("lstm", event.get("model").asText());
        assertEquals(rater.raterId(), event.get("raterId").asText());
        assertEquals(5, event.get("scores").get("interesting").asInt());
        assertEquals(EventIds.of(Topics.RATINGS_SUBMITTED, response.jsonPath().getString("ratingId")),
                event.get("eventId").asText(), "derived from the rating id, so a re-sent event is recognisable");

        // once acknowledged, the stored record says so (no re-send by the outbox)
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (json.readTree(store.get(Buckets.RATINGS, key).orElseThrow()).get("publishedAt").isNull()
                && System.nanoTime() < deadline) {
            TestSamples.sleep(100);
        }
        assertFalse(json.readTree(store.get(Buckets.RATINGS, key).orElseThrow()).get("publishedAt").isNull());
    }

    @Test
    void aSecondRatingOfTheSameSampleByTheSameRaterIsRefusedAndTheFirstStands() throws Exception {
        TestRater rater = TestRater.start();
        rater.rate(gan, 2, 2, 2).then().statusCode(201);
        rater.rate(gan, 5, 5, 5).then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("already rated this piece"));
        JsonNode stored = json.readTree(store.get(Buckets.RATINGS,
                StateLayout.singleRatingKey(rater.raterId(), gan)).orElseThrow());
        assertEquals(2, stored.get("scores").get("pleasing").asInt());
        assertEquals(1, store.list(Buckets.RATINGS, "ratings/" + rater.raterId() + "/").size());

        // another rater may rate it
        TestRater.start().rate(gan, 5, 5, 5).then().statusCode(201);

        // pairs: once per pair, whichever side is on the left
        rater.prefer(lstm, gan, gan).then().statusCode(201);
        rater.prefer(gan, lstm, lstm).then().statusCode(409).body("detail", containsString("already compared"));
        // a pair does not use up the single rating of its samples
        rater.rate(lstm, 3, 3, 3).then().statusCode(201);
    }

    @Test
    void postsWithoutTheCsrfTokenOrTheRaterCookieAreForbidden() {
        TestRater rater = TestRater.start();
        Map<String, Object> body = Map.of("sampleId", corpus,
                "scores", Map.of("pleasing", 3, "humanlike", 3, "interesting", 3));
        given().cookie(RaterSessions.COOKIE, rater.cookie()).contentType("application/json").body(body)
                .when().post("/api/ratings").then().statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("X-CSRF-Token"));
        given().cookie(RaterSessions.COOKIE, rater.cookie()).header(RaterSessions.CSRF_HEADER, "forged")
                .contentType("application/json").body(body)
                .when().post("/api/ratings").then().statusCode(403);
        // another rater's token does not fit this cookie
        given().cookie(RaterSessions.COOKIE, rater.cookie()).header(RaterSessions.CSRF_HEADER, TestRater.start().csrf())
                .contentType("application/json").body(body)
                .when().post("/api/ratings").then().statusCode(403);
        given().header(RaterSessions.CSRF_HEADER, rater.csrf()).contentType("application/json").body(body)
                .when().post("/api/ratings").then().statusCode(403)
                .body("detail", containsString("open the listening form"));
        assertTrue(store.list(Buckets.RATINGS, "ratings/" + rater.raterId() + "/").isEmpty());
    }

    @Test
    void unknownSamplesAndBadScoresGetClearProblems() {
        TestRater rater = TestRater.start();
        rater.rate("6f1c2a52-0000-4000-8000-000000000000", 3, 3, 3).then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(404))
                .body("detail", containsString("no sample '6f1c2a52-0000-4000-8000-000000000000'"));
        rater.rate(lstm, 0, 3, 3).then().statusCode(400).body("detail", containsString("from 1 to 5"));
        rater.rate(lstm, 3, 6, 3).then().statusCode(400).body("detail", containsString("from 1 to 5"));
        rater.post(Map.of("sampleId", lstm, "scores", Map.of("pleasing", 3))).then().statusCode(400)
                .body("detail", containsString("not answered"));
        rater.post(Map.of("sampleId", lstm, "scores", Map.of("pleasing", 3, "humanlike", 3, "interesting", 3,
                "catchy", 4))).then().statusCode(400).body("detail", containsString("Unknown question"));
        rater.prefer(lstm, gan, corpus).then().statusCode(400).body("detail", containsString("one of the two"));
        rater.prefer(lstm, lstm, lstm).then().statusCode(400);
        given().cookie(RaterSessions.COOKIE, rater.cookie()).header(RaterSessions.CSRF_HEADER, rater.csrf())
                .contentType("application/json").body("{not json").when().post("/api/ratings")
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        assertTrue(store.list(Buckets.RATINGS, "ratings/" + rater.raterId() + "/").isEmpty());
    }

    @Test
    void aRaterBeyondTheRateLimitGets429WithRetryAfter() {
        TestRater rater = TestRater.start();
        // the test profile allows 10 submissions per rater per minute; refused ones count too
        for (int i = 0; i < 10; i++) {
            rater.rate(lstm, 9, 9, 9).then().statusCode(400);
        }
        Response limited = rater.rate(lstm, 3, 3, 3);
        limited.then().statusCode(429).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("wait"));
        assertTrue(Integer.parseInt(limited.getHeader("Retry-After")) >= 1);
        // another rater is not held back
        TestRater.start().rate(lstm, 3, 3, 3).then().statusCode(201);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRatingStoredWithoutItsEventIsGoneFromTheRatersSeriesAtOnce() {
        TestRater rater = TestRater.start();
        JsonPath before = given().cookie(RaterSessions.COOKIE, rater.cookie()).when().get("/api/trials")
                .then().statusCode(200).extract().jsonPath();
        // an ordinary single trial (a catch item is answered under a key of its own)
        List<Map<String, Object>> trials = before.getList("trials");
        String heard = trials.stream().filter(t -> "single".equals(t.get("kind")))
                .filter(t -> !trialService.trial(rater.raterId(), (String) t.get("id")).orElseThrow().catchTrial())
                .map(t -> ((List<Map<String, String>>) t.get("samples")).get(0).get("id"))
                .findFirst().orElseThrow();
        // what another replica leaves when it is killed between storing a rating and sending its event
        new RatingRepository(store, json).save(new Rating(UUID.randomUUID().toString(), rater.raterId(), heard,
                catalogue.find(heard).orElseThrow().model(), Map.of("pleasing", 3, "humanlike", 3, "interesting", 3), null, null, null, Instant.now(),
                null, null, false, null, null));

        JsonPath after = given().cookie(RaterSessions.COOKIE, rater.cookie()).when().get("/api/trials")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(before.getInt("series"), after.getInt("series"), "the same series");
        assertEquals(before.getInt("done") + 1, after.getInt("done"));
        assertFalse(after.getList("trials.samples.id").contains(List.of(heard)), after.prettify());
        rater.rate(heard, 5, 5, 5).then().statusCode(409);
    }

    @Test
    void trialsAndMediaNeverRevealTheModel() {
        TestRater rater = TestRater.start();
        Response trials = given().cookie(RaterSessions.COOKIE, rater.cookie()).when().get("/api/trials");
        trials.then().statusCode(200);
        assertFalse(MODEL_WORD.matcher(trials.asString()).find(), trials.asString());
        List<Map<String, Object>> list = trials.jsonPath().getList("trials");
        // four ordinary trials (2 single, 1 pair, 1 Turing) and, when the catalogue has a low anchor, one catch trial
        // of two items; the page's JSON does not say which
        long catchItems = list.stream().filter(t -> trialService.trial(rater.raterId(), (String) t.get("id"))
                .orElseThrow().catchTrial()).count();
        assertEquals(4 + catchItems, trials.jsonPath().getInt("total"));
        assertEquals(4 + catchItems, list.size());
        assertTrue(catchItems == 0 || catchItems == 2, "one catch trial is two items: " + catchItems);
        assertEquals(Map.of("single", 2L + catchItems, "pair", 1L, "turing", 1L), list.stream().collect(
                java.util.stream.Collectors.groupingBy(t -> (String) t.get("kind"),
                        java.util.stream.Collectors.counting())));
        for (Map<String, Object> trial : list) {
            assertEquals(java.util.Set.of("id", "kind", "samples"), trial.keySet());
            for (Object sample : (List<?>) trial.get("samples")) {
                assertEquals(null, ((Map<?, ?>) sample).get("pianoRoll"), "by ear: no piano roll while listening");
            }
        }
        // the same series comes back on reload
        assertEquals(trials.jsonPath().getList("trials"),
                given().cookie(RaterSessions.COOKIE, rater.cookie()).when().get("/api/trials").jsonPath()
                        .getList("trials"));

        String page = given().cookie(RaterSessions.COOKIE, rater.cookie()).when().get("/")
                .then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .extract().asString();
        assertFalse(MODEL_WORD.matcher(page).find(), "the form names no model");
        assertTrue(page.contains(rater.csrf()), "the page carries the rater's CSRF token");

        Response audio = given().when().get("/api/samples/" + lstm + "/audio");
        audio.then().statusCode(200).contentType("audio/wav").header("Accept-Ranges", "bytes");
        assertEquals("RIFF", new String(audio.asByteArray(), 0, 4, StandardCharsets.US_ASCII));
        assertEquals(null, audio.getHeader("Content-Disposition"));
        given().header("Range", "bytes=0-3").when().get("/api/samples/" + lstm + "/audio")
                .then().statusCode(206).header("Content-Range", startsWith("bytes 0-3/"));
        // the piano roll only after the answer (TrialRulesApiTest): refused without a rater, or before rating
        given().when().get("/api/samples/" + gan + "/pianoroll").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        given().when().get("/api/samples/" + corpus).then().statusCode(200)
                .body("audio", equalTo("/api/samples/" + corpus + "/audio"))
                .body("midi", equalTo("/api/samples/" + corpus + "/midi"))
                .body("pianoRoll", equalTo(null));
        // the MIDI the listening form plays on its bundled piano, and the piano itself, from this service
        byte[] midi = given().when().get("/api/samples/" + lstm + "/midi").then().statusCode(200)
                .contentType("audio/midi").extract().asByteArray();
        assertEquals("MThd", new String(midi, 0, 4, StandardCharsets.US_ASCII));
        given().when().get("/js/piano.js").then().statusCode(200);
        given().when().get("/audio/piano-22050.json").then().statusCode(200).body("sampleRate", equalTo(22050))
                .body("voices.size()", equalTo(88));
        assertFalse(MODEL_WORD.matcher(given().when().get("/api/samples/" + corpus).asString()).find());
        given().when().get("/api/samples/nope/audio").then().statusCode(404);

        given().when().get("/api/trials").then().statusCode(403);
    }

    @Test
    void resultsAndExportsCountTheRatings() {
        int before = given().when().get("/api/results").then().statusCode(200).extract().path("ratings");
        int lstmBefore = given().when().get("/api/results").jsonPath().getInt("questions[0].models[0].summary.n");
        TestRater one = TestRater.start();
        TestRater two = TestRater.start();
        one.rate(lstm, 5, 4, 4).then().statusCode(201);
        two.rate(lstm, 3, 2, 4).then().statusCode(201);
        two.rate(corpus, 4, 5, 3).then().statusCode(201);
        one.prefer(gan, lstm, lstm).then().statusCode(201);

        JsonPath results = given().when().get("/api/results").then().statusCode(200).extract().jsonPath();
        assertEquals(before + 4, results.getInt("ratings"));
        assertEquals(lstmBefore + 2, results.getInt("questions[0].models[0].summary.n"));
        assertEquals("pleasing", results.getString("questions[0].id"));
        assertTrue(results.getBoolean("questions[0].comparisons[0].primary"));
        assertTrue(results.getInt("preferences[0].firstPreferred.n") >= 1);
        assertTrue(results.getInt("models[0].samples") >= 1);
        assertEquals(List.of("performance"), results.getList("models[0].encodings"), "the samples' corpus encoding");
        given().when().get("/results").then().statusCode(200)
                .body(containsString("<td data-field=\"encoding\">performance</td>"));

        String csv = given().when().get("/api/ratings/export.csv").then().statusCode(200)
                .contentType(startsWith("text/csv")).header("Content-Disposition", containsString("ratings.csv"))
                .extract().asString();
        assertTrue(csv.startsWith("ratingId,submittedAt,raterId,trialType,catchTrial,clipSeconds,sampleId,model,"
                + "pleasing,humanlike,interesting,pairedWith,pairedModel,preferred,preferredModel,preferredPosition,"
                + "confidence\r\n"), csv);
        assertTrue(csv.contains("," + one.raterId() + ",single,false,1.0," + lstm + ",lstm,5,4,4,,,,,,\r\n"), csv);
        assertTrue(csv.contains("," + one.raterId() + ",pair,false,1.0," + gan + ",gan,,,," + lstm + ",lstm," + lstm
                + ",lstm,right,\r\n"), csv);
        List<Map<String, Object>> exported = given().when().get("/api/ratings/export.json").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertEquals(before + 4, exported.size());
        Map<String, Object> row = exported.stream().filter(r -> one.raterId().equals(r.get("raterId"))
                && "single".equals(r.get("trialType"))).findFirst().orElseThrow();
        assertEquals(false, row.get("catchTrial"));
        assertEquals(1.0f, ((Number) row.get("clipSeconds")).floatValue());
        assertEquals(null, row.get("confidence"));
        assertFalse(csv.contains(one.cookie()), "exports carry pseudonyms, never cookie tokens");

        given().when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/ratings")).body(containsString("/api/results"));

        String html = given().when().get("/results").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<strong id=\"total-ratings\">" + (before + 4) + "</strong>"));
    }
}
