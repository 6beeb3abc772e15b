package org.musicgen.core.model;

import java.util.Map;

/** What every model's epoch reports to the one training loop, whatever the model. */
public interface EpochSummary {

    /** 1-based epoch number. */
    int epoch();

    /** Optimisation steps taken; fewer than a whole epoch's when the epoch was ended early. */
    int steps();

    /** Wall-clock seconds of the epoch's training steps. */
    double seconds();

    /** Training throughput, in the unit of {@link ModelTrainer#throughputUnit()}. */
    double throughput();

    /** The epoch's training losses by name (e.g. {@code trainLoss}, {@code discriminatorLoss}). */
    Map<String, Double> metrics();
}
