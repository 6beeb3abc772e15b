package org.musicgen.core.model.gan.token;

import org.musicgen.core.model.net.GradMode;

import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.ModelTrainer;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.TrainingWindows;
import org.musicgen.core.model.gan.AdversarialEpoch;
import org.musicgen.core.model.net.ExclusiveGradients;
import org.musicgen.core.model.net.Gradients;
import org.musicgen.core.model.net.Optimizers;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.metrics.PitchClassHistogram;

/**
 * Trains a {@link TokenGan} with the non-saturating GAN loss (binary cross-entropy on logits): per step one
 * discriminator update on a real and a generated batch, then one generator update. Gradients are clipped to a
 * global norm of 5 for stability. Runs on the model's device (single device).
 *
 * <p>Its held-out measure is the distance between the pitch-class histogram of {@value #HELD_OUT_SAMPLES}
 * generated sequences (noise seed {@value #HELD_OUT_SEED}) and that of the held-out sequences, decoded with the
 * corpus's encoding: a GAN has no likelihood to validate on.
 */
public final class TokenGanTrainer implements ModelTrainer<int[]> {
    /** Sequences generated after every epoch to compare with the held-out pieces. */
    public static final int HELD_OUT_SAMPLES = 64;
    /** Their noise seed: the same every epoch, so that epochs are compared on the same noise. */
    public static final long HELD_OUT_SEED = 1;
    private static final double CLIP = 5.0;

    private final TokenGan model;
    private final TokenGanConfig config;
    private final Encoding encoding;
    private final NDManager manager;
    private final Device[] devices;
    private final ParameterStore generatorStore;
    private final ParameterStore discriminatorStore;
    private int epoch;
    private long globalStep;
    private List<int[]> heldOut;
    private PitchClassHistogram heldOutHistogram;

    /** A trainer without an encoding: it trains, but has no {@link #heldOutMetrics held-out measure}. */
    public TokenGanTrainer(TokenGan model) {
        this(model, null);
    }

