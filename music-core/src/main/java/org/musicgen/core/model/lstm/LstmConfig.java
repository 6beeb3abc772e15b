package org.musicgen.core.model.lstm;

import org.musicgen.core.control.ControlSpace;
import org.musicgen.core.dataset.Augmentation;
import org.musicgen.core.model.HyperParameters;
import org.musicgen.core.model.ModelConfig;

import static org.musicgen.core.model.HyperParameters.requireRange;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

/**
 * Hyper-parameters of the next-token LSTM. Every value is validated here; the messages are meant to be
 * shown to a user (a service turns the {@link IllegalArgumentException} into a 400 response).
 *
 * <p>{@code sequenceLength} is the length of the training sequences: the model reads the first
 * {@code sequenceLength - 1} tokens of a sequence and predicts the next token at every position (or,
 * with {@code predictLastOnly}, only the token after that window).
 *
 * @param embeddingSize size of the token embedding
 * @param hiddenSize LSTM state size per layer
 * @param layers number of stacked LSTM layers
 * @param dropout dropout between LSTM layers, in [0, 1)
 * @param denseSize size of an extra fully connected ReLU layer before the output layer, 0 for none
 * @param learningRate peak learning rate
 * @param batchSize sequences per optimisation step
 * @param epochs passes over the training set
 * @param gradientClip maximum global L2 norm of the gradient, 0 for no clipping
 * @param optimizer "adam", "sgd" or "rmsprop"
 * @param lrSchedule "constant", "cosine" or "step"
 * @param warmupSteps linear warm-up steps before the schedule, 0 for none
 * @param weightDecay L2 weight decay, 0 for none
 * @param predictLastOnly train only on the token after the window (the reference study) instead of every position
 * @param sequenceLength length of the training sequences (window + 1)
 * @param seed seed of the parameter initialisation and of the data shuffling
 * @param controls read controls (key, density, label) at every step beside the token: see {@link LstmModel}
 * @param controlDropout share of training windows that see no controls at all, so that the model also writes without
 *                       them; of the others, each control group is dropped alone with a fifth of this share
 * @param labels the corpus's labels the model knows, joined by {@code |} (set from the dataset, not by users)
 * @param transposeSemitones training pieces move by up to this many semitones each epoch, 0 for none
 * @param timeStretch training pieces' times scale by up to this share each epoch, 0 for none
 */
