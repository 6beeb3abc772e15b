package org.musicgen.evaluation.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.TestRater;
import org.musicgen.evaluation.TestSamples;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.storage.ObjectStore;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code piano-roll = during}: the roll beside the player, as the form worked before. */
@QuarkusTest
@TestProfile(PianoRollDuringTest.Profile.class)
@QuarkusTestResource(LocalStackTestResource.class)
class PianoRollDuringTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("musicgen.evaluation.piano-roll", "during");
        }
    }

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper json;

    @Test
    void thePianoRollComesWithTheTrialAsBefore() {
        for (String model : List.of("lstm", "gan", "corpus")) {
            TestSamples.publish(stack, store, json, model, Map.of());
        }
        TestRater rater = TestRater.start();
        List<Map<String, Object>> samples = rater.trials().then().statusCode(200).extract().jsonPath()
                .getList("trials.samples.flatten()");
        assertTrue(samples.size() >= 4, samples.toString());
        for (Map<String, Object> sample : samples) {
            assertEquals("/api/samples/" + sample.get("id") + "/pianoroll", sample.get("pianoRoll"));
        }
        String id = (String) samples.get(0).get("id");
        // served to anyone, before any answer
        given().when().get("/api/samples/" + id + "/pianoroll").then().statusCode(200).contentType("image/png");
        rater.rate(id, 3, 3, 3).then().statusCode(201).body("pianoRolls", equalTo(List.of()));
    }
}
