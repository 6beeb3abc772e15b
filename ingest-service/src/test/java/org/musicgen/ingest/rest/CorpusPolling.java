package org.musicgen.ingest.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

final class CorpusPolling {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CorpusPolling() {
    }

    /** Polls {@code GET /api/corpora/{id}} until the corpus leaves PROCESSING. */
    static JsonNode awaitFinished(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String body = given().when().get("/api/corpora/" + id).then().statusCode(200).extract().asString();
            try {
                JsonNode corpus = JSON.readTree(body);
                if (!"PROCESSING".equals(corpus.get("status").asText())) {
                    return corpus;
                }
                Thread.sleep(200);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return fail("corpus " + id + " still PROCESSING after 60 s");
    }
}
