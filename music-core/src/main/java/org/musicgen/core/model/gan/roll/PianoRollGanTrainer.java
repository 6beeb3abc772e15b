package org.musicgen.core.model.gan.roll;

import org.musicgen.core.model.net.GradMode;

import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.ModelTrainer;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.gan.AdversarialEpoch;
import org.musicgen.core.model.net.ExclusiveGradients;
import org.musicgen.core.model.net.Gradients;
import org.musicgen.core.model.net.Optimizers;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.musicgen.core.metrics.ExcerptStatistics;
import org.musicgen.core.control.ControlSpace;
import org.musicgen.core.control.Controls;
import org.musicgen.core.control.KeyFinder;
import org.musicgen.core.metrics.DrumStatistics;
import org.musicgen.core.metrics.RollStatistics;
import org.musicgen.core.roll.PianoRoll;

/**
 * Trains a {@link PianoRollGan}: per step one discriminator update (non-saturating binary cross-entropy on a real
 * and a generated batch) and one generator update. The generator's phrases reach the discriminator binarised
 * (read as they will sound, {@link PianoRollGan#decode}; gradients pass straight through, as in BinaryMuseGAN),
 * so it cannot tell real from fake by softness; the generator's loss adds feature matching (MidiNet): the squared
 * distance between the mean discriminator features of real and generated phrases.
 *
 * <p>With {@link RollGanConfig#generatorAverage} the trainer keeps a moving average of the generator's weights; between
 * epochs the model holds the average (what is measured, checkpointed and sampled) and the trainer the weights the
 * next epoch goes on from. A run resumed from a checkpoint goes on from the average.
 *
 * <p>With {@link RollGanConfig#densityMatch}, after every epoch the served generator's output biases are moved so that
 * {@value #HELD_OUT_SAMPLES} phrases of fixed noise (seed {@value #CALIBRATION_SEED}) read at 0.5 have the training
 * phrases' share of sounding cells; the next epoch trains from the biases as they were. A run resumed from a checkpoint
 * goes on from the moved biases.
 *
 * <p>With {@link RollGanConfig#controls} each real phrase's controls ({@link RollPhrase}) are its condition, given to
 * the discriminator with the phrase and to the generator for the fake phrase of the same batch slot (MidiNet); a
 * share {@link RollGanConfig#controlDropout} of the phrases get no condition at all (zeros) and each group is zeroed
 * alone for {@link RollGanConfig#GROUP_DROPOUT} of them, drawn from a source of their own, so an unconditioned run
 * draws the same noise as before controls existed. Half the phrases are told their key by name ({@link #conditions}).
 * Its discriminator also sees real phrases under other phrases' controls as fake ({@link #mismatchedConditions}), and
 * the generator's loss adds how far its phrases are from the asked pitch classes and rate ({@link #controlLoss}).
 *
 * <p>Its held-out measure is how far {@value #HELD_OUT_SAMPLES} generated phrases (noise seed
 * {@value #HELD_OUT_SEED}, no controls) are from real held-out phrases on the {@link RollStatistics}: for each statistic the
 * distance of the generated mean from the real median, in units of the real 5th-95th percentile spread (at least
 * 3.29 real standard deviations, the spread of a normal law, for rare events such as empty bars), averaged,
 * plus a collapse penalty when the phrases are less than half as diverse as real ones ({@code statisticsGap}, lower
 * is better); with the count of statistics inside that spread and the diversity of the
 * generated phrases beside the real ones' (a collapse watch).
 */
