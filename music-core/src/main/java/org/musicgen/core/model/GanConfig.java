package org.musicgen.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Hyper-parameters of the sequence GAN.
 *
 * <p>Formulations: {@code "roll"} (default) - the generator writes piano-roll phrases of {@code bars} bars of
 * sixteenths over the 88 keys from the corpus's notes, whatever its token encoding (see {@link PianoRollGan});
 * {@code "gumbel"} - the generator emits per-step vocabulary logits; during training a
 * Gumbel-softmax relaxation (temperature annealed per epoch from {@code gumbelTemperature} towards
 * {@code gumbelTemperatureMin}) feeds soft one-hot vectors to the discriminator so that gradients flow;
 * {@code "study"} - the reference study's formulation: one continuous value in [-1, 1] per step (tanh), mapped to
 * token ids by scaling; the discriminator sees real sequences mapped to the same values.
 *
 * @param noiseSize size of the generator's input noise
 * @param generatorHidden sizes of the generator's hidden fully connected layers (LeakyReLU)
 * @param discriminatorEmbedding size of the discriminator's per-step projection of the (soft) one-hot input
 * @param discriminatorHidden LSTM state size of the discriminator
 * @param discriminatorLayers LSTM layers of the discriminator
 * @param discriminatorDense fully connected layer after the LSTM (before the single logit)
 * @param generatorLearningRate Adam learning rate of the generator
 * @param discriminatorLearningRate Adam learning rate of the discriminator
 * @param batchSize real (and fake) sequences per step
 * @param epochs passes over the training set
 * @param formulation "gumbel" or "study"
 * @param gumbelTemperature initial Gumbel-softmax temperature
 * @param gumbelTemperatureMin lowest temperature reached by annealing
 * @param gumbelAnneal multiplicative temperature decay per epoch, in (0, 1]
 * @param straightThrough use hard one-hot samples forward with soft gradients (straight-through Gumbel)
 * @param sequenceLength tokens per generated sequence (token formulations)
 * @param bars bars of 4/4 in sixteenths per generated phrase (roll formulation)
 * @param featureMatching weight of the feature-matching term of the generator's loss (roll formulation; 0: off)
 * @param modeSeeking weight of the mode-seeking term (MSGAN) of the generator's loss: two noises far apart must give
 *                    phrases far apart (roll formulation; 0: off)
 * @param onsetStream the discriminator also reads each frame's change from the previous one (+1 where a key starts,
 *                    -1 where it stops: BinaryMuseGAN's onset/offset stream), so note starts and lengths are as
 *                    plain to it as which keys sound (roll formulation)
 * @param holdThreshold a generated cell starts a note at a probability of {@link PianoRollGan#THRESHOLD}; the note
 *                      goes on while its key's probability stays at or above this (roll formulation; equal to the
 *                      threshold: plain thresholding)
 * @param timeScales the generator's outputs, averaged over spans of each of these many sixteenths (1: each alone, 4:
 *                   a beat) and held across them, are summed into the cells' logits: MuseGAN's generator builds bars
 *                   from beats from steps; here a note held for a beat is learnt as one move rather than four that
 *                   must agree (roll formulation; powers of two up to a bar, {@code [1]}: plain outputs)
 * @param generatorAverage the generator that is measured, saved and sampled is an exponential moving average of its
 *                         weights over the training steps with this decay (Yazici et al., "The Unusual Effectiveness
 *                         of Averaging in GAN Training"): the adversarial game makes the weights circle, their average
 *                         sits nearer its centre (roll formulation; 0: the last step's weights)
 * @param densityMatch after every epoch the cells of the generator that is measured, saved and sampled are read at the
 *                     threshold that gives a fixed batch of its phrases the training phrases' share of sounding cells
 *                     (folded into its output biases, so a checkpoint needs nothing else): an averaged generator's
 *                     cells are softer and read at 0.5 its phrases are sparser than the corpus's (roll formulation)
 * @param seed seed of the parameter initialisation and of the training noise order
 */
public record GanConfig(
        int noiseSize,
        List<Integer> generatorHidden,
        int discriminatorEmbedding,
        int discriminatorHidden,
        int discriminatorLayers,
        int discriminatorDense,
        double generatorLearningRate,
        double discriminatorLearningRate,
        int batchSize,
        int epochs,
        String formulation,
        double gumbelTemperature,
        double gumbelTemperatureMin,
        double gumbelAnneal,
        boolean straightThrough,
        int sequenceLength,
        int bars,
        double featureMatching,
        double modeSeeking,
        boolean onsetStream,
        double holdThreshold,
        List<Integer> timeScales,
        double generatorAverage,
        boolean densityMatch,
        long seed) {

    public static final Set<String> FORMULATIONS = Set.of("roll", "gumbel", "study");

    public GanConfig {
        LstmConfig.requireRange("noiseSize", noiseSize, 1, 4096);
        if (generatorHidden == null || generatorHidden.isEmpty() || generatorHidden.size() > 8) {
            throw new IllegalArgumentException("generatorHidden must list 1 to 8 layer sizes, got " + generatorHidden);
        }
        for (Integer h : generatorHidden) {
            if (h == null || h < 1 || h > 16384) {
                throw new IllegalArgumentException("generatorHidden sizes must be in [1, 16384], got " + generatorHidden);
            }
        }
        generatorHidden = List.copyOf(generatorHidden);
        LstmConfig.requireRange("discriminatorEmbedding", discriminatorEmbedding, 1, 4096);
        LstmConfig.requireRange("discriminatorHidden", discriminatorHidden, 1, 8192);
        LstmConfig.requireRange("discriminatorLayers", discriminatorLayers, 1, 8);
        LstmConfig.requireRange("discriminatorDense", discriminatorDense, 1, 8192);
        if (!(generatorLearningRate > 0 && generatorLearningRate <= 1)) {
            throw new IllegalArgumentException("generatorLearningRate must be in (0, 1], got " + generatorLearningRate);
        }
        if (!(discriminatorLearningRate > 0 && discriminatorLearningRate <= 1)) {
            throw new IllegalArgumentException(
                    "discriminatorLearningRate must be in (0, 1], got " + discriminatorLearningRate);
        }
        LstmConfig.requireRange("batchSize", batchSize, 1, 65536);
        LstmConfig.requireRange("epochs", epochs, 1, 100000);
        formulation = formulation == null ? null : formulation.trim().toLowerCase(Locale.ROOT);
        if (formulation == null || !FORMULATIONS.contains(formulation)) {
            throw new IllegalArgumentException("formulation must be roll, gumbel or study, got " + formulation);
        }
        if (!(gumbelTemperature > 0 && gumbelTemperature <= 100)) {
            throw new IllegalArgumentException("gumbelTemperature must be in (0, 100], got " + gumbelTemperature);
        }
        if (!(gumbelTemperatureMin > 0 && gumbelTemperatureMin <= gumbelTemperature)) {
            throw new IllegalArgumentException("gumbelTemperatureMin must be in (0, gumbelTemperature], got "
                    + gumbelTemperatureMin);
        }
        if (!(gumbelAnneal > 0 && gumbelAnneal <= 1)) {
            throw new IllegalArgumentException("gumbelAnneal must be in (0, 1], got " + gumbelAnneal);
        }
        LstmConfig.requireRange("sequenceLength", sequenceLength, 1, 100_000);
        LstmConfig.requireRange("bars", bars, 1, 16);
        if (!(featureMatching >= 0 && featureMatching <= 1000)) {
            throw new IllegalArgumentException("featureMatching must be in [0, 1000], got " + featureMatching);
        }
        if (!(modeSeeking >= 0 && modeSeeking <= 1000)) {
            throw new IllegalArgumentException("modeSeeking must be in [0, 1000], got " + modeSeeking);
        }
        if (timeScales == null || timeScales.isEmpty() || timeScales.stream().distinct().count() != timeScales.size()
                || !timeScales.stream().allMatch(t -> t != null && t >= 1 && t <= 16 && Integer.bitCount(t) == 1)) {
            throw new IllegalArgumentException("timeScales must list distinct powers of two from 1 to 16, got "
                    + timeScales);
        }
        timeScales = List.copyOf(timeScales);
        if (!(generatorAverage >= 0 && generatorAverage < 1)) {
            throw new IllegalArgumentException("generatorAverage must be in [0, 1), got " + generatorAverage);
        }
        if (!(holdThreshold > 0 && holdThreshold <= PianoRollGan.THRESHOLD)) {
            throw new IllegalArgumentException("holdThreshold must be in (0, " + PianoRollGan.THRESHOLD + "], got "
                    + holdThreshold);
        }
    }

    /**
     * The piano-roll GAN: four-bar phrases, feature matching, a discriminator learning 2x as fast as the generator
     * (at 4e-4 it sat at chance), outputs spread over the eighth and the beat (on piano-midi 70 % of the notes were
     * single sixteenths without; with, its phrases came nearest the real median on 5 of 6 statistics:
     * BENCHMARKS.md); no onset stream and no hysteresis (both measured worse there); the generator's weights
     * averaged over up to 200 steps (an epoch of piano-midi): without, one seed's served phrases were nearest the real
     * median on 5 statistics and another's on 3; with, three seeds' on 4 or 5, as diverse as the corpus's; the served
     * cells read at the corpus's density (averaged, they wrote 11.5-14.2 notes a bar against the real median 14.5,
     * and were inside the real spread on 5 of 6; matched, two seeds were inside on 6 of 6).
     */
    public static GanConfig defaults() {
        return new GanConfig(128, List.of(512, 1024), 64, 128, 1, 128, 1e-3, 2e-3, 64, 20, "roll", 1.0, 0.2, 0.9,
                true, 100, 4, 1.0, 0.0, false, 0.5, List.of(1, 2, 4), 0.995, true, 42L);
    }

    /** The token GAN: a Gumbel-softmax over the corpus's vocabulary, trained on its token windows. */
    public static GanConfig tokenPreset() {
        // Straight-through samples: with soft ones the discriminator tells real from fake by softness alone.
        // A slower discriminator keeps it from overpowering the generator within a few epochs.
        return new GanConfig(64, List.of(256, 512), 32, 128, 1, 64, 1e-3, 4e-4, 32, 20, "gumbel", 1.0, 0.2, 0.9,
                true, 100, 4, 0.0, 0.0, false, 0.5, List.of(1), 0.0, false, 42L);
    }

    /** The reference study's formulation: continuous tanh output per step, larger networks. */
    public static GanConfig studyPreset() {
        return new GanConfig(100, List.of(256, 512, 1024), 32, 512, 1, 256, 2e-4, 2e-4, 32, 20, "study", 1.0, 1.0,
                1.0, false, 100, 4, 0.0, 0.0, false, 0.5, List.of(1), 0.0, false, 42L);
    }

    public static final Set<String> KEYS = Set.of("noiseSize", "generatorHidden", "discriminatorEmbedding",
            "discriminatorHidden", "discriminatorLayers", "discriminatorDense", "generatorLearningRate",
            "discriminatorLearningRate", "batchSize", "epochs", "formulation", "gumbelTemperature",
            "gumbelTemperatureMin", "gumbelAnneal", "straightThrough", "sequenceLength", "bars", "featureMatching",
            "modeSeeking", "onsetStream", "holdThreshold", "timeScales", "generatorAverage", "densityMatch", "seed");

    /**
     * Applies user overrides by name (see {@link #KEYS}; lists such as {@code generatorHidden} as "256,512") on top of
     * {@code base}.
     */
    public static GanConfig fromMap(Map<String, String> overrides, GanConfig base) {
        if (base == null) {
            base = defaults();
        }
        if (overrides == null || overrides.isEmpty()) {
            return base;
        }
        for (String key : overrides.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown GAN hyper-parameter '" + key + "'; accepted: "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        ConfigValues v = new ConfigValues(overrides);
        int[] hidden = v.integers("generatorHidden",
                base.generatorHidden().stream().mapToInt(Integer::intValue).toArray());
        int[] scales = v.integers("timeScales", base.timeScales().stream().mapToInt(Integer::intValue).toArray());
        return new GanConfig(
                v.integer("noiseSize", base.noiseSize()),
                java.util.Arrays.stream(hidden).boxed().toList(),
                v.integer("discriminatorEmbedding", base.discriminatorEmbedding()),
                v.integer("discriminatorHidden", base.discriminatorHidden()),
                v.integer("discriminatorLayers", base.discriminatorLayers()),
                v.integer("discriminatorDense", base.discriminatorDense()),
                v.decimal("generatorLearningRate", base.generatorLearningRate()),
                v.decimal("discriminatorLearningRate", base.discriminatorLearningRate()),
                v.integer("batchSize", base.batchSize()),
                v.integer("epochs", base.epochs()),
                v.string("formulation", base.formulation()),
                v.decimal("gumbelTemperature", base.gumbelTemperature()),
                v.decimal("gumbelTemperatureMin", base.gumbelTemperatureMin()),
                v.decimal("gumbelAnneal", base.gumbelAnneal()),
                v.bool("straightThrough", base.straightThrough()),
                v.integer("sequenceLength", base.sequenceLength()),
                v.integer("bars", base.bars()),
                v.decimal("featureMatching", base.featureMatching()),
                v.decimal("modeSeeking", base.modeSeeking()),
                v.bool("onsetStream", base.onsetStream()),
                v.decimal("holdThreshold", base.holdThreshold()),
                java.util.Arrays.stream(scales).boxed().toList(),
                v.decimal("generatorAverage", base.generatorAverage()),
                v.bool("densityMatch", base.densityMatch()),
                v.longValue("seed", base.seed()));
    }

    /** Gumbel temperature used during the given 1-based epoch. */
    public double temperatureAt(int epoch) {
        return Math.max(gumbelTemperatureMin, gumbelTemperature * Math.pow(gumbelAnneal, Math.max(0, epoch - 1)));
    }

    public boolean isStudy() {
        return formulation.equals("study");
    }

    /** Whether the GAN writes piano rolls (from notes) rather than token sequences. */
    public boolean isRoll() {
        return formulation.equals("roll");
    }
}
