package org.musicgen.trainer.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.testing.TestDatasets;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress streamed as Server-Sent Events, and cancellation. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class RunControlTest {

    @InjectLocalStack
    LocalStack stack;

    @TestHTTPResource("/api/training-runs")
    URL runs;

    @Test
    void progressStreamsUntilTheRunEnds() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 60);
        String id = RunPolling.create(corpusId, "gan", Map.of("epochs", "4", "generatorHidden", "128,256", "bars", "2"));

        HttpRequest request = HttpRequest.newBuilder(URI.create(runs + "/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5)).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<JsonPath> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    events.add(new JsonPath(line.substring(5).trim()));
                }
            }
        }
        assertTrue(events.size() >= 2, "at least the current state and the end: " + events.size());
        assertEquals(id, events.get(0).getString("runId"));
        assertEquals("COMPLETED", events.get(events.size() - 1).getString("status"));
        List<Integer> epochsWithLosses = events.stream()
                .filter(e -> e.get("generatorLoss") != null && e.get("step") == null)
                .map(e -> e.getInt("epoch")).distinct().toList();
        assertEquals(4, epochsWithLosses.get(epochsWithLosses.size() - 1), "the last epoch is streamed");
        for (int i = 1; i < epochsWithLosses.size(); i++) {
            assertEquals(epochsWithLosses.get(i - 1) + 1, epochsWithLosses.get(i), "every epoch in order");
        }
        // the piano-roll GAN's collapse watch travels with every finished epoch
        events.stream().filter(e -> e.get("generatorLoss") != null && e.get("step") == null).forEach(e -> {
            assertTrue(e.getDouble("sampleDiversity") >= 0, e.prettify());
            assertTrue(e.getDouble("realDiversity") > 0, e.prettify());
        });
    }

    @Test
    void aCancelledRunStaysCancelled() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 12);
        String id = RunPolling.create(corpusId, "lstm", Map.of("epochs", "500"));
        RunPolling.awaitEpoch(id, 1, 120);
        given().when().post("/api/training-runs/" + id + "/cancel").then().statusCode(202);

        JsonPath run = RunPolling.awaitFinished(id, 60);
        assertEquals("CANCELLED", run.getString("status"));
        int epoch = run.getInt("epoch");
        // runs take turns on the engine (concurrency 1): a run that completes after it proves the cancelled one let go
        String next = RunPolling.create(corpusId, "lstm", Map.of("epochs", "1"));
        assertEquals("COMPLETED", RunPolling.awaitFinished(next, 120).getString("status"));
        assertEquals("CANCELLED", RunPolling.run(id).getString("status"));
        assertEquals(epoch, RunPolling.run(id).getInt("epoch"), "no epoch after the cancellation");
        given().when().post("/api/training-runs/" + id + "/cancel").then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void aRunOutlivesAnObjectStoreOutageAndCarriesOnFromItsCheckpoint() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 24);
        String id = RunPolling.create(corpusId, "lstm", Map.of("epochs", "25"));
        RunPolling.awaitEpoch(id, 2, 120);
        stack.stopS3();
        try {
            Thread.sleep(4000);
        } finally {
            stack.startS3();
        }
        // Not failed: the queue's sweep (every 2 s in tests) picks the run up again from its last checkpoint.
        JsonPath run = RunPolling.awaitFinished(id, 300);
        assertEquals("COMPLETED", run.getString("status"), run.prettify());
        List<Integer> epochs = run.getList("history.epoch", Integer.class);
        assertEquals(25, epochs.size(), "every epoch once: " + epochs);
        for (int i = 0; i < epochs.size(); i++) {
            assertEquals(i + 1, epochs.get(i));
        }
    }
}
