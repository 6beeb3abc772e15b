package org.musicgen.core.model.gan.roll;

import org.musicgen.core.model.HyperParameters;
import org.musicgen.core.model.ModelConfig;
import org.musicgen.core.model.gan.GanNetworks;

import org.musicgen.core.control.ControlSpace;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.musicgen.core.model.HyperParameters.requireRange;

/**
 * Hyper-parameters of the piano-roll GAN: the generator writes piano-roll phrases of {@code bars} bars of
 * sixteenths over the 88 keys from the corpus's notes, whatever its token encoding (see {@link PianoRollGan}).
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
 * @param bars bars of 4/4 in sixteenths per generated phrase
 * @param featureMatching weight of the feature-matching term of the generator's loss (0: off)
 * @param modeSeeking weight of the mode-seeking term (MSGAN) of the generator's loss: two noises far apart must give
 *                    phrases far apart (0: off)
 * @param onsetStream the discriminator also reads each frame's change from the previous one (+1 where a key starts,
 *                    -1 where it stops: BinaryMuseGAN's onset/offset stream), so note starts and lengths are as
 *                    plain to it as which keys sound
 * @param holdThreshold a generated cell starts a note at a probability of {@link PianoRollGan#THRESHOLD}; the note
 *                      goes on while its key's probability stays at or above this (equal to the
 *                      threshold: plain thresholding)
 * @param timeScales the generator's outputs, averaged over spans of each of these many sixteenths (1: each alone, 4:
 *                   a beat) and held across them, are summed into the cells' logits: MuseGAN's generator builds bars
 *                   from beats from steps; here a note held for a beat is learnt as one move rather than four that
 *                   must agree (powers of two up to a bar, {@code [1]}: plain outputs)
 * @param generatorAverage the generator that is measured, saved and sampled is an exponential moving average of its
 *                         weights over the training steps with this decay (Yazici et al., "The Unusual Effectiveness
 *                         of Averaging in GAN Training"): the adversarial game makes the weights circle, their average
 *                         sits nearer its centre (0: the last step's weights)
 * @param densityMatch after every epoch the cells of the generator that is measured, saved and sampled are read at the
 *                     threshold that gives a fixed batch of its phrases the training phrases' share of sounding cells
 *                     (folded into its output biases, so a checkpoint needs nothing else): an averaged generator's
 *                     cells are softer and read at 0.5 its phrases are sparser than the corpus's
 * @param controls the generator and the discriminator read each phrase's controls (MidiNet's conditioning): its
 *                 pitch-class shares, notes per second and label in {@link ControlSpace}'s layout, joined to the
 *                 noise and to every frame the discriminator reads (false: the unconditioned networks of before)
 * @param controlDropout share of training phrases whose whole condition is zeroed, so the model also writes without
 *                       controls; besides, each group alone is zeroed for {@value #GROUP_DROPOUT} of the phrases, so
 *                       any one control can be asked without the others
 * @param labels the corpus's labels, '|'-joined, in the order of their one-hot positions (empty: none); recorded
 *               even when {@code controls} is false, where the model reads none of them
 * @param drums the generator also writes a drum track (one row per {@link org.musicgen.core.midi.DrumKit} class on the
 *              same grid, each cell a hit without length: MuseGAN's drums track) and the discriminator reads it beside
 *              the keys (false: the piano-only networks of before drums existed)
 * @param seed seed of the parameter initialisation and of the training noise order
 */
