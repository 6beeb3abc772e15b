package org.musicgen.trainer.rest;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

final class RunPolling {

    private static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    private RunPolling() {
    }

    static Response post(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/training-runs");
    }

    static String create(String corpusId, String model, Map<String, String> hyperParameters) {
        return post(Map.of("corpusId", corpusId, "model", model, "hyperParameters", hyperParameters, "device", "cpu"))
                .then().statusCode(202).extract().path("id");
    }

    static JsonPath run(String id) {
        return given().when().get("/api/training-runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath awaitFinished(String id, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonPath run = run(id);
            if (FINAL.contains(run.getString("status"))) {
                return run;
            }
            Thread.sleep(500);
        }
        return fail("run " + id + " not finished after " + seconds + " s: " + run(id).prettify());
    }

    static JsonPath awaitEpoch(String id, int epoch, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonPath run = run(id);
            if (run.getInt("epoch") >= epoch || FINAL.contains(run.getString("status"))) {
                return run;
            }
            Thread.sleep(200);
        }
        return fail("run " + id + " did not reach epoch " + epoch + " in " + seconds + " s");
    }
}
