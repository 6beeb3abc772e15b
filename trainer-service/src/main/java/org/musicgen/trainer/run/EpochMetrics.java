package org.musicgen.trainer.run;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One epoch of a run. LSTM runs fill the train/validation losses and perplexity; GAN runs the
 * discriminator and generator losses and the distance between its samples' pitch-class histogram and
 * the validation pieces'. {@code throughput} is tokens/s (LSTM) or sequences/s (GAN).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochMetrics(int epoch, Double trainLoss, Double validationLoss, Double validationPerplexity,
                           Double discriminatorLoss, Double generatorLoss, Double pitchClassDistance,
                           double seconds, double throughput) {

    /** What model selection minimises: validation loss for the LSTM, pitch-class distance for the GAN. */
    public double selectionScore() {
        return validationLoss != null ? validationLoss : pitchClassDistance;
    }
}
