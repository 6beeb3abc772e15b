package org.musicgen.evaluation.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.evaluation.TestRater;
import org.musicgen.evaluation.TestSamples;
import org.musicgen.evaluation.samples.ModelKind;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.trials.PlannedTrial;
import org.musicgen.evaluation.trials.TrialService;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of the fair listening test through the HTTP API, on the real broker and object store: clips of one length,
 * the piano roll after the answer, Turing trials and catch trials, each answer checked against the rater's planned
 * series.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class TrialRulesApiTest {

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper json;

    @Inject
    TrialService trialService;

    @Test
    void onlyClipsOfTheExperimentsLengthThatFillItArePlanned() {
        for (String model : List.of("lstm", "gan", "corpus")) {
            TestSamples.publish(stack, store, json, model, Map.of());
        }
        // a model that fell short of its one-second clip, and a clip of another experiment's length
        String tooShort = TestSamples.publish(stack, store, json, "lstm", Map.of(), TestSamples.CLIP_SECONDS, 0.3,
                null);
        String otherLength = TestSamples.publish(stack, store, json, "gan", Map.of(), 2.0, 2.0, null);
        String fresh = TestSamples.publish(stack, store, json, "lstm", Map.of());

        // raters until the new clip of the right length has been planned: it is among the least used, so it comes
        // up soon (other tests' samples may share its count); the two others must never come up meanwhile
        Set<String> planned = new HashSet<>();
        for (int i = 0; i < 80 && !planned.contains(fresh); i++) {
            TestRater rater = TestRater.start();
            List<List<String>> trials = rater.trials().then().statusCode(200).extract().jsonPath()
                    .getList("trials.samples.id");
            trials.forEach(planned::addAll);
        }
        assertTrue(planned.contains(fresh), "a new clip of the right length is planned");
        assertFalse(planned.contains(tooShort), "a clip shorter than its length by more than 0.5 s is never played");
        assertFalse(planned.contains(otherLength), "a clip of another length is never played");
        // both stay in the catalogue, so that the results can name them
        given().when().get("/api/samples/" + tooShort).then().statusCode(200);
        given().when().get("/api/samples/" + otherLength).then().statusCode(200);
    }

    @Test
    void thePianoRollIsRefusedBeforeTheAnswerAndOfferedAfterIt() {
        seed();
        TestRater rater = TestRater.start();
        List<Map<String, Object>> trials = rater.trials().then().statusCode(200).extract().jsonPath()
                .getList("trials");
        for (Map<String, Object> trial : trials) {
            for (Map<String, Object> sample : samplesOf(trial)) {
                assertEquals(null, sample.get("pianoRoll"), "no piano roll while listening");
            }
        }
        Map<String, Object> single = ordinary(rater, trials, "single");
        String sample = sampleIds(single).get(0);
        String roll = "/api/samples/" + sample + "/pianoroll";

        rater.get(roll).then().statusCode(403).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("after you have answered"));
        given().when().get(roll).then().statusCode(403).contentType(startsWith("application/problem+json"));

        rater.rateTrial((String) single.get("id"), sample, 3, 4, 2).then().statusCode(201)
                .body("trialId", equalTo(single.get("id")))
                .body("pianoRolls", equalTo(List.of(roll)));
        byte[] png = rater.get(roll).then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        // another rater has not answered it
        TestRater.start().get(roll).then().statusCode(403);

        // a Turing trial reveals both rolls, left first
        Map<String, Object> turing = ordinary(rater, trials, "turing");
        List<String> clips = sampleIds(turing);
        rater.post(Map.of("trialId", turing.get("id"), "sampleId", clips.get(0), "pairedWith", clips.get(1),
                        "preferred", clips.get(1))).then().statusCode(201)
                .body("pianoRolls", equalTo(List.of("/api/samples/" + clips.get(0) + "/pianoroll",
                        "/api/samples/" + clips.get(1) + "/pianoroll")));
        rater.get("/api/samples/" + clips.get(1) + "/pianoroll").then().statusCode(200);
    }

    @Test
    void aTuringTrialSetsARealExcerptAgainstAGeneratedClipAndIsAnsweredOnce() throws Exception {
        seed();
        TestRater rater = TestRater.start();
        List<Map<String, Object>> trials = rater.trials().then().statusCode(200).extract().jsonPath()
                .getList("trials");
        int done = rater.trials().jsonPath().getInt("done");
        Map<String, Object> turing = ordinary(rater, trials, "turing");
        String trialId = (String) turing.get("id");
        PlannedTrial planned = trialService.trial(rater.raterId(), trialId).orElseThrow();
        Set<ModelKind> kinds = Set.of(planned.samples().get(0).kind(), planned.samples().get(1).kind());
        assertTrue(kinds.contains(ModelKind.CORPUS) && (kinds.contains(ModelKind.LSTM)
                || kinds.contains(ModelKind.GAN)), "a real excerpt and a generated clip: " + kinds);
        String left = planned.samples().get(0).sampleId();
        String right = planned.samples().get(1).sampleId();
        String human = planned.samples().stream().filter(s -> s.kind() == ModelKind.CORPUS).findFirst()
                .orElseThrow().sampleId();

        // bad answers, each with a reason (ten submissions in all: the test profile's limit per rater and minute)
        rater.post(turingAnswer(trialId, left, right, left, 4)).then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("'confidence'"));
        rater.post(turingAnswer(trialId, left, right, left, 0)).then().statusCode(400)
                .body("detail", containsString("'confidence'"));
        rater.post(turingAnswer(trialId, left, right, UUID.randomUUID().toString(), 2)).then().statusCode(400)
                .body("detail", containsString("one of the two"));
        rater.post(Map.of("trialId", trialId, "sampleId", left, "pairedWith", right, "preferred", left,
                "scores", Map.of("pleasing", 3, "humanlike", 3, "interesting", 3))).then().statusCode(400)
                .body("detail", containsString("which piece a person wrote"));
        rater.rateTrial(trialId, left, 3, 3, 3).then().statusCode(400).body("detail", containsString("plays two"));
        String stranger = TestSamples.publish(stack, store, json, "gan", Map.of());
        rater.post(turingAnswer(trialId, left, stranger, left, null)).then().statusCode(400)
                .body("detail", containsString("other pieces"));
        rater.post(turingAnswer(UUID.randomUUID().toString(), left, right, left, 2)).then().statusCode(404)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("no trial"));
        rater.post(Map.of("sampleId", left, "pairedWith", right, "preferred", left, "confidence", 2))
                .then().statusCode(400).body("detail", containsString("trialId"));
        // another rater cannot answer this rater's trial
        TestRater.start().post(turingAnswer(trialId, left, right, left, 2)).then().statusCode(404);

        // the answer may name the two clips in either order: the plan says which sat on the left
        rater.post(turingAnswer(trialId, right, left, human, 2)).then().statusCode(201);
        String key = StateLayout.turingRatingKey(rater.raterId(), left, right);
        JsonNode stored = json.readTree(store.get(Buckets.RATINGS, key).orElseThrow());
        assertEquals("turing", stored.get("trialType").asText());
        assertEquals(left, stored.get("sampleId").asText());
        assertEquals(right, stored.get("pairedWith").asText());
        assertEquals(human, stored.get("preferred").asText());
        assertEquals(2, stored.get("confidence").asInt());
        assertFalse(stored.get("catchTrial").asBoolean());
        assertEquals(TestSamples.CLIP_SECONDS, stored.get("clipSeconds").asDouble());
        assertEquals(Set.of("corpus", planned.samples().stream().filter(s -> s.kind() != ModelKind.CORPUS)
                        .findFirst().orElseThrow().model()),
                Set.of(stored.get("model").asText(), stored.get("pairedModel").asText()));

        rater.post(turingAnswer(trialId, left, right, left, null)).then().statusCode(409)
                .body("detail", containsString("already answered this trial"));
        assertEquals(done + 1, rater.trials().jsonPath().getInt("done"));
        assertFalse(rater.trials().jsonPath().getList("trials.id").contains(trialId));

        String csv = given().when().get("/api/ratings/export.csv").then().statusCode(200).extract().asString();
        assertTrue(csv.contains("," + rater.raterId() + ",turing,false,1.0," + left + ","), csv);
        assertTrue(csv.lines().anyMatch(line -> line.contains(rater.raterId() + ",turing,") && line.endsWith(",2")),
                csv);
    }

    @Test
    void aCatchTrialLooksLikeAnyOtherSingleTrialAndIsStoredAsACatchItem() throws Exception {
        seed();
        // a real excerpt and its low anchor (other tests may have added more; the rater gets the least used)
        String reference = TestSamples.publish(stack, store, json, "corpus", Map.of());
        TestSamples.publishAnchor(stack, store, json, reference);
        TestRater rater = TestRater.start();
        List<Map<String, Object>> trials = rater.trials().then().statusCode(200).extract().jsonPath()
                .getList("trials");

        List<Integer> catchPlaces = new ArrayList<>();
        Map<String, PlannedTrial> catchItems = new HashMap<>();
        for (int i = 0; i < trials.size(); i++) {
            PlannedTrial planned = trialService.trial(rater.raterId(), (String) trials.get(i).get("id"))
                    .orElseThrow();
            if (planned.catchTrial()) {
                catchPlaces.add(i);
                catchItems.put((String) trials.get(i).get("id"), planned);
                assertEquals("single", trials.get(i).get("kind"), "a catch item looks like a single trial");
                assertEquals(Set.of("id", "kind", "samples"), trials.get(i).keySet());
            }
        }
        assertEquals(2, catchItems.size(), "one catch trial (the test profile's) of two items: " + trials);
        assertTrue(catchPlaces.get(1) - catchPlaces.get(0) >= 2, "the two items apart: " + catchPlaces);
        List<Sample> catchSamples = catchItems.values().stream().map(PlannedTrial::first).toList();
        Sample real = catchSamples.stream().filter(s -> s.kind() == ModelKind.CORPUS).findFirst().orElseThrow();
        Sample low = catchSamples.stream().filter(s -> s.kind() == ModelKind.ANCHOR).findFirst().orElseThrow();
        assertEquals(real.sampleId(), low.referenceSampleId(), "the hidden reference and its own low anchor");
        assertEquals(6, trials.size(), "progress counts every item: 4 trials and the 2 catch items");
        assertEquals(6, rater.trials().jsonPath().getInt("total"));

        String anchorTrial = catchItems.entrySet().stream().filter(e -> e.getValue().first().equals(low))
                .findFirst().orElseThrow().getKey();
        String referenceTrial = catchItems.entrySet().stream().filter(e -> e.getValue().first().equals(real))
                .findFirst().orElseThrow().getKey();
        // the wrong type of answer for a single-looking item
        rater.post(Map.of("trialId", anchorTrial, "sampleId", low.sampleId(), "pairedWith", real.sampleId(),
                "preferred", real.sampleId())).then().statusCode(400).body("detail", containsString("plays one"));
        rater.post(Map.of("trialId", anchorTrial, "sampleId", real.sampleId(),
                        "scores", Map.of("pleasing", 3, "humanlike", 3, "interesting", 3)))
                .then().statusCode(400).body("detail", containsString("other pieces"));

        Response accepted = rater.rateTrial(anchorTrial, low.sampleId(), 1, 1, 2);
        accepted.then().statusCode(201);
        assertFalse(accepted.asString().toLowerCase().contains("catch"), "the answer does not say it was a catch item");
        JsonNode stored = json.readTree(store.get(Buckets.RATINGS,
                StateLayout.catchRatingKey(rater.raterId(), low.sampleId())).orElseThrow());
        assertTrue(stored.get("catchTrial").asBoolean());
        assertEquals("anchor", stored.get("model").asText());
        assertEquals("single", stored.get("trialType").asText());
        // claimed twice: refused with the words of any single trial
        rater.rateTrial(anchorTrial, low.sampleId(), 5, 5, 5).then().statusCode(409)
                .body("detail", containsString("already rated this piece"));

        rater.rateTrial(referenceTrial, real.sampleId(), 4, 5, 4).then().statusCode(201);
        assertTrue(json.readTree(store.get(Buckets.RATINGS, StateLayout.catchRatingKey(rater.raterId(),
                real.sampleId())).orElseThrow()).get("catchTrial").asBoolean());
        // the same excerpt rated ordinarily, with a claim of catch-ness the server does not take from the client
        rater.post(Map.of("sampleId", real.sampleId(), "catchTrial", true,
                "scores", Map.of("pleasing", 4, "humanlike", 4, "interesting", 4))).then().statusCode(201);
        JsonNode ordinary = json.readTree(store.get(Buckets.RATINGS,
                StateLayout.singleRatingKey(rater.raterId(), real.sampleId())).orElseThrow());
        assertFalse(ordinary.get("catchTrial").asBoolean());
        // a low anchor is heard as a catch item only, never rated outside its trial
        rater.rate(low.sampleId(), 2, 2, 2).then().statusCode(400).body("detail", containsString("'trialId'"));
        assertEquals(2, rater.trials().jsonPath().getInt("done"), "the two catch items are done");

        String csv = given().when().get("/api/ratings/export.csv").then().statusCode(200).extract().asString();
        assertTrue(csv.contains("," + rater.raterId() + ",single,true,1.0," + low.sampleId() + ",anchor,1,1,2,"), csv);
    }

    private void seed() {
        for (String model : List.of("lstm", "gan", "corpus")) {
            TestSamples.publish(stack, store, json, model, Map.of());
        }
    }

    private static Map<String, Object> turingAnswer(String trialId, String sampleId, String pairedWith,
                                                    String preferred, Integer confidence) {
        Map<String, Object> body = new HashMap<>(Map.of("trialId", trialId, "sampleId", sampleId,
                "pairedWith", pairedWith, "preferred", preferred));
        if (confidence != null) {
            body.put("confidence", confidence);
        }
        return body;
    }

    /** The first trial of this kind that is not a catch item (the planned series says; the page cannot). */
    private Map<String, Object> ordinary(TestRater rater, List<Map<String, Object>> trials, String kind) {
        return trials.stream().filter(t -> kind.equals(t.get("kind")))
                .filter(t -> !trialService.trial(rater.raterId(), (String) t.get("id")).orElseThrow().catchTrial())
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " trial in " + trials));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> samplesOf(Map<String, Object> trial) {
        return (List<Map<String, Object>>) trial.get("samples");
    }

    private static List<String> sampleIds(Map<String, Object> trial) {
        return samplesOf(trial).stream().map(s -> (String) s.get("id")).toList();
    }
}
