package org.musicgen.core.model;

/**
 * Receives one call per optimisation step; may throw to cancel training, or answer {@link #stopRequested()} to end
 * the epoch early (a time budget running out).
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = p -> { };

    void onStep(StepProgress progress);

    /**
     * Asked after every step: true ends the epoch there, and the trainer returns the summary of the steps done
     * (fewer {@code steps} than a whole epoch). The default never stops.
     */
    default boolean stopRequested() {
        return false;
    }

    /**
     * @param epoch 1-based epoch
     * @param step 1-based step within the epoch
     * @param stepsInEpoch steps in this epoch
     * @param globalStep 1-based step since training began
     * @param loss the step's loss (for a GAN: the generator loss)
     * @param secondaryLoss the discriminator loss for a GAN, NaN otherwise
     * @param tokensPerSecond throughput of the step
     */
    record StepProgress(int epoch, int step, int stepsInEpoch, long globalStep, double loss, double secondaryLoss,
            double tokensPerSecond) {
    }
}
