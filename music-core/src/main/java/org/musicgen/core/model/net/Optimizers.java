package org.musicgen.core.model.net;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Sgd;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import java.util.function.Function;

/** Optimisers whose state lives in a manager of ours, and the learning-rate schedules they follow. */
public final class Optimizers {

    private Optimizers() {
    }

    /** Learning rate at update {@code step}: linear warm-up, then constant, cosine or step decay. */
    public static Tracker schedule(double baseRate, String kind, int warmupSteps, int totalSteps) {
        float base = (float) baseRate;
        int total = Math.max(1, totalSteps);
        return step -> {
            if (warmupSteps > 0 && step < warmupSteps) {
                return base * (step + 1) / warmupSteps;
            }
            int s = step - warmupSteps;
            int span = Math.max(1, total - warmupSteps);
            switch (kind) {
                case "cosine": {
                    double progress = Math.min(1.0, (double) s / span);
                    double min = 0.05 * base;
                    return (float) (min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * progress)));
                }
                case "step": {
                    int drops = Math.min(3, s * 3 / span);
                    return (float) (base * Math.pow(0.5, drops));
                }
                default:
                    return base;
            }
        };
    }

    /**
     * The named optimiser, its state (moments, momentum, mean squares) kept in {@code owner}: DJL's optimisers
     * detach their state from every manager, so closing a trainer freed none of it and every run (and every resume)
     * left its optimiser state behind in native memory, about 90 MB for the default GAN.
     */
    public static Optimizer optimizer(String name, Tracker rate, double weightDecay, double beta1, NDManager owner) {
        switch (name) {
            case "sgd": {
                Sgd.Builder builder = Optimizer.sgd().setLearningRateTracker(rate).optMomentum(0.9f)
                        .optWeightDecays((float) weightDecay);
                return new OwnedSgd(builder, owner);
            }
            case "rmsprop":
                return RmsPropOptimizer.builder().learningRate(rate).optWeightDecays((float) weightDecay)
                        .owner(owner).build();
            default: {
                Adam.Builder builder = Optimizer.adam().optLearningRateTracker(rate).optBeta1((float) beta1)
                        .optWeightDecays((float) weightDecay);
                return new OwnedAdam(builder, owner);
            }
        }
    }

    /** Moves an optimiser's state array into {@code owner}, once; returns it. */
    static NDArray owned(NDArray state, NDManager owner) {
        if (state.getManager() != owner) {
            state.attach(owner);
        }
        return state;
    }

    private static final class OwnedAdam extends Adam {
        private final NDManager owner;

        OwnedAdam(Adam.Builder builder, NDManager owner) {
            super(builder);
            this.owner = owner;
        }

        @Override
        protected NDArray withDefaultState(Map<String, Map<Device, NDArray>> state, String key, Device device,
                Function<String, NDArray> defaultFunction) {
            return owned(super.withDefaultState(state, key, device, defaultFunction), owner);
        }
    }

    private static final class OwnedSgd extends Sgd {
        private final NDManager owner;

        OwnedSgd(Sgd.Builder builder, NDManager owner) {
            super(builder);
            this.owner = owner;
        }

        @Override
        protected NDArray withDefaultState(Map<String, Map<Device, NDArray>> state, String key, Device device,
                Function<String, NDArray> defaultFunction) {
            return owned(super.withDefaultState(state, key, device, defaultFunction), owner);
        }
    }
}