public final class PianoRollGanTrainer implements ModelTrainer<RollPhrase> {
    /**
     * Phrases generated after every epoch to compare with held-out phrases: the standard error of their mean
     * polyphony is about 0.2 notes at 64 phrases and 0.1 at 256 (real piano phrases range over 2 to 7.7), for about
     * a second's sampling.
     */
    public static final int HELD_OUT_SAMPLES = 256;
    /** Their noise seed: the same every epoch, so that epochs are compared on the same noise. */
    public static final long HELD_OUT_SEED = 1;
    /** Noise of the phrases that set the density-matching threshold: other phrases than the measured ones. */
    public static final long CALIBRATION_SEED = 2;
    /** The matched threshold stays inside this range: a generator that writes (almost) nothing is not blown up. */
    private static final float LOWEST_MATCHED_THRESHOLD = 0.05f;
    private static final float HIGHEST_MATCHED_THRESHOLD = 0.95f;
    /** Shift of the logits of a track without a single training cell: no cell of it reaches 0.5 after. */
    private static final float SILENCED = -50f;
    /** Held-out phrases measured at most (evenly spaced), to keep the measure quick on big corpora. */
    static final int MAX_REAL_PHRASES = 512;
    private static final double CLIP = 5.0;
    /** Width of a normal law's 5th-95th percentile range in standard deviations. */
    private static final double NORMAL_5_TO_95 = 3.29;
    /** Share of conditioned training phrases told their key by name rather than their pitch classes. */
    static final double KEY_BY_NAME = 0.5;
    /** Weight of the generator's control term ({@link #controlLoss}) beside its adversarial loss. */
    static final float CONTROL_WEIGHT = 1f;
    /** Added to rates before their logarithm: a silent phrase's rate has one, and its gradient stays moderate. */
    private static final float RATE_FLOOR = 1f;

    private final PianoRollGan model;
    private final RollGanConfig config;
    private final NDManager manager;
    private final Device[] devices;
    private final ParameterStore generatorStore;
    private final ParameterStore discriminatorStore;
    private int epoch;
    private long globalStep;
    private Random noise = new Random(0);
    /** Which phrases train without (some of) their controls; drawn only when the model reads controls. */
    private Random dropout = new Random(0);
    private List<RollPhrase> heldOut;
    private List<PianoRoll> heldOutRolls;
    private RollStatistics statistics;
    private List<Map<String, Double>> realStatistics;
    private double realDiversity;
    /** The held-out phrases' {@link DrumStatistics}, for a model with drums; null until measured. */
    private List<Map<String, Double>> realDrumStatistics;
    /** The generator's weights averaged over steps, in parameter order; null until the first step or when off. */
    private List<NDArray> averaged;
    /** The generator's own weights while the model holds the average (between epochs). */
    private List<NDArray> own;
    private long averagedSteps;
    /** The output biases as trained, while the model holds them moved for density matching; null otherwise. */
    private NDArray unmatchedBias;
    private float matchedThreshold = Float.NaN;
    private float matchedDrumThreshold = Float.NaN;
    private double trainingDrumDensity;
    private List<RollPhrase> densityOf;
    private double trainingDensity;
    /** Sounding cells per note of the training phrases: how {@link #controlLoss} reads a rate from cells. */
    private double cellsPerNote = 1;

