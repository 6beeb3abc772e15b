package org.musicgen.trainer.run;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One epoch of a run. LSTM runs fill the train/validation losses and perplexity; GAN runs the
 * discriminator and generator losses and the distance between its samples' pitch-class histogram and
 * the validation pieces'. {@code throughput} is tokens/s (LSTM) or sequences/s (GAN).
 *
 * @param statisticsGap piano-roll GAN: how far its phrases are from real held-out phrases on the objective statistics
 *                      (mean distance from the real median in units of the real spread; lower is better)
 * @param statisticsInsideRealSpread piano-roll GAN: how many statistics of its phrases fall inside the real spread
 * @param sampleDiversity piano-roll GAN: mean pairwise pitch-class distance of its phrases (collapse watch)
 * @param realDiversity piano-roll GAN: the same on real held-out phrases
 * @param seconds the epoch's training time (without evaluation and checkpoint)
 * @param partial true when the time budget ended the epoch before its last step; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochMetrics(int epoch, Double trainLoss, Double validationLoss, Double validationPerplexity,
                           Double discriminatorLoss, Double generatorLoss, Double pitchClassDistance,
                           Double statisticsGap, Double statisticsInsideRealSpread, Double sampleDiversity,
                           Double realDiversity, double seconds, double throughput, Boolean partial) {

    /** An epoch of a model without the piano-roll GAN's statistics. */
    public EpochMetrics(int epoch, Double trainLoss, Double validationLoss, Double validationPerplexity,
                        Double discriminatorLoss, Double generatorLoss, Double pitchClassDistance, double seconds,
                        double throughput, Boolean partial) {
        this(epoch, trainLoss, validationLoss, validationPerplexity, discriminatorLoss, generatorLoss,
                pitchClassDistance, null, null, null, null, seconds, throughput, partial);
    }

    /** An epoch from the metrics a model's trainer reports by name (names it does not report stay empty). */
    public static EpochMetrics of(int epoch, Map<String, Double> values, double seconds, double throughput,
                                  boolean partial) {
        return new EpochMetrics(epoch, values.get("trainLoss"), values.get("validationLoss"),
                values.get("validationPerplexity"), values.get("discriminatorLoss"), values.get("generatorLoss"),
                values.get("pitchClassDistance"), values.get("statisticsGap"), values.get("statisticsInsideRealSpread"),
                values.get("sampleDiversity"), values.get("realDiversity"), seconds, throughput,
                partial ? Boolean.TRUE : null);
    }

    /**
     * What model selection and early stopping minimise: validation loss for the LSTM, the statistics gap for the
     * piano-roll GAN, pitch-class distance for the token GAN.
     */
    public double selectionScore() {
        return validationLoss != null ? validationLoss : statisticsGap != null ? statisticsGap
                : pitchClassDistance != null ? pitchClassDistance : Double.NaN;
    }

    /** Not named like a getter: the record's JSON has {@code partial} once. */
    public boolean endedEarly() {
        return Boolean.TRUE.equals(partial);
    }
}
