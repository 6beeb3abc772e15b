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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** {@code piano-roll = never}: a test judged by ear only (after-answer, the default, is in TrialRulesApiTest). */
@QuarkusTest
@TestProfile(PianoRollNeverTest.Profile.class)
@QuarkusTestResource(LocalStackTestResource.class)
class PianoRollNeverTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("musicgen.evaluation.piano-roll", "never");
        }
    }

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper json;

    @Test
    void thePianoRollIsNeitherOfferedNorServedEvenAfterTheAnswer() {
        String sample = TestSamples.publish(stack, store, json, "lstm", Map.of());
        TestRater rater = TestRater.start();
        rater.trials().then().statusCode(200);
        given().when().get("/api/samples/" + sample).then().statusCode(200).body("pianoRoll", equalTo(null));
        rater.rate(sample, 3, 3, 3).then().statusCode(201).body("pianoRolls", equalTo(List.of()));
        rater.get("/api/samples/" + sample + "/pianoroll").then().statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("by ear only"));
    }
}
