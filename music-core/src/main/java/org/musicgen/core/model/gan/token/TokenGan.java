package org.musicgen.core.model.gan.token;

import org.musicgen.core.model.net.GradMode;
import org.musicgen.core.model.generate.SamplingParams;
import org.musicgen.core.model.generate.TokenSampler;
import org.musicgen.core.model.net.Initialisers;
import org.musicgen.core.model.net.ParameterBytes;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import java.util.Random;

/**
 * Sequence GAN over integer tokens. Generator: fully connected layers from noise to per-step vocabulary logits
 * (gumbel formulation) or to one tanh value per step (study formulation). Discriminator: a per-step linear
 * projection of the (soft) one-hot input (or of the scalar value), an LSTM, mean over time, a fully connected
 * LeakyReLU layer and one logit. Owns its {@link NDManager}; close it when done.
 */
public final class TokenGan implements AutoCloseable {
    /** Features per step before the shared step-to-vocabulary layer of the Gumbel generator. */
    static final int STEP_FEATURES = 64;
    private final TokenGanConfig config;
    private final int vocabularySize;
    private final Device device;
    private final NDManager manager;
    private final SequentialBlock generator;
    private final SequentialBlock discriminator;

    private TokenGan(TokenGanConfig config, int vocabularySize, Device device) {
        this.config = Objects.requireNonNull(config, "config");
        if (vocabularySize < 3) {
            throw new IllegalArgumentException("vocabularySize must be at least 3, got " + vocabularySize);
        }
        this.vocabularySize = vocabularySize;
        this.device = device == null ? Device.cpu() : device;
        this.manager = NDManager.newBaseManager(this.device);
        int steps = config.sequenceLength();
        generator = new SequentialBlock();
        for (int h : config.generatorHidden()) {
            generator.add(Linear.builder().setUnits(h).build());
            generator.add(Activation.leakyReluBlock(0.2f));
        }
        if (config.studyFormulation()) {
            generator.add(Linear.builder().setUnits(steps).build());
            generator.add(Activation.tanhBlock());
        } else {
            // Each step gets a small feature vector, turned into vocabulary logits by one dense layer shared
            // by all steps: far fewer parameters than a dense layer to steps x vocabulary, and every step
            // learns from the same token statistics.
            generator.add(Linear.builder().setUnits((long) steps * STEP_FEATURES).build());
            generator.add(new LambdaBlock(list -> new NDList(
                    list.singletonOrThrow().reshape(-1, steps, STEP_FEATURES))));
            generator.add(Activation.leakyReluBlock(0.2f));
            generator.add(Linear.builder().setUnits(vocabularySize).build());
        }
        discriminator = new SequentialBlock();
        discriminator.add(Linear.builder().setUnits(config.discriminatorEmbedding()).optBias(false).build());
        discriminator.add(LSTM.builder()
                .setStateSize(config.discriminatorHidden())
                .setNumLayers(config.discriminatorLayers())
                .optBatchFirst(true)
                .build());
        discriminator.add(new LambdaBlock(list -> new NDList(list.singletonOrThrow().mean(new int[] {1}))));
        discriminator.add(Linear.builder().setUnits(config.discriminatorDense()).build());
        discriminator.add(Activation.leakyReluBlock(0.2f));
        discriminator.add(Linear.builder().setUnits(1).build());
        try {
            generator.initialize(manager, DataType.FLOAT32, new Shape(1, config.noiseSize()));
            discriminator.initialize(manager, DataType.FLOAT32, new Shape(1, steps, channels()));
            Random random = new Random(config.seed());
            Initialisers.initialise(generator, random);
            Initialisers.initialise(discriminator, random);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public static TokenGan create(TokenGanConfig config, int vocabularySize, Device device) {
        return new TokenGan(config, vocabularySize, device);
    }

    public static TokenGan load(TokenGanConfig config, int vocabularySize, Device device, byte[] parameters) {
        return ParameterBytes.loadedOrClosed(new TokenGan(config, vocabularySize, device),
                model -> model.loadParameters(parameters));
    }

    /** Discriminator input channels per step: the vocabulary (one-hot) or 1 (study's scalar). */
    int channels() {
        return config.studyFormulation() ? 1 : vocabularySize;
    }

    public TokenGanConfig config() {
        return config;
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    public Device device() {
        return device;
    }

    SequentialBlock generator() {
        return generator;
    }

    SequentialBlock discriminator() {
        return discriminator;
    }

    /** Native arrays the model holds now: constant across epochs unless something leaks. */
    public int nativeArrayCount() {
        return manager.getManagedArrays().size();
    }

    NDManager manager() {
        return manager;
    }

    /** Generator output: logits (batch, steps, vocabulary) or values (batch, steps, 1) in [-1, 1]. */
    NDArray generate(ParameterStore store, NDArray noise, boolean training) {
        NDArray out = generator.forward(store, new NDList(noise), training).singletonOrThrow();
        return out.reshape(noise.getShape().get(0), config.sequenceLength(), config.studyFormulation() ? 1 : vocabularySize);
    }

    /** Discriminator logit (batch, 1) for inputs (batch, steps, channels). */
    NDArray discriminate(ParameterStore store, NDArray input, boolean training) {
        return discriminator.forward(store, new NDList(input), training).singletonOrThrow();
    }

    /** Study formulation: token id to its value in [-1, 1] (ids 0 and 1 share -1). */
    float toValue(int token) {
        int id = Math.max(1, token);
        return 2f * (id - 1) / (vocabularySize - 2) - 1f;
    }

    /** Study formulation: value in [-1, 1] to the nearest token id in [1, vocabularySize). */
    int toToken(float value) {
        float v = Float.isNaN(value) ? 0f : Math.max(-1f, Math.min(1f, value));
        return 1 + Math.round((v + 1f) / 2f * (vocabularySize - 2));
    }

    /** Discriminator input for real sequences: one-hot (gumbel) or scaled values (study). */
    NDArray realInput(NDManager scope, int[][] sequences) {
        int b = sequences.length;
        int t = config.sequenceLength();
        if (config.studyFormulation()) {
            float[] values = new float[b * t];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    values[i * t + j] = toValue(sequences[i][j]);
                }
            }
            return scope.create(values, new Shape(b, t, 1));
        }
        long[] ids = new long[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = sequences[i][j];
            }
        }
        return scope.create(ids, new Shape(b, t)).oneHot(vocabularySize, DataType.FLOAT32);
    }

