package org.musicgen.core.model;

/**
 * Summary of one training epoch.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean cross-entropy per predicted token (nats) over the epoch
 * @param steps optimisation steps
 * @param tokens predicted tokens
 * @param seconds wall-clock time
 * @param tokensPerSecond predicted tokens per second
 * @param learningRate learning rate at the end of the epoch
 * @param gflops achieved training GFLOP/s (approximate)
 */
public record EpochResult(int epoch, double trainLoss, int steps, long tokens, double seconds,
        double tokensPerSecond, double learningRate, double gflops) {
}
