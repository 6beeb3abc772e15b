package org.musicgen.core.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Trains a {@link GanModel} with the non-saturating GAN loss (binary cross-entropy on logits): per step one
 * discriminator update on a real and a generated batch, then one generator update. Gradients are clipped to a
 * global norm of 5 for stability. Runs on the model's device (single device).
 */
public final class GanTrainer implements AutoCloseable {
    private static final double CLIP = 5.0;

    private final GanModel model;
    private final GanConfig config;
    private final NDManager manager;
    private final Device[] devices;
    private final ParameterStore generatorStore;
    private final ParameterStore discriminatorStore;
    private int epoch;
    private long globalStep;

    public GanTrainer(GanModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = model.config();
        this.manager = model.manager().newSubManager();
        this.devices = new Device[] {model.device()};
        generatorStore = new ParameterStore(manager, false);
        generatorStore.setParameterServer(new LocalParameterServer(NetSupport.optimizer("adam",
                Tracker.fixed((float) config.generatorLearningRate()), 0, 0.5)), devices);
        discriminatorStore = new ParameterStore(manager, false);
        discriminatorStore.setParameterServer(new LocalParameterServer(NetSupport.optimizer("adam",
                Tracker.fixed((float) config.discriminatorLearningRate()), 0, 0.5)), devices);
    }

    /** One epoch over {@code train} (shuffled with {@code shuffle}). */
    public GanEpochResult trainEpoch(List<int[]> train, Random shuffle, ProgressListener listener) {
        Objects.requireNonNull(train, "train");
        if (train.isEmpty()) {
            throw new IllegalArgumentException("training set is empty");
        }
        for (int[] s : train) {
            if (s.length != config.sequenceLength()) {
                throw new IllegalArgumentException("training sequence of length " + s.length
                        + " does not match sequenceLength " + config.sequenceLength());
            }
            for (int id : s) {
                if (id < 0 || id >= model.vocabularySize()) {
                    throw new IllegalArgumentException("training token " + id + " outside vocabulary [0, "
                            + model.vocabularySize() + ")");
                }
            }
        }
        if (listener == null) {
            listener = ProgressListener.NONE;
        }
        List<int[]> order = new ArrayList<>(train);
        Collections.shuffle(order, shuffle == null ? new Random(config.seed() + epoch) : shuffle);
        epoch++;
        float temperature = (float) config.temperatureAt(epoch);
        int b = config.batchSize();
        int steps = (order.size() + b - 1) / b;
        long start = System.nanoTime();
        double dSum = 0;
        double gSum = 0;
        double realSum = 0;
        double fakeSum = 0;
        for (int s = 0; s < steps; s++) {
            List<int[]> batch = order.subList(s * b, Math.min(order.size(), (s + 1) * b));
            long t0 = System.nanoTime();
            double[] r = step(batch.toArray(new int[0][]), temperature);
            double seconds = (System.nanoTime() - t0) / 1e9;
            dSum += r[0];
            gSum += r[1];
            realSum += r[2];
            fakeSum += r[3];
            globalStep++;
            listener.onStep(new ProgressListener.StepProgress(epoch, s + 1, steps, globalStep, r[1], r[0],
                    (double) batch.size() * config.sequenceLength() / Math.max(seconds, 1e-9)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new GanEpochResult(epoch, dSum / steps, gSum / steps, realSum / steps, fakeSum / steps, steps,
                seconds, order.size() / Math.max(seconds, 1e-9), config.isStudy() ? Double.NaN : temperature);
    }

    /** Returns {dLoss, gLoss, mean D(real), mean D(fake)}. */
    private double[] step(int[][] real, float temperature) {
        int n = real.length;
        try (NDManager scope = manager.newSubManager()) {
            List<NDArray> gParams = NetSupport.parameterArrays(model.generator(), generatorStore, devices);
            List<NDArray> dParams = NetSupport.parameterArrays(model.discriminator(), discriminatorStore, devices);

            // discriminator update
            NetSupport.zeroGradients(dParams);
            NetSupport.zeroGradients(gParams);
            double dLoss;
            double realScore;
            double fakeScore;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray fake = fakeInput(scope, n, temperature, true).stopGradient();
                NDArray realLogit = model.discriminate(discriminatorStore, model.realInput(scope, real), true);
                NDArray fakeLogit = model.discriminate(discriminatorStore, fake, true);
                NDArray loss = softplus(realLogit.neg()).mean().add(softplus(fakeLogit).mean());
                collector.backward(loss);
                dLoss = loss.getFloat();
                realScore = realLogit.getNDArrayInternal().sigmoid().mean().getFloat();
                fakeScore = fakeLogit.getNDArrayInternal().sigmoid().mean().getFloat();
            }
            NetSupport.clipGradients(dParams, CLIP);
            discriminatorStore.updateAllParameters();

            // generator update (non-saturating loss)
            NetSupport.zeroGradients(dParams);
            NetSupport.zeroGradients(gParams);
            double gLoss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray fake = fakeInput(scope, n, temperature, true);
                NDArray fakeLogit = model.discriminate(discriminatorStore, fake, true);
                NDArray loss = softplus(fakeLogit.neg()).mean();
                collector.backward(loss);
                gLoss = loss.getFloat();
            }
            NetSupport.clipGradients(gParams, CLIP);
            generatorStore.updateAllParameters();
            return new double[] {dLoss, gLoss, realScore, fakeScore};
        }
    }

    /** Generated discriminator input: relaxed one-hot (gumbel) or tanh values (study). */
    private NDArray fakeInput(NDManager scope, int n, float temperature, boolean training) {
        NDArray noise = scope.randomNormal(new Shape(n, config.noiseSize()));
        NDArray out = model.generate(generatorStore, noise, training);
        if (config.isStudy()) {
            return out;
        }
        NDArray u = scope.randomUniform(1e-6f, 1f - 1e-6f, out.getShape());
        NDArray gumbel = u.log().neg().log().neg();
        NDArray soft = out.add(gumbel).div(temperature).softmax(-1);
        if (!config.straightThrough()) {
            return soft;
        }
        NDArray hard = soft.argMax(-1).oneHot(model.vocabularySize(), DataType.FLOAT32);
        return hard.sub(soft.stopGradient()).add(soft);
    }

    /** log(1 + exp(x)), numerically stable. */
    private static NDArray softplus(NDArray x) {
        return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
    }

    /**
     * Continues a run restored from a checkpoint written after {@code epochsDone} epochs: epoch numbers,
     * shuffling and the Gumbel temperature annealing carry on from there (the optimisers' moments restart).
     */
    public void resumeAfter(int epochsDone) {
        if (epochsDone < 0) {
            throw new IllegalArgumentException("epochsDone must be >= 0, got " + epochsDone);
        }
        epoch = epochsDone;
    }

    public int epochsDone() {
        return epoch;
    }

    @Override
    public void close() {
        manager.close();
    }
}
