package org.musicgen.ingest.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.localstack.LocalStackTestResource;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** With {@code musicgen.api.key} set, uploads need the key; reading stays open. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
@TestProfile(ApiKeyTest.WithApiKey.class)
class ApiKeyTest {

    static final String KEY = "test-only-key-7f3a";

    public static class WithApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("musicgen.api.key", KEY);
        }
    }

    @Test
    void uploadsNeedTheKeyAndReadsDoNot() {
        GeneratedPiece piece = TestCorpora.pieces(11, 1).get(0);
        given().multiPart("name", "no key").multiPart("files", piece.fileName(), piece.midi(), "audio/midi")
                .when().post("/api/corpora")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("X-API-Key"))
                .body("detail", containsString("needs the API key"));
        given().header("X-API-Key", "wrong").multiPart("name", "wrong key")
                .multiPart("files", piece.fileName(), piece.midi(), "audio/midi")
                .when().post("/api/corpora")
                .then().statusCode(401).body("detail", containsString("not valid"));

        given().header("X-API-Key", KEY).multiPart("name", "with key")
                .multiPart("files", piece.fileName(), piece.midi(), "audio/midi")
                .when().post("/api/corpora")
                .then().statusCode(202);
        // The same files again: accepted with the bearer form, answered 200 with the corpus already made.
        given().header("Authorization", "Bearer " + KEY).multiPart("name", "bearer")
                .multiPart("files", piece.fileName(), piece.midi(), "audio/midi")
                .when().post("/api/corpora")
                .then().statusCode(200);

        given().when().get("/api/corpora").then().statusCode(200);
    }
}
