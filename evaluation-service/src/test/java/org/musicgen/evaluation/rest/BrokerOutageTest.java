package org.musicgen.evaluation.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.evaluation.TestRater;
import org.musicgen.evaluation.TestSamples;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.Topics;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.ObjectStore;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rating made while the broker is down is kept, and its event goes out once the broker is back (outbox). */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class BrokerOutageTest {

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectStore store;

    @Inject
    ObjectMapper json;

    @Test
    void aRatingDuringABrokerOutageIsStoredAndPublishedLater() throws Exception {
        String sample = TestSamples.publish(stack, store, json, "gan", Map.of());
        TestRater rater = TestRater.start();
        String key = StateLayout.singleRatingKey(rater.raterId(), sample);
        String ratingId;
        stack.stopKafka();
        try {
            ratingId = rater.rate(sample, 3, 4, 2).then().statusCode(201).extract().path("ratingId");
            JsonNode stored = json.readTree(store.get(Buckets.RATINGS, key).orElseThrow());
            assertTrue(stored.get("publishedAt").isNull(), "not acknowledged while the broker is down");
        } finally {
            stack.startKafka();
        }
        assertFalse(stack.topics().awaitCount(Topics.RATINGS_SUBMITTED, r -> r.value().contains(ratingId), 1,
                Duration.ofSeconds(90)).isEmpty());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (json.readTree(store.get(Buckets.RATINGS, key).orElseThrow()).get("publishedAt").isNull()
                && System.nanoTime() < deadline) {
            TestSamples.sleep(250);
        }
        JsonNode stored = json.readTree(store.get(Buckets.RATINGS, key).orElseThrow());
        assertFalse(stored.get("publishedAt").isNull(), "the outbox recorded the acknowledgement");
        assertEquals(3, stored.get("scores").get("pleasing").asInt());
    }
}
