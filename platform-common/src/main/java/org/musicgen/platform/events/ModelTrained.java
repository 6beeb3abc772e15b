package org.musicgen.platform.events;

import java.time.Instant;
import java.util.Map;

/** Sent on {@link Topics#MODELS_TRAINED} once a run finished and its final checkpoint is durable. */
public record ModelTrained(
        String eventId,
        String type,
        Instant occurredAt,
        String runId,
        String corpusId,
        String model,
        String checkpointBucket,
        String checkpointKey,
        int epochs,
        Map<String, Double> metrics) {

    public static final String TYPE = Topics.MODELS_TRAINED;

    public static ModelTrained of(String runId, String corpusId, String model, String checkpointBucket,
                                  String checkpointKey, int epochs, Map<String, Double> metrics, Instant occurredAt) {
        return new ModelTrained(EventIds.of(TYPE, runId), TYPE, occurredAt, runId, corpusId, model, checkpointBucket,
                checkpointKey, epochs, Map.copyOf(metrics));
    }
}