    public PianoRollGanTrainer(PianoRollGan model) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = model.config();
        this.manager = model.manager().newSubManager();
        this.devices = new Device[] {model.device()};
        generatorStore = new ParameterStore(manager, false);
        generatorStore.setParameterServer(new LocalParameterServer(Optimizers.optimizer("adam",
                Tracker.fixed((float) config.generatorLearningRate()), 0, 0.5, manager)), devices);
        discriminatorStore = new ParameterStore(manager, false);
        discriminatorStore.setParameterServer(new LocalParameterServer(Optimizers.optimizer("adam",
                Tracker.fixed((float) config.discriminatorLearningRate()), 0, 0.5, manager)), devices);
    }

    @Override
    public EpochResult trainEpoch(List<RollPhrase> train, Random shuffle, ProgressListener listener) {
        if (train == null || train.isEmpty()) {
            throw new IllegalArgumentException("no training phrases");
        }
        // an unknown label is refused before the first step, by name
        model.controlSpace().ifPresent(space -> train.forEach(p -> space.labelIndex(p.controls().label())));
        epoch++;
        long cells = train.stream().mapToLong(p -> p.roll().soundingCells()).sum();
        long notes = train.stream().mapToLong(p -> p.roll().notes().size()).sum();
        cellsPerNote = notes == 0 ? 1 : (double) cells / notes;
        noise = new Random(config.seed() * 1_000_003L + epoch);
        dropout = new Random(config.seed() * 1_000_033L - epoch);
        if (own != null) {
            copy(own, generatorArrays());
        } else if (unmatchedBias != null) {
            unmatchedBias.copyTo(outputBias());
        }
        unmatchedBias = null;
        EpochResult result = AdversarialEpoch.run(epoch, train,
                shuffle == null ? new Random(config.seed() + epoch - 1) : shuffle, config.batchSize(), globalStep, 1,
                Double.NaN, listener, this::step);
        globalStep += result.steps();
        if (averaged != null) {
            List<NDArray> generator = generatorArrays();
            if (own == null) {
                own = generator.stream().map(this::detachedCopy).toList();
            } else {
                copy(generator, own);
            }
            copy(averaged, generator);
        }
        if (config.densityMatch()) {
            matchDensity(train);
        }
        return result;
    }

    /**
     * Moves the output biases so that the served generator's phrases, read at {@link PianoRollGan#THRESHOLD}, sound
     * as many cells as the training phrases: the threshold {@code t} that gives the calibration phrases that share
     * becomes 0.5 when every cell's logit rises by {@code -logit(t)}, and every time scale adds its share of the bias.
     */
    void matchDensity(List<RollPhrase> train) {
        if (train != densityOf) {
            trainingDensity = PianoRoll.soundingShare(RollPhrase.rolls(train));
            trainingDrumDensity = drumShare(RollPhrase.rolls(train));
            densityOf = train;
        }
        float[] cells = model.cellProbabilities(CALIBRATION_SEED, HELD_OUT_SAMPLES);
        if (config.drums()) {
            matchDensityWithDrums(cells);
            return;
        }
        float threshold = threshold(cells, trainingDensity);
        NDArray bias = outputBias();
        unmatchedBias = detachedCopy(bias);
        float shift = (float) -Math.log(threshold / (1.0 - threshold)) / config.timeScales().size();
        // written by copy, never in place: a parameter that takes gradients refuses in-place arithmetic when
        // another run on the engine has gradients on
        try (NDArray moved = unmatchedBias.add(shift)) {
            moved.copyTo(bias);
        }
        matchedThreshold = threshold;
    }

    /**
     * {@link #matchDensity} for a model with drums: the keys' cells and the drum cells each read at the threshold that
     * gives their own training density (a groove's drum cells are about ten times as dense as a piano's keys, and
     * one threshold for both would leave one track far off); a drum cell's logit is its own output alone, so its
     * bias moves by the whole shift.
     */
    private void matchDensityWithDrums(float[] cells) {
        int width = model.frameWidth();
        int keyCells = 0;
        float[] keys = new float[cells.length / width * PianoRoll.KEYS];
        float[] drums = new float[cells.length / width * PianoRoll.DRUMS];
        int drumCells = 0;
        for (int c = 0; c < cells.length; c++) {
            if (c % width < PianoRoll.KEYS) {
                keys[keyCells++] = cells[c];
            } else {
                drums[drumCells++] = cells[c];
            }
        }
        float keyThreshold = threshold(keys, trainingDensity);
        float drumThreshold = threshold(drums, trainingDrumDensity);
        // a track the corpus never plays (the keys of a drums-only corpus) is silenced outright: read at the highest
        // matched threshold, a toy drum GAN still wrote 44 key cells a phrase
        float keyShift = trainingDensity == 0 ? SILENCED / config.timeScales().size()
                : (float) -Math.log(keyThreshold / (1.0 - keyThreshold)) / config.timeScales().size();
        float drumShift = trainingDrumDensity == 0 ? SILENCED
                : (float) -Math.log(drumThreshold / (1.0 - drumThreshold));
        NDArray bias = outputBias();
        unmatchedBias = detachedCopy(bias);
        float[] shifts = new float[(int) bias.size()];
        for (int c = 0; c < shifts.length; c++) {
            shifts[c] = c % width < PianoRoll.KEYS ? keyShift : drumShift;
        }
        try (NDArray shift = manager.create(shifts, bias.getShape()); NDArray moved = unmatchedBias.add(shift)) {
            moved.copyTo(bias);
        }
        matchedThreshold = keyThreshold;
        matchedDrumThreshold = drumThreshold;
    }

    /** The share of the rolls' drum cells that are hits (0 without cells). */
    static double drumShare(List<PianoRoll> rolls) {
        double cells = rolls.stream().mapToDouble(r -> (double) r.frames() * PianoRoll.DRUMS).sum();
        return cells == 0 ? 0 : rolls.stream().mapToDouble(PianoRoll::drumHits).sum() / cells;
    }

    /** The value at or above which {@code density} of the cells lie, kept inside the matched range. */
    static float threshold(float[] cells, double density) {
        float[] sorted = cells.clone();
        java.util.Arrays.sort(sorted);
        int sounding = (int) Math.round(density * sorted.length);
        float t = sounding <= 0 ? Float.POSITIVE_INFINITY
                : sorted[Math.max(0, sorted.length - Math.min(sounding, sorted.length))];
        return Math.max(LOWEST_MATCHED_THRESHOLD, Math.min(HIGHEST_MATCHED_THRESHOLD, t));
    }

    /** The generator's last parameters: the biases of its output cells. */
    private NDArray outputBias() {
        List<NDArray> generator = generatorArrays();
        return generator.get(generator.size() - 1);
    }

    private List<NDArray> generatorArrays() {
        return Gradients.parameterArrays(model.generator(), generatorStore, devices);
    }

    /**
     * Folds the step's generator weights into the average. Until the decay is reached the average spans about the
     * last ninth of the steps so far, so the untrained start is soon forgotten.
     */
    private void average(List<NDArray> generator) {
        if (config.generatorAverage() == 0) {
            return;
        }
        if (averaged == null) {
            averaged = generator.stream().map(this::detachedCopy).toList();
        }
        averagedSteps++;
        float decay = (float) Math.min(config.generatorAverage(), (1.0 + averagedSteps) / (10.0 + averagedSteps));
        for (int i = 0; i < generator.size(); i++) {
            try (NDArray share = generator.get(i).mul(1 - decay)) {
                averaged.get(i).muli(decay).addi(share);
            }
        }
    }

    private NDArray detachedCopy(NDArray array) {
        return manager.create(array.toFloatArray(), array.getShape());
    }

    private static void copy(List<NDArray> from, List<NDArray> to) {
        for (int i = 0; i < from.size(); i++) {
            from.get(i).copyTo(to.get(i));
        }
    }

    /** Returns {dLoss, gLoss, mean D(real), mean D(fake)}. */
    private double[] step(List<RollPhrase> real) {
        int n = real.size();
        try (NDManager scope = manager.newSubManager()) {
            List<NDArray> gParams = Gradients.parameterArrays(model.generator(), generatorStore, devices);
            List<NDArray> dParams = new ArrayList<>();
            for (Block block : model.discriminatorBlocks()) {
                dParams.addAll(Gradients.parameterArrays(block, discriminatorStore, devices));
            }
            NDArray realRolls = model.realInput(scope, RollPhrase.rolls(real));
            float[] vectors = conditions(real);
            NDArray condition = model.conditionInput(scope, vectors);
            NDArray mismatched = model.conditionInput(scope, mismatchedConditions(real));

            Gradients.zeroGradients(dParams);
            Gradients.zeroGradients(gParams);
            double dLoss;
            NDArray realMean;
            double realScore;
            double fakeScore;
            try (GradientCollector collector = ExclusiveGradients.open()) {
                NDArray fake = binarised(scope, model.generate(generatorStore, noise(scope, n), condition, true))
                        .stopGradient();
                NDArray realFeatures = model.features(discriminatorStore, realRolls, condition, true);
                // the generator's feature-matching target: real features before this update, one pass fewer
                realMean = realFeatures.stopGradient().mean(new int[] {0});
                NDArray realLogit = model.critic(discriminatorStore, realFeatures, true);
                NDArray fakeLogit = model.critic(discriminatorStore,
                        model.features(discriminatorStore, fake, condition, true), true);
                NDArray loss = AdversarialEpoch.softplus(realLogit.neg()).mean().add(AdversarialEpoch.softplus(fakeLogit).mean());
                if (mismatched != null) {
                    NDArray wrongLogit = model.critic(discriminatorStore,
                            model.features(discriminatorStore, realRolls, mismatched, true), true);
                    loss = loss.add(AdversarialEpoch.softplus(wrongLogit).mean());
                }
                collector.backward(loss);
                dLoss = loss.getFloat();
                realScore = realLogit.getNDArrayInternal().sigmoid().mean().getFloat();
                fakeScore = fakeLogit.getNDArrayInternal().sigmoid().mean().getFloat();
            }
            Gradients.clipGradients(dParams, CLIP);
            discriminatorStore.updateAllParameters();

            Gradients.zeroGradients(dParams);
            Gradients.zeroGradients(gParams);
            double gLoss;
            try (GradientCollector collector = ExclusiveGradients.open()) {
                NDArray z = noise(scope, n);
                NDArray probabilities = model.generate(generatorStore, z, condition, true);
                NDArray fake = binarised(scope, probabilities);
                NDArray fakeFeatures = model.features(discriminatorStore, fake, condition, true);
                NDArray loss = AdversarialEpoch.softplus(model.critic(discriminatorStore, fakeFeatures, true).neg()).mean();
                if (config.featureMatching() > 0) {
                    NDArray gap = fakeFeatures.mean(new int[] {0}).sub(realMean);
                    loss = loss.add(gap.mul(gap).mean().mul((float) config.featureMatching()));
                }
                if (vectors != null) {
                    loss = loss.add(controlLoss(scope, keysOf(probabilities), keysOf(fake), vectors)
                            .mul(CONTROL_WEIGHT));
                }
                if (config.modeSeeking() > 0 && n >= 2) {
                    loss = loss.add(modeSeeking(probabilities, z).mul((float) config.modeSeeking()));
                }
                collector.backward(loss);
                gLoss = loss.getFloat();
            }
            Gradients.clipGradients(gParams, CLIP);
            generatorStore.updateAllParameters();
            average(gParams);
            return new double[] {dLoss, gLoss, realScore, fakeScore};
        }
    }

    /**
     * The batch's condition vectors one after another, each phrase's controls less those dropped (see the class
     * comment); null when the model reads no controls. Half the phrases are told their key by name: their pitch
     * classes replaced by the profile of their Krumhansl-Schmuckler key, which is what {@link Controls#withKey} asks;
     * a real phrase's spiky histogram looks little like that smooth profile, and a GAN trained on histograms alone
     * followed one asked key of three. Five draws a phrase whatever is dropped, so one phrase's dropping does not
     * shift the next one's.
     */
    private float[] conditions(List<RollPhrase> batch) {
        ControlSpace space = model.controlSpace().orElse(null);
        if (space == null) {
            return null;
        }
        int size = space.size();
        float[] out = new float[batch.size() * size];
        for (int i = 0; i < batch.size(); i++) {
            Controls c = batch.get(i).controls();
            boolean whole = dropout.nextDouble() < config.controlDropout();
            boolean pitchClasses = dropout.nextDouble() >= RollGanConfig.GROUP_DROPOUT;
            boolean density = dropout.nextDouble() >= RollGanConfig.GROUP_DROPOUT;
            boolean label = dropout.nextDouble() >= RollGanConfig.GROUP_DROPOUT;
            boolean byName = dropout.nextDouble() < KEY_BY_NAME;
            if (!whole) {
                double[] pcs = pitchClasses ? c.pitchClasses() : null;
                if (pcs != null && byName) {
                    pcs = KeyFinder.estimate(pcs).profile();
                }
                Controls kept = new Controls(pcs, density ? c.notesPerSecond() : null, label ? c.label() : null);
                System.arraycopy(space.vector(kept), 0, out, i * size, size);
            }
        }
        return out;
    }

    /**
     * How far the generated phrases are from what they were asked: the cross-entropy of the asked pitch-class shares
     * with those of the cells' probabilities (never all zero, unlike the sounding cells of a silent phrase, whose
     * shares have no gradient worth following), plus the squared log ratio of the phrases' rate to the asked one,
     * each over the rows that ask it. The rate is the onsets' of the phrases as they sound, but its gradient is that
     * of their sounding cells at the training phrases' cells per note (straight through): the onsets' own gradient
     * tells a too busy generator to fill its gaps, which drove it to hold every key; read from cells alone, the
     * asked rates were overshot by half as much again (shorter notes than the corpus's). The discriminator alone taught a toy GAN to follow one asked key of three and no density in
     * a test's budget (AC-GAN's auxiliary term, measured on the notes rather than by a classifier); its adversarial
     * loss still decides how the music goes.
     */
    private NDArray controlLoss(NDManager scope, NDArray probabilities, NDArray fake, float[] vectors) {
        int size = model.controlSpace().orElseThrow().size();
        int rows = vectors.length / size;
        int pcs = ControlSpace.PITCH_CLASSES;
        float[] askedShares = new float[rows * pcs];
        float[] pcMask = new float[rows];
        float[] askedLogRate = new float[rows];
        float[] rateMask = new float[rows];
        for (int i = 0; i < rows; i++) {
            float sum = 0;
            for (int k = 0; k < pcs; k++) {
                sum += vectors[i * size + k];
            }
            if (sum > 0) {
                pcMask[i] = 1;
                for (int k = 0; k < pcs; k++) {
                    askedShares[i * pcs + k] = vectors[i * size + k] / sum;
                }
            }
            Double rate = ControlSpace.readDensity(vectors, i * size + pcs);
            if (rate != null) {
                rateMask[i] = 1;
                askedLogRate[i] = (float) Math.log(rate + RATE_FLOOR);
            }
        }
        float[] fold = new float[PianoRoll.KEYS * pcs];
        for (int key = 0; key < PianoRoll.KEYS; key++) {
            fold[key * pcs + (key + PianoRoll.LOWEST_PITCH) % pcs] = 1;
        }
        NDArray perClass = probabilities.sum(new int[] {1}).matMul(scope.create(fold, new Shape(PianoRoll.KEYS, pcs)));
        NDArray shares = perClass.div(perClass.sum(new int[] {1}, true));
        NDArray crossEntropy = scope.create(askedShares, new Shape(rows, pcs)).mul(shares.add(1e-4f).log())
                .sum(new int[] {1}).neg();
        NDArray fromCells = fake.sum(new int[] {1, 2}).div((float) (cellsPerNote * model.phraseSeconds()));
        long frames = fake.getShape().get(1);
        NDArray previous = scope.zeros(new Shape(rows, 1, PianoRoll.KEYS))
                .concat(fake.get(":, 0:" + (frames - 1) + ", :"), 1);
        NDArray onsets = fake.mul(previous.neg().add(1f)).sum(new int[] {1, 2}).div((float) model.phraseSeconds());
        // the onsets' rate forward, the cells' gradient backward
        NDArray rate = fromCells.add(onsets.sub(fromCells).stopGradient());
        NDArray rateGap = rate.add(RATE_FLOOR).log().sub(scope.create(askedLogRate));
        return masked(scope, crossEntropy, pcMask).add(masked(scope, rateGap.mul(rateGap), rateMask));
    }

    /** The keys of phrases (batch, frames, width): the controls speak of them alone, not of the drums. */
    private NDArray keysOf(NDArray phrases) {
        return config.drums() ? phrases.get(":, :, 0:" + PianoRoll.KEYS) : phrases;
    }

    /** The mean of {@code values} over the rows where {@code mask} is 1 (0 where none is). */
    private static NDArray masked(NDManager scope, NDArray values, float[] mask) {
        double count = 0;
        for (float m : mask) {
            count += m;
        }
        return values.mul(scope.create(mask)).sum().div((float) Math.max(1, count));
    }

    /**
     * Every phrase's whole controls paired with another phrase of the batch (half the batch on): what a real phrase
     * does not reach. The discriminator learns to call a real phrase under another phrase's controls fake (Reed et al.
     * 2016, "matching-aware" discriminator), which tells it what the condition means long before the generator's
     * phrases are good enough to; a pair that happens to match costs a little noise. Null without controls or with
     * fewer than two phrases.
     */
    private float[] mismatchedConditions(List<RollPhrase> batch) {
        ControlSpace space = model.controlSpace().orElse(null);
        int n = batch.size();
        if (space == null || n < 2) {
            return null;
        }
        int size = space.size();
        float[] out = new float[n * size];
        for (int i = 0; i < n; i++) {
            float[] other = space.vector(batch.get((i + n / 2) % n).controls());
            System.arraycopy(other, 0, out, i * size, size);
        }
        return out;
    }

    /**
     * MSGAN's mode-seeking term: the batch's first half paired with its second, the inverse of how far apart their
     * phrases are for how far apart their noises are; small when different noises give different music.
     */
    private static NDArray modeSeeking(NDArray probabilities, NDArray noise) {
        long half = noise.getShape().get(0) / 2;
        NDArray phrases = probabilities.get("0:" + half).sub(probabilities.get(half + ":" + 2 * half)).abs()
                .reshape(half, -1).mean(new int[] {1});
        NDArray noises = noise.get("0:" + half).sub(noise.get(half + ":" + 2 * half)).abs().mean(new int[] {1});
        return phrases.div(noises).mean().add(1e-5f).pow(-1f);
    }

    /** Training noise from the epoch's seeded source: a run is the same run every time (on one thread). */
    private NDArray noise(NDManager scope, int n) {
        float[] values = new float[n * config.noiseSize()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) noise.nextGaussian();
        }
        return scope.create(values, new Shape(n, config.noiseSize()));
    }

    /**
     * The phrases as they will sound ({@link PianoRollGan#decode}, 0/1) forward, the probabilities' gradient backward
     * (straight-through): the discriminator judges the notes a listener would hear.
     */
    private NDArray binarised(NDManager scope, NDArray probabilities) {
        float[] p = probabilities.toFloatArray();
        float[] hard = new float[p.length];
        int size = model.phraseCells();
        for (int offset = 0; offset < p.length; offset += size) {
            model.fill(model.decode(p, offset), hard, offset);
        }
        NDArray sounding = scope.create(hard, probabilities.getShape());
        return probabilities.add(sounding.sub(probabilities).stopGradient());
    }


    @Override
    public Map<String, Double> heldOutMetrics(List<RollPhrase> validation) {
        GradMode.off();
        if (validation == null || validation.isEmpty()) {
            throw new IllegalArgumentException("no held-out phrases to compare the GAN's with");
        }
        if (validation != heldOut) {
            heldOutRolls = RollPhrase.rolls(validation);
            List<PianoRoll> real = evenlySpaced(heldOutRolls, MAX_REAL_PHRASES);
            statistics = new RollStatistics(model.grid(), real);
            realStatistics = real.stream().map(statistics::of).toList();
            realDiversity = RollStatistics.diversity(real);
            realDrumStatistics = null;
            heldOut = validation;
        }
        List<PianoRoll> samples = model.sample(HELD_OUT_SEED, HELD_OUT_SAMPLES);
        Map<String, Double> measured = compare(samples.stream().map(statistics::of).toList(), realStatistics,
                RollStatistics.diversity(samples), realDiversity, aggregatePitchClassDistance(samples, heldOutRolls));
        if (config.drums()) {
            withDrumMeasures(measured, samples);
        }
        if (!Float.isNaN(matchedThreshold)) {
            measured.put("matchedThreshold", (double) matchedThreshold);
        }
        if (!Float.isNaN(matchedDrumThreshold)) {
            measured.put("matchedDrumThreshold", (double) matchedDrumThreshold);
        }
        return measured;
    }

    /** The held-out measures of generated phrases' statistics against real ones' (see the class comment). */
    static Map<String, Double> compare(List<Map<String, Double>> generated, List<Map<String, Double>> real,
                                       double sampleDiversity, double realDiversity, double pitchClassDistance) {
        Map<String, Boolean> inside = ExcerptStatistics.inside(generated, real, RollStatistics.NAMES);
        double gap = gapSum(generated, real, RollStatistics.NAMES);
        // an epoch whose phrases are less than half as varied as real ones has collapsed, however close its means
        double collapse = !(realDiversity > 0) ? 0
                : Double.isNaN(sampleDiversity) ? 1 : Math.max(0, 1 - 2 * sampleDiversity / realDiversity);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("statisticsGap", gap / RollStatistics.NAMES.size() + collapse);
        out.put("statisticsInsideRealSpread", (double) inside.values().stream().filter(v -> v).count());
        out.put("sampleDiversity", sampleDiversity);
        out.put("realDiversity", realDiversity);
        out.put("pitchClassDistance", pitchClassDistance);
        return out;
    }

    /**
     * For each statistic of {@code names}, the distance of the generated mean from the real median in units of the
     * real spread (see the class comment), at most 2; summed. A statistic without real values adds nothing.
     */
    static double gapSum(List<Map<String, Double>> generated, List<Map<String, Double>> real, List<String> names) {
        Map<String, double[]> spread = ExcerptStatistics.spread(real, names);
        Map<String, Double> means = ExcerptStatistics.mean(generated, names);
        double gap = 0;
        for (String name : names) {
            double[] range = spread.get(name);
            double mean = means.get(name);
            if (range == null) {
                continue;
            }
            double median = median(real, name);
            // a rare event (an empty bar: 2 of 721 piano-midi test phrases) has a 5th-95th percentile spread of
            // nothing, and one empty bar in 1,024 would count as far off as silence; the spread a normal law of
            // the same standard deviation would have is the floor
            double width = Math.max(Math.max(range[1] - range[0], NORMAL_5_TO_95 * standardDeviation(real, name)),
                    1e-6);
            // a statistic the samples lack (all silent) counts as far off as a statistic can reasonably be
            gap += Double.isNaN(mean) ? 2.0 : Math.min(2.0, Math.abs(mean - median) / width);
        }
        return gap;
    }

    /**
     * Adds the drum track's measures: how many {@link DrumStatistics} lie inside the real spread, and their gap, which
     * joins the keys' in {@code statisticsGap} (the mean over both tracks' statistics, plus the collapse penalty), so
     * that the epoch kept is the one nearest the corpus in its drums too; on a drums-only corpus the keys' statistics
     * have no real values and the drums' decide alone.
     */
    private void withDrumMeasures(Map<String, Double> measured, List<PianoRoll> samples) {
        DrumStatistics drums = new DrumStatistics(model.grid());
        if (realDrumStatistics == null) {
            realDrumStatistics = drums.of(evenlySpaced(heldOutRolls, MAX_REAL_PHRASES));
        }
        List<Map<String, Double>> generated = drums.of(samples);
        double keysGap = measured.get("statisticsGap") - collapse(measured);
        double drumGap = gapSum(generated, realDrumStatistics, DrumStatistics.NAMES);
        int names = RollStatistics.NAMES.size() + DrumStatistics.NAMES.size();
        measured.put("statisticsGap", (keysGap * RollStatistics.NAMES.size() + drumGap) / names + collapse(measured));
        measured.put("drumStatisticsInsideRealSpread",
                (double) DrumStatistics.insideCount(generated, realDrumStatistics));
    }

    private static double collapse(Map<String, Double> measured) {
        double sample = measured.get("sampleDiversity");
        double real = measured.get("realDiversity");
        return !(real > 0) ? 0 : Double.isNaN(sample) ? 1 : Math.max(0, 1 - 2 * sample / real);
    }

    private static double standardDeviation(List<Map<String, Double>> real, String name) {
        double[] v = real.stream().mapToDouble(m -> m.get(name)).filter(x -> !Double.isNaN(x)).toArray();
        double mean = java.util.Arrays.stream(v).average().orElse(0);
        return v.length < 2 ? 0 : Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum()
                / (v.length - 1));
    }

    private static double median(List<Map<String, Double>> real, String name) {
        double[] v = real.stream().mapToDouble(m -> m.get(name)).filter(x -> !Double.isNaN(x)).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static double aggregatePitchClassDistance(List<PianoRoll> samples, List<PianoRoll> real) {
        double[] a = new double[12];
        double[] b = new double[12];
        samples.forEach(r -> r.notes().forEach(n -> a[(n[0] + PianoRoll.LOWEST_PITCH) % 12]++));
        real.forEach(r -> r.notes().forEach(n -> b[(n[0] + PianoRoll.LOWEST_PITCH) % 12]++));
        double sa = java.util.Arrays.stream(a).sum();
        double sb = java.util.Arrays.stream(b).sum();
        if (sa == 0 || sb == 0) {
            return 1.0;
        }
        double d = 0;
        for (int i = 0; i < 12; i++) {
            d += Math.abs(a[i] / sa - b[i] / sb);
        }
        return d / 2;
    }

    static <T> List<T> evenlySpaced(List<T> all, int max) {
        if (all.size() <= max) {
            return all;
        }
        List<T> out = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            out.add(all.get((int) ((long) i * all.size() / max)));
        }
        return out;
    }

    @Override
    public String selectionMetric() {
        return "statisticsGap";
    }

    @Override
    public RollGanConfig config() {
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

    @Override
    public void resumeAfter(int epochsDone) {
        if (epochsDone < 0) {
            throw new IllegalArgumentException("epochsDone must be >= 0, got " + epochsDone);
        }
        if (epoch > 0) {
            throw new IllegalStateException("resumeAfter must be called before training starts");
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
