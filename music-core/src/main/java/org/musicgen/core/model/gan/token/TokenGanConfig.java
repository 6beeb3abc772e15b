package org.musicgen.core.model.gan.token;

import org.musicgen.core.model.HyperParameters;
import org.musicgen.core.model.ModelConfig;
import org.musicgen.core.model.gan.GanNetworks;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.musicgen.core.model.HyperParameters.requireRange;

/**
 * Hyper-parameters of the token GAN, which writes windows of the corpus's tokens.
 *
 * <p>Formulations: {@code "gumbel"} - the generator emits per-step vocabulary logits; during training a
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
 * @param seed seed of the parameter initialisation and of the training noise order
 */
public record TokenGanConfig(
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
        long seed) implements ModelConfig {

    public static final Set<String> FORMULATIONS = Set.of("gumbel", "study");

    /** Names accepted by {@link #fromMap}. */
    public static final Set<String> KEYS = Set.of("noiseSize", "generatorHidden", "discriminatorEmbedding", "discriminatorHidden", "discriminatorLayers", "discriminatorDense", "generatorLearningRate", "discriminatorLearningRate", "batchSize", "epochs", "formulation", "gumbelTemperature", "gumbelTemperatureMin", "gumbelAnneal", "straightThrough", "sequenceLength", "seed");

    public TokenGanConfig {
        generatorHidden = GanNetworks.check(noiseSize, generatorHidden, discriminatorEmbedding, discriminatorHidden,
                discriminatorLayers, discriminatorDense, generatorLearningRate, discriminatorLearningRate, batchSize,
                epochs);
        formulation = formulation == null ? null : formulation.trim().toLowerCase(Locale.ROOT);
        if (formulation == null || !FORMULATIONS.contains(formulation)) {
            throw new IllegalArgumentException("formulation must be gumbel or study for the token GAN, got "
                    + formulation);
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
        requireRange("sequenceLength", sequenceLength, 1, 100_000);
    }

    /** A Gumbel-softmax over the corpus's vocabulary, trained on its token windows. */
    public static TokenGanConfig defaults() {
        // Straight-through samples: with soft ones the discriminator tells real from fake by softness alone.
        // A slower discriminator keeps it from overpowering the generator within a few epochs.
        return new TokenGanConfig(64, List.of(256, 512), 32, 128, 1, 64, 1e-3, 4e-4, 32, 20, "gumbel", 1.0, 0.2, 0.9,
                true, 100, 42L);
    }

    /** The reference study's formulation: continuous tanh output per step, larger networks. */
    public static TokenGanConfig studyPreset() {
        return new TokenGanConfig(100, List.of(256, 512, 1024), 32, 512, 1, 256, 2e-4, 2e-4, 32, 20, "study", 1.0,
                1.0, 1.0, false, 100, 42L);
    }

    /** Applies overrides by name (see {@link #KEYS}; lists such as {@code generatorHidden} as "256,512") to {@code base}. */
    public static TokenGanConfig fromMap(Map<String, String> overrides, TokenGanConfig base) {
        base = base == null ? defaults() : base;
        HyperParameters v = HyperParameters.of(overrides, KEYS, "token GAN");
        return new TokenGanConfig(
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
                v.string("formulation", base.formulation()),
                v.decimal("gumbelTemperature", base.gumbelTemperature()),
                v.decimal("gumbelTemperatureMin", base.gumbelTemperatureMin()),
                v.decimal("gumbelAnneal", base.gumbelAnneal()),
                v.bool("straightThrough", base.straightThrough()),
                v.integer("sequenceLength", base.sequenceLength()),
                v.longValue("seed", base.seed()));
    }

    /** Gumbel temperature used during the given 1-based epoch. */
    public double temperatureAt(int epoch) {
        return Math.max(gumbelTemperatureMin, gumbelTemperature * Math.pow(gumbelAnneal, Math.max(0, epoch - 1)));
    }

    /** Whether it writes one continuous value per step (the study's) rather than a softmax over the vocabulary. */
    public boolean studyFormulation() {
        return formulation.equals("study");
    }

    /** Returns a copy for windows of another length (the dataset fixes it). */
    public TokenGanConfig withSequenceLength(int length) {
        return fromMap(Map.of("sequenceLength", Integer.toString(length)), this);
    }
}
