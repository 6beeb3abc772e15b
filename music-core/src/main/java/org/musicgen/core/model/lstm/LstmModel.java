package org.musicgen.core.model.lstm;

import org.musicgen.core.model.net.GradMode;
import org.musicgen.core.model.net.Initialisers;
import org.musicgen.core.model.net.ParameterBytes;
import org.musicgen.core.model.net.TokenEmbedding;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import java.util.Random;

/**
 * Next-token LSTM language model over integer tokens: embedding, stacked LSTM, optional dense ReLU layer and a
 * linear layer to vocabulary logits. Owns its {@link NDManager}; close it when done.
 */
public final class LstmModel implements AutoCloseable {
    private final LstmConfig config;
    private final int vocabularySize;
    private final Device device;
    private final NDManager manager;
    private final SequentialBlock block;

    private LstmModel(LstmConfig config, int vocabularySize, Device device) {
        this.config = Objects.requireNonNull(config, "config");
        if (vocabularySize < 2) {
            throw new IllegalArgumentException("vocabularySize must be at least 2, got " + vocabularySize);
        }
        this.vocabularySize = vocabularySize;
        this.device = device == null ? Device.cpu() : device;
        this.manager = NDManager.newBaseManager(this.device);
        SequentialBlock b = new SequentialBlock();
        b.add(new TokenEmbedding(vocabularySize, config.embeddingSize()));
        b.add(LSTM.builder()
                .setStateSize(config.hiddenSize())
                .setNumLayers(config.layers())
                .optDropRate((float) config.dropout())
                .optBatchFirst(true)
                .optReturnState(false)
                .build());
        if (config.denseSize() > 0) {
            b.add(Linear.builder().setUnits(config.denseSize()).build());
            b.add(Activation.reluBlock());
        }
        b.add(Linear.builder().setUnits(vocabularySize).build());
        this.block = b;
        try {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            Initialisers.initialise(block, new Random(config.seed()));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A freshly initialised model; the same config (seed) gives the same parameters. */
    public static LstmModel create(LstmConfig config, int vocabularySize, Device device) {
        return new LstmModel(config, vocabularySize, device);
    }

    /** A model with the given saved parameters (from {@link #saveParameters()}). */
    public static LstmModel load(LstmConfig config, int vocabularySize, Device device, byte[] parameters) {
        return ParameterBytes.loadedOrClosed(new LstmModel(config, vocabularySize, device),
                model -> model.loadParameters(parameters));
    }

    public LstmConfig config() {
        return config;
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    public Device device() {
        return device;
    }

    /** Tokens the model reads before predicting: {@code sequenceLength - 1}. */
    public int contextWindow() {
        return config.sequenceLength() - 1;
    }

    /** The network, for readers of its weights such as the plain-Java inference step; not for training. */
    public SequentialBlock block() {
        return block;
    }

    /** Native arrays the model holds now: constant across epochs unless something leaks. */
    public int nativeArrayCount() {
        return manager.getManagedArrays().size();
    }

    NDManager manager() {
        return manager;
    }

    /** Logits (batch, time, vocabulary) for token ids (batch, time). */
    NDArray forward(ParameterStore store, NDArray tokens, boolean training) {
        NDList out = block.forward(store, new NDList(tokens), training);
        return out.singletonOrThrow();
    }

    /**
     * Logits of the token following {@code context}; only the last {@link #contextWindow()} tokens are read.
     */
    public float[] logitsNext(int[] context) {
        return logitsNext(new int[][] {context})[0];
    }

    /** Logits of the next token for each context of a batch (all contexts of the same length). */
    public float[][] logitsNext(int[][] contexts) {
        GradMode.off();
        if (contexts.length == 0) {
            return new float[0][];
        }
        int len = contexts[0].length;
        if (len == 0) {
            throw new IllegalArgumentException("context must hold at least one token");
        }
        int window = Math.min(len, contextWindow());
        long[] ids = new long[contexts.length * window];
        for (int b = 0; b < contexts.length; b++) {
            if (contexts[b].length != len) {
                throw new IllegalArgumentException("all contexts of a batch must have the same length");
            }
            for (int t = 0; t < window; t++) {
                int id = contexts[b][len - window + t];
                if (id < 0 || id >= vocabularySize) {
                    throw new IllegalArgumentException("token " + id + " outside vocabulary [0, " + vocabularySize + ")");
                }
                ids[b * window + t] = id;
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray tokens = scope.create(ids, new Shape(contexts.length, window));
            ParameterStore store = new ParameterStore(scope, false);
            NDArray logits = forward(store, tokens, false);
            NDArray last = logits.get(":, -1, :");
            float[] flat = last.toFloatArray();
            float[][] out = new float[contexts.length][vocabularySize];
            for (int b = 0; b < contexts.length; b++) {
                System.arraycopy(flat, b * vocabularySize, out[b], 0, vocabularySize);
            }
            return out;
        }
    }


    public byte[] saveParameters() {
        return ParameterBytes.save(block);
    }

    public void loadParameters(byte[] parameters) {
        ParameterBytes.load(manager, parameters, block);
    }

    public long parameterCount() {
        return ParameterBytes.parameterCount(block);
    }

    /** Approximate forward floating-point operations per token (2 per multiply-add). */
    public double flopsPerToken() {
        double h = config.hiddenSize();
        double flops = 0;
        double in = config.embeddingSize();
        for (int l = 0; l < config.layers(); l++) {
            flops += 2 * 4 * h * (in + h) + 4 * 4 * h; // gate matmuls + gate nonlinearities/elementwise
            in = h;
        }
        if (config.denseSize() > 0) {
            flops += 2 * in * config.denseSize();
            in = config.denseSize();
        }
        flops += 2 * in * vocabularySize;
        return flops;
    }

    /** Approximate training FLOPs per token (forward + backward, about 3x forward). */
    public double trainingFlopsPerToken() {
        return 3 * flopsPerToken();
    }

    @Override
    public void close() {
        manager.close();
    }
}