    /**
     * {@code count} discrete sequences from noise drawn with {@code noiseSeed}: deterministic for a seed. Gumbel
     * formulation: each step is drawn from the generator's softmax (never the unknown token 0) with the same seeded
     * random source; study formulation: values mapped to token ids.
     */
    public int[][] sample(long noiseSeed, int count) {
        GradMode.off();
        if (count < 0 || count > 100_000) {
            throw new IllegalArgumentException("count must be in [0, 100000], got " + count);
        }
        Random random = new Random(noiseSeed);
        int t = config.sequenceLength();
        int[][] out = new int[count][t];
        if (count == 0) {
            return out;
        }
        float[] noise = new float[count * config.noiseSize()];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDArray z = scope.create(noise, new Shape(count, config.noiseSize()));
            NDArray g = generate(store, z, false);
            float[] flat = g.toFloatArray();
            if (config.studyFormulation()) {
                for (int i = 0; i < count; i++) {
                    for (int j = 0; j < t; j++) {
                        out[i][j] = toToken(flat[i * t + j]);
                    }
                }
            } else {
                SamplingParams params = new SamplingParams(1.0, 0, 1.0, noiseSeed);
                float[] logits = new float[vocabularySize];
                for (int i = 0; i < count; i++) {
                    for (int j = 0; j < t; j++) {
                        System.arraycopy(flat, (i * t + j) * vocabularySize, logits, 0, vocabularySize);
                        out[i][j] = TokenSampler.sample(logits, params, random);
                    }
                }
            }
        }
        return out;
    }

    /** Generator and discriminator parameters, in that order. */
    public byte[] saveParameters() {
        return ParameterBytes.save(generator, discriminator);
    }

    public void loadParameters(byte[] parameters) {
        ParameterBytes.load(manager, parameters, generator, discriminator);
    }

    public long parameterCount() {
        return ParameterBytes.parameterCount(generator) + ParameterBytes.parameterCount(discriminator);
    }

    @Override
    public void close() {
        manager.close();
    }
}
