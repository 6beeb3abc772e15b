package org.musicgen.generator.model;

import java.time.Instant;
import java.util.Map;

/** A finished training run the generator can sample from, as announced on {@code models.trained}. */
public record TrainedModel(
        String runId,
        String corpusId,
        String model,
        String checkpointBucket,
        String checkpointKey,
        int epochs,
        Map<String, Double> metrics,
        Instant trainedAt) {

    public TrainedModel {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