    /**
     * @param encoding the corpus's encoding, to decode generated and held-out sequences for the held-out measure
     */
    public TokenGanTrainer(TokenGan model, Encoding encoding) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = model.config();
        this.encoding = encoding;
        this.manager = model.manager().newSubManager();
        this.devices = new Device[] {model.device()};
        generatorStore = new ParameterStore(manager, false);
        generatorStore.setParameterServer(new LocalParameterServer(Optimizers.optimizer("adam",
                Tracker.fixed((float) config.generatorLearningRate()), 0, 0.5, manager)), devices);
        discriminatorStore = new ParameterStore(manager, false);
        discriminatorStore.setParameterServer(new LocalParameterServer(Optimizers.optimizer("adam",
                Tracker.fixed((float) config.discriminatorLearningRate()), 0, 0.5, manager)), devices);
    }

    /**
     * One epoch over {@code train} (shuffled with {@code shuffle}); it ends early after the step at which
     * {@code listener} requests a stop.
     */
    @Override
    public EpochResult trainEpoch(List<int[]> train, Random shuffle, ProgressListener listener) {
        TrainingWindows.check(train, "training", config.sequenceLength(), model.vocabularySize());
        epoch++;
        float temperature = (float) config.temperatureAt(epoch);
        EpochResult result = AdversarialEpoch.run(epoch, train,
                shuffle == null ? new Random(config.seed() + epoch - 1) : shuffle, config.batchSize(), globalStep,
                config.sequenceLength(), config.studyFormulation() ? Double.NaN : temperature, listener,
                batch -> step(batch.toArray(new int[0][]), temperature));
        globalStep += result.steps();
        return result;
    }

    /** Returns {dLoss, gLoss, mean D(real), mean D(fake)}. */
    private double[] step(int[][] real, float temperature) {
        int n = real.length;
        try (NDManager scope = manager.newSubManager()) {
            List<NDArray> gParams = Gradients.parameterArrays(model.generator(), generatorStore, devices);
            List<NDArray> dParams = Gradients.parameterArrays(model.discriminator(), discriminatorStore, devices);

            // discriminator update
            Gradients.zeroGradients(dParams);
            Gradients.zeroGradients(gParams);
            double dLoss;
            double realScore;
            double fakeScore;
            try (GradientCollector collector = ExclusiveGradients.open()) {
                NDArray fake = fakeInput(scope, n, temperature, true).stopGradient();
                NDArray realLogit = model.discriminate(discriminatorStore, model.realInput(scope, real), true);
                NDArray fakeLogit = model.discriminate(discriminatorStore, fake, true);
                NDArray loss = AdversarialEpoch.softplus(realLogit.neg()).mean().add(AdversarialEpoch.softplus(fakeLogit).mean());
                collector.backward(loss);
                dLoss = loss.getFloat();
                realScore = realLogit.getNDArrayInternal().sigmoid().mean().getFloat();
                fakeScore = fakeLogit.getNDArrayInternal().sigmoid().mean().getFloat();
            }
            Gradients.clipGradients(dParams, CLIP);
            discriminatorStore.updateAllParameters();

            // generator update (non-saturating loss)
            Gradients.zeroGradients(dParams);
            Gradients.zeroGradients(gParams);
            double gLoss;
            try (GradientCollector collector = ExclusiveGradients.open()) {
                NDArray fake = fakeInput(scope, n, temperature, true);
                NDArray fakeLogit = model.discriminate(discriminatorStore, fake, true);
                NDArray loss = AdversarialEpoch.softplus(fakeLogit.neg()).mean();
                collector.backward(loss);
                gLoss = loss.getFloat();
            }
            Gradients.clipGradients(gParams, CLIP);
            generatorStore.updateAllParameters();
            return new double[] {dLoss, gLoss, realScore, fakeScore};
        }
    }

    /** Generated discriminator input: relaxed one-hot (gumbel) or tanh values (study). */
    private NDArray fakeInput(NDManager scope, int n, float temperature, boolean training) {
        NDArray noise = scope.randomNormal(new Shape(n, config.noiseSize()));
        NDArray out = model.generate(generatorStore, noise, training);
        if (config.studyFormulation()) {
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


    /**
     * The pitch-class distance ({@code pitchClassDistance}, total variation in [0, 1]) between
     * {@value #HELD_OUT_SAMPLES} generated sequences and {@code validation}, both decoded with the encoding.
     *
     * @throws IllegalStateException when the trainer was made without an encoding
     */
    @Override
    public Map<String, Double> heldOutMetrics(List<int[]> validation) {
        GradMode.off();
        if (encoding == null) {
            throw new IllegalStateException("a GAN trainer needs the corpus's encoding to measure held-out data");
        }
        TrainingWindows.check(validation, "validation", config.sequenceLength(), model.vocabularySize());
        if (validation != heldOut) {
            // decoding every held-out window each epoch would cost more than the sampling
            heldOutHistogram = PitchClassHistogram.of(validation, encoding);
            heldOut = validation;
        }
        PitchClassHistogram samples = PitchClassHistogram.of(List.of(model.sample(HELD_OUT_SEED, HELD_OUT_SAMPLES)),
                encoding);
        return Map.of("pitchClassDistance", samples.distanceTo(heldOutHistogram));
    }

    @Override
    public String selectionMetric() {
        return "pitchClassDistance";
    }

    @Override
    public TokenGanConfig config() {
        return config;
    }

    @Override
    public String throughputUnit() {
        return "sequences";
    }

    @Override
    public Map<String, byte[]> saveParameters() {
        return Map.of("model", model.saveParameters());
    }

    /**
     * Continues a run restored from a checkpoint written after {@code epochsDone} epochs: epoch numbers,
     * shuffling and the Gumbel temperature annealing carry on from there (the optimisers' moments restart).
     */
    @Override
    public void resumeAfter(int epochsDone) {
        if (epochsDone < 0) {
            throw new IllegalArgumentException("epochsDone must be >= 0, got " + epochsDone);
        }
        epoch = epochsDone;
    }

    @Override
    public int epochsDone() {
        return epoch;
    }

    @Override
    public void close() {
        manager.close();
    }
}
