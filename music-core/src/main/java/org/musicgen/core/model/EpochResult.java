package org.musicgen.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one training epoch of any model reports to the training loop: how far it got, how fast, and its losses by
 * name. The names are the model's own (each trainer documents them), so a new model adds metrics without a new type.
 *
 * @param epoch      1-based epoch number
 * @param steps      optimisation steps taken; fewer than a whole epoch's when the epoch was ended early
 * @param seconds    wall-clock seconds of the epoch's training steps
 * @param throughput training speed, in the unit of {@link ModelTrainer#throughputUnit()}
 * @param metrics    the epoch's training measures by name, in the order the trainer reports them
 */
public record EpochResult(int epoch, int steps, double seconds, double throughput, Map<String, Double> metrics) {

    public EpochResult {
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The named measure; a name the trainer does not report is a programming error, said loudly. */
    public double metric(String name) {
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException("this epoch reports no '" + name + "', only " + metrics.keySet());
        }
        return value;
    }
}
