package org.musicgen.core.model.net;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's gradient collector, one at a time in the process. DJL's PyTorch engine refuses a second collector
 * while one is open ("Only one can be collecting at a time"), so two runs training side by side in one service
 * ({@code musicgen.trainer.concurrency} above 1) take turns for their forward and backward passes instead of
 * failing; the rest of a step (batching, clipping, the optimiser's update, evaluation) still overlaps.
 */
public final class ExclusiveGradients implements GradientCollector {

    /** Process-wide, like the engine's own flag it stands in front of. */
    private static final ReentrantLock COLLECTING = new ReentrantLock(true);

    private final GradientCollector collector;

    private ExclusiveGradients() {
        COLLECTING.lock();
        try {
            collector = Engine.getInstance().newGradientCollector();
        } catch (RuntimeException e) {
            COLLECTING.unlock();
            throw e;
        }
    }

    /** Waits for any other collector in the process to close, then opens one. */
    public static GradientCollector open() {
        return new ExclusiveGradients();
    }

    @Override
    public void backward(NDArray target) {
        collector.backward(target);
    }

    @Override
    public void zeroGradients() {
        collector.zeroGradients();
    }

    @Override
    public void close() {
        try {
            collector.close();
        } finally {
            COLLECTING.unlock();
        }
    }
}
