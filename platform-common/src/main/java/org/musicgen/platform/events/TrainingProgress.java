package org.musicgen.platform.events;

import java.time.Instant;

/**
 * Sent on {@link Topics#TRAINING_PROGRESS} after every epoch of a training run (and when its status
 * changes). Losses are null where a model has none (the LSTM has no generator loss).
 */
public record TrainingProgress(
        String eventId,
        String type,
        Instant occurredAt,
        String runId,
        String corpusId,
        String model,
        String status,
        int epoch,
        int epochs,
        Double trainLoss,
        Double validationLoss,
        Double validationPerplexity,
        Double discriminatorLoss,
        Double generatorLoss,
        String checkpointKey) {

    public static final String TYPE = Topics.TRAINING_PROGRESS;
}
