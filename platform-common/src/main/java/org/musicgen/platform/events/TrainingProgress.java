package org.musicgen.platform.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * Progress of a training run: sent on {@link Topics#TRAINING_PROGRESS} when its status changes and after
 * every epoch; the trainer's Server-Sent Events stream also carries step updates (with {@code step} set).
 * Fields a model does not have are null (the LSTM has no generator loss).
 *
 * @param throughput tokens/s for the LSTM, sequences/s for the GAN
 * @param etaSeconds estimated seconds to the end of the run: the smaller of the remaining epochs at the measured
 *                   pace and the time budget left; null when nothing has been measured yet or the run has ended
 * @param encoding   the corpus's encoding the model trains on ({@code performance}, {@code seed}); null before the
 *                   run read its dataset, and in events written before encodings existed
 * @param sampleDiversity piano-roll GAN, after an epoch: mean pairwise pitch-class distance of a fixed batch of its
 *                        phrases, the collapse watch; null otherwise
 * @param realDiversity   the same measure on real held-out phrases, its yardstick; null when sampleDiversity is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
        Integer step,
        Integer stepsInEpoch,
        Double trainLoss,
        Double validationLoss,
        Double validationPerplexity,
        Double discriminatorLoss,
        Double generatorLoss,
        Double throughput,
        Double etaSeconds,
        String checkpointKey,
        String encoding,
        Double sampleDiversity,
        Double realDiversity) {

    public static final String TYPE = Topics.TRAINING_PROGRESS;

    /** Progress without the GAN's collapse watch (the LSTM's, step updates, events written before it existed). */
    public TrainingProgress(String eventId, String type, Instant occurredAt, String runId, String corpusId, String model,
                            String status, int epoch, int epochs, Integer step, Integer stepsInEpoch, Double trainLoss,
                            Double validationLoss, Double validationPerplexity, Double discriminatorLoss,
                            Double generatorLoss, Double throughput, Double etaSeconds, String checkpointKey,
                            String encoding) {
        this(eventId, type, occurredAt, runId, corpusId, model, status, epoch, epochs, step, stepsInEpoch, trainLoss,
                validationLoss, validationPerplexity, discriminatorLoss, generatorLoss, throughput, etaSeconds,
                checkpointKey, encoding, null, null);
    }

    /** Progress that does not name the encoding (as written before encodings existed). */
    public TrainingProgress(String eventId, String type, Instant occurredAt, String runId, String corpusId, String model,
                            String status, int epoch, int epochs, Integer step, Integer stepsInEpoch, Double trainLoss,
                            Double validationLoss, Double validationPerplexity, Double discriminatorLoss,
                            Double generatorLoss, Double throughput, Double etaSeconds, String checkpointKey) {
        this(eventId, type, occurredAt, runId, corpusId, model, status, epoch, epochs, step, stepsInEpoch, trainLoss,
                validationLoss, validationPerplexity, discriminatorLoss, generatorLoss, throughput, etaSeconds,
                checkpointKey, null);
    }
}