public record LstmConfig(
        int embeddingSize,
        int hiddenSize,
        int layers,
        double dropout,
        int denseSize,
        double learningRate,
        int batchSize,
        int epochs,
        double gradientClip,
        String optimizer,
        String lrSchedule,
        int warmupSteps,
        double weightDecay,
        boolean predictLastOnly,
        int sequenceLength,
        long seed,
        boolean controls,
        double controlDropout,
        String labels,
        int transposeSemitones,
        double timeStretch) implements ModelConfig {

    public static final Set<String> OPTIMIZERS = Set.of("adam", "sgd", "rmsprop");
    public static final Set<String> SCHEDULES = Set.of("constant", "cosine", "step");

    public LstmConfig {
        requireRange("embeddingSize", embeddingSize, 1, 4096);
        requireRange("hiddenSize", hiddenSize, 1, 8192);
        requireRange("layers", layers, 1, 16);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        requireRange("denseSize", denseSize, 0, 8192);
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new IllegalArgumentException("learningRate must be in (0, 10], got " + learningRate);
        }
        requireRange("batchSize", batchSize, 1, 65536);
        requireRange("epochs", epochs, 1, 100000);
        if (!(gradientClip >= 0 && Double.isFinite(gradientClip))) {
            throw new IllegalArgumentException("gradientClip must be >= 0 (0 disables clipping), got " + gradientClip);
        }
        optimizer = optimizer == null ? null : optimizer.trim().toLowerCase(Locale.ROOT);
        if (optimizer == null || !OPTIMIZERS.contains(optimizer)) {
            throw new IllegalArgumentException("optimizer must be one of adam, sgd, rmsprop, got " + optimizer);
        }
        lrSchedule = lrSchedule == null ? null : lrSchedule.trim().toLowerCase(Locale.ROOT);
        if (lrSchedule == null || !SCHEDULES.contains(lrSchedule)) {
            throw new IllegalArgumentException("lrSchedule must be one of constant, cosine, step, got " + lrSchedule);
        }
        requireRange("warmupSteps", warmupSteps, 0, 10_000_000);
        if (!(weightDecay >= 0 && weightDecay < 1)) {
            throw new IllegalArgumentException("weightDecay must be in [0, 1), got " + weightDecay);
        }
        requireRange("sequenceLength", sequenceLength, 2, 100_000);
        if (!(controlDropout >= 0 && controlDropout <= 1)) {
            throw new IllegalArgumentException("controlDropout must be in [0, 1], got " + controlDropout);
        }
        labels = labels == null ? "" : labels;
        ControlSpace.ofStored(labels); // validates the labels
        augmentation(transposeSemitones, timeStretch); // validates both
    }

    private static Augmentation augmentation(int transposeSemitones, double timeStretch) {
        return new Augmentation(transposeSemitones, timeStretch);
    }

    /** How training pieces are transposed and stretched each epoch. */
    public Augmentation augmentation() {
        return augmentation(transposeSemitones, timeStretch);
    }

    /** A model that reads no controls, as every model did before controls existed. */
    public LstmConfig(int embeddingSize, int hiddenSize, int layers, double dropout, int denseSize,
                      double learningRate, int batchSize, int epochs, double gradientClip, String optimizer,
                      String lrSchedule, int warmupSteps, double weightDecay, boolean predictLastOnly,
                      int sequenceLength, long seed) {
        this(embeddingSize, hiddenSize, layers, dropout, denseSize, learningRate, batchSize, epochs, gradientClip,
                optimizer, lrSchedule, warmupSteps, weightDecay, predictLastOnly, sequenceLength, seed, false, 0.5,
                "", 0, 0.0);
    }

    /** The default next-event model: learns the synthetic corpus in minutes and real piano in tens of minutes on 2 CPU cores. */
    public static LstmConfig defaults() {
        // Sized for 10-20 CPU minutes on real piano (1.8 M performance events): about 0.6 M parameters want about
        // 10 M training tokens, what 2 cores process in that time; batches of 32 keep the matrix products efficient.
        return new LstmConfig(64, 192, 2, 0.1, 0, 1e-2, 32, 40, 1.0, "adam", "cosine", 20, 0.0, false, 100, 42L,
                true, 0.5, "", 0, 0.0);
    }

    /**
     * The reference study's shape: 3 LSTM layers of 512, a dense 256 layer, predicting only the token after a
     * 100-token window (sequences of 101 tokens).
     */
    public static LstmConfig studyPreset() {
        return new LstmConfig(64, 512, 3, 0.3, 256, 1e-3, 64, 10, 0.0, "rmsprop", "constant", 0, 0.0, true, 101, 42L);
    }

    /** Names accepted by {@link #fromMap(Map, LstmConfig)}. */
    public static final Set<String> KEYS = Set.of("embeddingSize", "hiddenSize", "layers", "dropout", "denseSize",
            "learningRate", "batchSize", "epochs", "gradientClip", "optimizer", "lrSchedule", "warmupSteps",
            "weightDecay", "predictLastOnly", "sequenceLength", "seed", "controls", "controlDropout", "labels",
            "transposeSemitones", "timeStretch");

    /**
     * Applies user overrides by name (see {@link #KEYS}) on top of {@code base}.
     *
     * @throws IllegalArgumentException for an unknown name, an unparsable value or an invalid result
     */
    public static LstmConfig fromMap(Map<String, String> overrides, LstmConfig base) {
        base = base == null ? defaults() : base;
        HyperParameters v = HyperParameters.of(overrides, KEYS, "LSTM");
        return new LstmConfig(
                v.integer("embeddingSize", base.embeddingSize()),
                v.integer("hiddenSize", base.hiddenSize()),
                v.integer("layers", base.layers()),
                v.decimal("dropout", base.dropout()),
                v.integer("denseSize", base.denseSize()),
                v.decimal("learningRate", base.learningRate()),
                v.integer("batchSize", base.batchSize()),
                v.integer("epochs", base.epochs()),
                v.decimal("gradientClip", base.gradientClip()),
                v.string("optimizer", base.optimizer()),
                v.string("lrSchedule", base.lrSchedule()),
                v.integer("warmupSteps", base.warmupSteps()),
                v.decimal("weightDecay", base.weightDecay()),
                v.bool("predictLastOnly", base.predictLastOnly()),
                v.integer("sequenceLength", base.sequenceLength()),
                v.longValue("seed", base.seed()),
                v.bool("controls", base.controls()),
                v.decimal("controlDropout", base.controlDropout()),
                v.string("labels", base.labels()),
                v.integer("transposeSemitones", base.transposeSemitones()),
                v.decimal("timeStretch", base.timeStretch()));
    }

    /** How the model reads controls, or empty for a model that reads none. */
    public Optional<ControlSpace> controlSpace() {
        return controls ? Optional.of(ControlSpace.ofStored(labels)) : Optional.empty();
    }

    /** Returns a copy with another number of epochs. */
    public LstmConfig withEpochs(int newEpochs) {
        return new LstmConfig(embeddingSize, hiddenSize, layers, dropout, denseSize, learningRate, batchSize,
                newEpochs, gradientClip, optimizer, lrSchedule, warmupSteps, weightDecay, predictLastOnly,
                sequenceLength, seed, controls, controlDropout, labels, transposeSemitones, timeStretch);
    }

    /** Returns a copy with another sequence length. */
    public LstmConfig withSequenceLength(int newLength) {
        return new LstmConfig(embeddingSize, hiddenSize, layers, dropout, denseSize, learningRate, batchSize,
                epochs, gradientClip, optimizer, lrSchedule, warmupSteps, weightDecay, predictLastOnly,
                newLength, seed, controls, controlDropout, labels, transposeSemitones, timeStretch);
    }

    /**
     * Returns a copy that knows the corpus's {@code labels}; a model that reads no controls stays as it is (labels
     * without controls would mean nothing).
     */
    public LstmConfig withLabels(List<String> corpusLabels) {
        if (!controls) {
            return this;
        }
        return new LstmConfig(embeddingSize, hiddenSize, layers, dropout, denseSize, learningRate, batchSize,
                epochs, gradientClip, optimizer, lrSchedule, warmupSteps, weightDecay, predictLastOnly,
                sequenceLength, seed, true, controlDropout, new ControlSpace(corpusLabels).stored(),
                transposeSemitones, timeStretch);
    }

    /** Returns a copy that reads controls and knows {@code corpusLabels}. */
    public LstmConfig withControls(List<String> corpusLabels) {
        return new LstmConfig(embeddingSize, hiddenSize, layers, dropout, denseSize, learningRate, batchSize,
                epochs, gradientClip, optimizer, lrSchedule, warmupSteps, weightDecay, predictLastOnly,
                sequenceLength, seed, true, controlDropout, new ControlSpace(corpusLabels).stored(),
                transposeSemitones, timeStretch);
    }
}
