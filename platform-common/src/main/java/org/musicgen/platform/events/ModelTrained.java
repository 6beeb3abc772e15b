package org.musicgen.platform.events;

import java.time.Instant;
import java.util.Map;

/**
 * Sent on {@link Topics#MODELS_TRAINED} once a run finished and its final checkpoint is durable.
 *
 * @param encoding the corpus's encoding the model was trained on ({@code performance}, {@code seed}); null in events
 *                 written before encodings existed (the checkpoint's vocabulary names it too)
 */
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
        Map<String, Double> metrics,
        String encoding) {

    public static final String TYPE = Topics.MODELS_TRAINED;

    /** An event that does not name the encoding (as written before encodings existed). */
    public ModelTrained(String eventId, String type, Instant occurredAt, String runId, String corpusId, String model,
                        String checkpointBucket, String checkpointKey, int epochs, Map<String, Double> metrics) {
        this(eventId, type, occurredAt, runId, corpusId, model, checkpointBucket, checkpointKey, epochs, metrics, null);
    }

    public static ModelTrained of(String runId, String corpusId, String model, String checkpointBucket,
                                  String checkpointKey, int epochs, Map<String, Double> metrics, Instant occurredAt) {
        return of(runId, corpusId, model, checkpointBucket, checkpointKey, epochs, metrics, null, occurredAt);
    }

    public static ModelTrained of(String runId, String corpusId, String model, String checkpointBucket,
                                  String checkpointKey, int epochs, Map<String, Double> metrics, String encoding,
                                  Instant occurredAt) {
        return new ModelTrained(EventIds.of(TYPE, runId), TYPE, occurredAt, runId, corpusId, model, checkpointBucket,
                checkpointKey, epochs, Map.copyOf(metrics), encoding);
    }
}
