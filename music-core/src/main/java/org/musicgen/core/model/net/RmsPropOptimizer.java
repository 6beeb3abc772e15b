package org.musicgen.core.model.net;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RMSprop written with plain array operations (the PyTorch engine does not implement DJL's fused RMSprop update):
 * {@code s = rho s + (1 - rho) g^2; w -= lr g / (sqrt(s) + eps)}, with optional L2 weight decay.
 */
final class RmsPropOptimizer extends Optimizer {
    private final ParameterTracker learningRate;
    private final float rho;
    private final float epsilon;
    private final Map<String, Map<Device, NDArray>> meanSquares = new ConcurrentHashMap<>();
    private final NDManager owner;

    private RmsPropOptimizer(Builder builder) {
        super(builder);
        this.learningRate = builder.learningRate;
        this.rho = builder.rho;
        this.epsilon = builder.epsilon;
        this.owner = builder.owner;
    }

    static Builder builder() {
        return new Builder();
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        float lr = learningRate.getNewValue(parameterId, t);
        NDArray ms = withDefaultState(meanSquares, parameterId, weight.getDevice(), k -> weight.zerosLike());
        if (owner != null) {
            Optimizers.owned(ms, owner);
        }
        try (NDArray g0 = grad.mul(rescaleGrad);
                NDArray decay = weight.mul(getWeightDecay());
                NDArray g = getWeightDecay() > 0 ? g0.add(decay) : g0.duplicate();
                NDArray sq = g.square().muli(1 - rho)) {
            ms.muli(rho).addi(sq);
            try (NDArray denominator = ms.sqrt().addi(epsilon);
                    NDArray step = g.div(denominator).muli(lr)) {
                weight.subi(step);
            }
        }
    }

    static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRate;
        private float rho = 0.9f;
        private float epsilon = 1e-7f;
        private NDManager owner;

        Builder learningRate(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /** The manager that keeps the mean squares (and frees them when closed). */
        Builder owner(NDManager manager) {
            this.owner = manager;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        RmsPropOptimizer build() {
            return new RmsPropOptimizer(this);
        }
    }
}
