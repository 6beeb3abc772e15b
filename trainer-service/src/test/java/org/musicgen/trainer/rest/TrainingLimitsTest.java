package org.musicgen.trainer.rest;

import org.musicgen.core.model.ModelCheckpoint;
import org.musicgen.core.model.kind.ModelKind;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.testing.TestDatasets;
import org.musicgen.testing.TestObjects;

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

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs that end on their own: a time budget, early stopping, an honest ETA, and refused limits. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class TrainingLimitsTest {

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectMapper json;

    @TestHTTPResource("/api/training-runs")
    URL runs;

    @Test
    void aTimeBudgetEndsARunThatCompletesWithItsBestCheckpoint() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 24);
        double budgetSeconds = 9;
        String id = RunPolling.create(corpusId, "lstm", Map.of("epochs", "1000", "maxMinutes", "0.15"));

        JsonPath run = RunPolling.awaitFinished(id, 240);
        assertEquals("COMPLETED", run.getString("status"), run.prettify());
        assertEquals("budget", run.getString("stopReason"));
        int epochs = run.getList("history").size();
        assertTrue(epochs >= 1 && epochs < 1000, "epochs trained: " + epochs);
        // the budget holds training, evaluation and checkpoints; an epoch it cuts short is still evaluated
        double elapsed = run.getDouble("elapsedSeconds");
        assertTrue(elapsed <= budgetSeconds + 10, "spent " + elapsed + " s of a " + budgetSeconds + " s budget");

        int best = bestEpochByValidationLoss(run);
        assertEquals(best, (int) run.getDouble("finalMetrics.bestEpoch"));
        JsonNode trained = json.readTree(stack.topics().await("models.trained", r -> r.key().equals(id),
                Duration.ofSeconds(60)).value());
        String key = run.getList("checkpointKeys", String.class).get(best - 1);
        assertEquals(key, trained.get("checkpointKey").asText(), "the best epoch's checkpoint is announced");

        // resumable: the announced checkpoint rebuilds the model it was written from
        ModelCheckpoint checkpoint = ModelCheckpoint.decode(TestObjects.of(stack).get("checkpoints", key));
        assertEquals(best, checkpoint.epoch());
        assertEquals("seed", checkpoint.readEncoding().name());
        try (LstmModel model = LstmModel.load((LstmConfig) ModelKind.configOf(checkpoint), checkpoint.readEncoding().size(),
                Device.cpu(), checkpoint.parameters("model"))) {
            assertEquals(checkpoint.readEncoding().size(), model.logitsNext(new int[] {1, 2, 3}).length);
        }
    }

    @Test
    void patienceStopsARunWhoseValidationLossStopsImprovingAndAnnouncesTheBestEpoch() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 24);
        // a rate this small moves the validation loss by far less than minDelta: no epoch after the first improves
        String id = RunPolling.create(corpusId, "lstm", Map.of("epochs", "60", "learningRate", "0.0000001",
                "patience", "2", "minDelta", "0.01"));

        JsonPath run = RunPolling.awaitFinished(id, 240);
        assertEquals("COMPLETED", run.getString("status"), run.prettify());
        assertEquals("patience", run.getString("stopReason"));
        assertEquals(3, run.getList("history").size(), "the first epoch, then 2 without improvement");
        int best = bestEpochByValidationLoss(run);
        assertEquals(best, (int) run.getDouble("finalMetrics.bestEpoch"));
        JsonNode trained = json.readTree(stack.topics().await("models.trained", r -> r.key().equals(id),
                Duration.ofSeconds(60)).value());
        assertEquals(run.getList("checkpointKeys", String.class).get(best - 1), trained.get("checkpointKey").asText());
        assertEquals(3, trained.get("epochs").asInt());
    }

    @Test
    void progressEventsCarryAPlausibleEta() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 60);
        // small batches: epochs of several seconds, so that step events (every 2 s) come too
        String id = RunPolling.create(corpusId, "lstm", Map.of("epochs", "3", "batchSize", "2", "maxMinutes", "10"));

        HttpRequest request = HttpRequest.newBuilder(URI.create(runs + "/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(5)).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<JsonPath> events = new ArrayList<>();
        List<Long> received = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    events.add(new JsonPath(line.substring(5).trim()));
                    received.add(System.nanoTime());
                }
            }
        }
        JsonPath last = events.get(events.size() - 1);
        assertEquals("COMPLETED", last.getString("status"));
        long end = received.get(received.size() - 1);
        List<String> steps = new ArrayList<>();
        boolean epochEvent = false;
        for (int i = 0; i < events.size(); i++) {
            JsonPath e = events.get(i);
            if (!"RUNNING".equals(e.getString("status")) || e.getInt("epoch") == 0 && e.get("step") == null) {
                continue;
            }
            assertNotNull(e.get("etaSeconds"), "a running run's progress has an ETA: " + e.prettify());
            double eta = e.getDouble("etaSeconds");
            assertTrue(eta >= 0 && eta <= 600, "within the 10-minute budget: " + eta);
            double actual = (end - received.get(i)) / 1e9;
            if (e.get("step") != null) {
                steps.add(e.getInt("epoch") + "." + e.getInt("step") + ": eta " + eta + " s, actual " + actual + " s");
            } else if (e.getInt("epoch") < 3) {
                epochEvent = true;
                // the mean pace of the epochs so far foretells the rest; generous bounds for a busy machine
                assertTrue(eta <= 4 * actual + 10 && eta >= actual / 4 - 10,
                        "after epoch " + e.getInt("epoch") + ": ETA " + eta + " s, it took " + actual + " s");
            }
        }
        assertTrue(epochEvent, "epoch events were streamed");
        assertFalse(steps.isEmpty(), "step events with an ETA were streamed");
    }

    @Test
    void invalidLimitsGetProblems() {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 2);
        RunPolling.post(Map.of("corpusId", corpusId, "model", "lstm", "hyperParameters", Map.of("maxMinutes", "0")))
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("maxMinutes must be a number of minutes above 0 and at most 525600, got 0.0"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "gan", "hyperParameters", Map.of("maxMinutes", "-5")))
                .then().statusCode(400).contentType("application/problem+json");
        RunPolling.post(Map.of("corpusId", corpusId, "model", "lstm", "hyperParameters", Map.of("maxMinutes", "soon")))
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("maxMinutes must be a number of minutes above 0, got 'soon'"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "lstm", "hyperParameters", Map.of("patience", "0")))
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("patience must be a number of epochs in [1, 100000], got 0"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "gan", "hyperParameters", Map.of("patience", "two")))
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("patience must be a whole number of epochs, got 'two'"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "lstm", "hyperParameters", Map.of("minDelta", "-1")))
                .then().statusCode(400).contentType("application/problem+json");
    }

    private static int bestEpochByValidationLoss(JsonPath run) {
        List<Float> losses = run.getList("history.validationLoss", Float.class);
        int best = 0;
        for (int i = 1; i < losses.size(); i++) {
            if (losses.get(i) < losses.get(best)) {
                best = i;
            }
        }
        return best + 1;
    }
}
