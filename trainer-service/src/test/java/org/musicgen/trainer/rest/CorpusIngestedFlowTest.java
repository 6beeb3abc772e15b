package org.musicgen.trainer.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.CorpusIngested;
import org.musicgen.platform.events.DatasetKeys;
import org.musicgen.testing.TestDatasets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** corpora.ingested -> two default runs -> models.trained, over the real broker; duplicates and bad events. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class CorpusIngestedFlowTest {

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectMapper json;

    @Test
    void anIngestedCorpusGetsOneLstmAndOneGanRunOnceEvenWhenTheEventComesTwice() throws Exception {
        // the default encoding: the trainer reads it from the dataset, the event only names it
        String corpusId = TestDatasets.publish(stack, TestDatasets.oneKeyCorpus(12, "performance"));
        String event = json.writeValueAsString(CorpusIngested.of(corpusId, "flow", DatasetKeys.forCorpus(corpusId),
                "performance", 100, 10, 100, Instant.now()));
        send(corpusId, event);

        List<String> ids = awaitRuns(corpusId, 2);
        for (String id : ids) {
            JsonPath run = RunPolling.awaitFinished(id, 300);
            assertEquals("COMPLETED", run.getString("status"), run.prettify());
            assertEquals(2, run.getList("history").size());
            assertEquals("performance", run.getString("encoding"));
            assertEquals("epochs", run.getString("stopReason"), "the test profile's default runs end by epochs");
            // a default run carries the limits it was started with (the test profile's), so that it ends on its own
            assertEquals("5.0", run.getString("hyperParameters.maxMinutes"));
            assertEquals(run.getString("model").equals("lstm") ? "5" : "8", run.getString("hyperParameters.patience"));
            // and the deployment's hyper-parameters for default runs of its model (the test profile sets one)
            assertEquals(run.getString("model").equals("lstm") ? "0.1" : null,
                    run.getString("hyperParameters.dropout"));
        }
        for (String id : ids) {
            JsonNode trained = awaitRecord("models.trained", r -> r.key().equals(id));
            assertEquals(corpusId, trained.get("corpusId").asText());
            assertEquals("checkpoints", trained.get("checkpointBucket").asText());
            assertTrue(trained.get("checkpointKey").asText().startsWith("runs/" + id + "/"));
            int bestEpoch = trained.get("metrics").get("bestEpoch").asInt(-1);
            assertTrue(bestEpoch == 1 || bestEpoch == 2, "the best of the run's 2 epochs: " + trained);
            assertEquals("performance", trained.get("encoding").asText());
        }
        JsonNode progress = awaitRecord("training.progress", r -> r.key().equals(ids.get(0))
                && r.value().contains("\"epoch\":1,"));
        assertEquals(ids.get(0), progress.get("runId").asText());
        assertEquals("performance", progress.get("encoding").asText());
        assertTrue(progress.get("etaSeconds").isNumber() && progress.get("etaSeconds").asDouble() >= 0,
                "an epoch's progress says how long the run has left: " + progress);

        // the trainer commits an event once it is handled: past that commit, the duplicate has had its chance
        RecordMetadata again = send(corpusId, event);
        stack.topics().awaitCommitted("trainer-service", again, Duration.ofSeconds(60));
        assertEquals(ids.stream().sorted().toList(),
                runsOf(corpusId).stream().map(r -> r.getString("id")).sorted().toList(),
                "a redelivered event adds no run");
    }

    @Test
    void eventsThatCannotBeHandledGoToTheDeadLetterTopicWithTheirReason() throws Exception {
        String unknown = UUID.randomUUID().toString();
        send(unknown, json.writeValueAsString(CorpusIngested.of(unknown, "ghost", DatasetKeys.forCorpus(unknown),
                "performance", 100, 1, 10, Instant.now())));
        ConsumerRecord<String, String> dead = awaitRaw("corpora.ingested.dlq", r -> unknown.equals(r.key()));
        Header reason = dead.headers().lastHeader("dead-letter-reason");
        assertNotNull(reason, "a dead letter carries its reason");
        assertTrue(new String(reason.value(), StandardCharsets.UTF_8).contains("no dataset for corpus"));

        send("garbage", "this is not an event");
        ConsumerRecord<String, String> garbage = awaitRaw("corpora.ingested.dlq", r -> "garbage".equals(r.key()));
        Header garbageReason = garbage.headers().lastHeader("dead-letter-reason");
        assertNotNull(garbageReason, "a dead letter carries its reason");
        assertTrue(new String(garbageReason.value(), StandardCharsets.UTF_8).contains("Unrecognized token 'this'"),
                "the reason says why the record could not be read: "
                        + new String(garbageReason.value(), StandardCharsets.UTF_8));
    }

    private RecordMetadata send(String key, String value) {
        return stack.topics().send("corpora.ingested", key, value);
    }

    private static List<JsonPath> runsOf(String corpusId) {
        JsonPath list = given().queryParam("corpusId", corpusId).when().get("/api/training-runs")
                .then().statusCode(200).extract().jsonPath();
        List<JsonPath> runs = new ArrayList<>();
        for (int i = 0; i < list.getList("$").size(); i++) {
            runs.add(new JsonPath(list.prettify()).setRootPath("[" + i + "]"));
        }
        return runs;
    }

    private static List<String> awaitRuns(String corpusId, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> ids = given().queryParam("corpusId", corpusId).when().get("/api/training-runs")
                    .then().statusCode(200).extract().jsonPath().getList("id", String.class);
            if (ids.size() >= count) {
                assertEquals(count, ids.size());
                return ids;
            }
            Thread.sleep(300);
        }
        return fail("no " + count + " runs for corpus " + corpusId + " within 60 s");
    }

    private JsonNode awaitRecord(String topic, Predicate<ConsumerRecord<String, String>> match) throws Exception {
        return json.readTree(awaitRaw(topic, match).value());
    }

    private ConsumerRecord<String, String> awaitRaw(String topic, Predicate<ConsumerRecord<String, String>> match) {
        return stack.topics().await(topic, match, Duration.ofSeconds(60));
    }
}