public record RollGanConfig(
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
        int bars,
        double featureMatching,
        double modeSeeking,
        boolean onsetStream,
        double holdThreshold,
        List<Integer> timeScales,
        double generatorAverage,
        boolean densityMatch,
        boolean controls,
        double controlDropout,
        String labels,
        boolean drums,
        long seed) implements ModelConfig {

    /**
     * Share of training phrases for which each control group (pitch classes, density, label) is zeroed on its own,
     * besides the whole condition's {@code controlDropout}: small, so that the groups are mostly learnt together.
     */
    public static final double GROUP_DROPOUT = 0.1;

    /** Names accepted by {@link #fromMap}. */
    public static final Set<String> KEYS = Set.of("noiseSize", "generatorHidden", "discriminatorEmbedding", "discriminatorHidden", "discriminatorLayers", "discriminatorDense", "generatorLearningRate", "discriminatorLearningRate", "batchSize", "epochs", "bars", "featureMatching", "modeSeeking", "onsetStream", "holdThreshold", "timeScales", "generatorAverage", "densityMatch", "controls", "controlDropout", "labels", "drums", "seed");

    public RollGanConfig {
        generatorHidden = GanNetworks.check(noiseSize, generatorHidden, discriminatorEmbedding, discriminatorHidden,
                discriminatorLayers, discriminatorDense, generatorLearningRate, discriminatorLearningRate, batchSize,
                epochs);
        requireRange("bars", bars, 1, 16);
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
        if (!(controlDropout >= 0 && controlDropout <= 1)) {
            throw new IllegalArgumentException("controlDropout must be in [0, 1], got " + controlDropout);
        }
        labels = labels == null ? "" : labels;
        ControlSpace.ofStored(labels); // refuses blank, duplicate or '|'-holding labels by name
    }

    /** How the model reads controls; empty when it reads none. */
    public Optional<ControlSpace> controlSpace() {
        return controls ? Optional.of(ControlSpace.ofStored(labels)) : Optional.empty();
    }

    /** This configuration with the corpus's labels (in their one-hot order). */
    public RollGanConfig withLabels(List<String> values) {
        return new RollGanConfig(noiseSize, generatorHidden, discriminatorEmbedding, discriminatorHidden,
                discriminatorLayers, discriminatorDense, generatorLearningRate, discriminatorLearningRate, batchSize,
                epochs, bars, featureMatching, modeSeeking, onsetStream, holdThreshold, timeScales, generatorAverage,
                densityMatch, controls, controlDropout, new ControlSpace(values).stored(), drums, seed);
    }

    /** This configuration with or without the drum track. */
    public RollGanConfig withDrums(boolean withDrums) {
        return new RollGanConfig(noiseSize, generatorHidden, discriminatorEmbedding, discriminatorHidden,
                discriminatorLayers, discriminatorDense, generatorLearningRate, discriminatorLearningRate, batchSize,
                epochs, bars, featureMatching, modeSeeking, onsetStream, holdThreshold, timeScales, generatorAverage,
                densityMatch, controls, controlDropout, labels, withDrums, seed);
    }

    /**
     * The piano-roll GAN: four-bar phrases, feature matching, a discriminator learning 2x as fast as the generator
     * (at 4e-4 it sat at chance), outputs spread over the eighth and the beat (on piano-midi 70 % of the notes were
     * single sixteenths without; with, its phrases came nearest the real median on 5 of 6 statistics:
     * BENCHMARKS.md); no onset stream and no hysteresis (both measured worse there); the generator's weights
     * averaged over up to 200 steps (an epoch of piano-midi): without, one seed's served phrases were nearest the real
     * median on 5 statistics and another's on 3; with, three seeds' on 4 or 5, as diverse as the corpus's; the served
     * cells read at the corpus's density (averaged, they wrote 11.5-14.2 notes a bar against the real median 14.5,
     * and were inside the real spread on 5 of 6; matched, two seeds were inside on 6 of 6); conditioned on controls,
     * with half the phrases trained without them, as Performance RNN's optional conditioning (issue #26); no labels
     * until the corpus gives some ({@link #withLabels}); no drum track until the corpus has drums ({@link #withDrums}:
     * the trainer service sets it from the dataset's encoding).
     */
    public static RollGanConfig defaults() {
        // Without controls by default: conditioned on piano-midi in the main job (2026-12-07) the discriminator won
        // within two epochs (its loss 0.02, the samples' diversity stuck at 0.17); controls=true asks for them.
        return new RollGanConfig(128, List.of(512, 1024), 64, 128, 1, 128, 1e-3, 2e-3, 64, 20, 4, 1.0, 0.0, false,
                0.5, List.of(1, 2, 4), 0.995, true, false, 0.5, "", false, 42L);
    }

    /** Applies overrides by name (see {@link #KEYS}; lists such as {@code timeScales} as "1,2,4") to {@code base}. */
    public static RollGanConfig fromMap(Map<String, String> overrides, RollGanConfig base) {
        base = base == null ? defaults() : base;
        HyperParameters v = HyperParameters.of(overrides, KEYS, "piano-roll GAN");
        return new RollGanConfig(
                v.integer("noiseSize", base.noiseSize()),
                v.integerList("generatorHidden", base.generatorHidden()),
                v.integer("discriminatorEmbedding", base.discriminatorEmbedding()),
                v.integer("discriminatorHidden", base.discriminatorHidden()),
                v.integer("discriminatorLayers", base.discriminatorLayers()),
                v.integer("discriminatorDense", base.discriminatorDense()),
                v.decimal("generatorLearningRate", base.generatorLearningRate()),
                v.decimal("discriminatorLearningRate", base.discriminatorLearningRate()),
                v.integer("batchSize", base.batchSize()),
                v.integer("epochs", base.epochs()),
                v.integer("bars", base.bars()),
                v.decimal("featureMatching", base.featureMatching()),
                v.decimal("modeSeeking", base.modeSeeking()),
                v.bool("onsetStream", base.onsetStream()),
                v.decimal("holdThreshold", base.holdThreshold()),
                v.integerList("timeScales", base.timeScales()),
                v.decimal("generatorAverage", base.generatorAverage()),
                v.bool("densityMatch", base.densityMatch()),
                v.bool("controls", base.controls()),
                v.decimal("controlDropout", base.controlDropout()),
                v.string("labels", base.labels()),
                v.bool("drums", base.drums()),
                v.longValue("seed", base.seed()));
    }
}
