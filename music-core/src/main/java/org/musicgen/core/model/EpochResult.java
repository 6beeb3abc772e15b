package org.musicgen.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Summary of one training epoch.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean cross-entropy per predicted token (nats) over the epoch
 * @param steps optimisation steps (fewer than a whole epoch's when it was ended early)
 * @param tokens predicted tokens
 * @param seconds wall-clock time
 * @param tokensPerSecond predicted tokens per second
 * @param learningRate learning rate at the end of the epoch
 * @param gflops achieved training GFLOP/s (approximate)
 */
public record EpochResult(int epoch, double trainLoss, int steps, long tokens, double seconds,
        double tokensPerSecond, double learningRate, double gflops) implements EpochSummary {

    @Override
    public double throughput() {
        return tokensPerSecond;
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("trainLoss", trainLoss);
        metrics.put("learningRate", learningRate);
        return metrics;
    }
}
