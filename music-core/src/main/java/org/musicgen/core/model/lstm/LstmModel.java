package org.musicgen.core.model.lstm;

import org.musicgen.core.control.ControlSpace;
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
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * Next-token LSTM language model over integer tokens: embedding, stacked LSTM, optional dense ReLU layer and a
 * linear layer to vocabulary logits. Owns its {@link NDManager}; close it when done.
 *
 * <p>A model with {@link LstmConfig#controls()} reads, at every step, the controls of the music ahead (pitch
 * classes, notes per second, label: {@link ControlSpace}) concatenated to the token's embedding, as Performance RNN
 * joins its density and histogram to each event. Per-step concatenation rather than DeepJ's per-layer style
 * embedding: our controls change along a piece (the key and the density of the next five seconds), which a vector
 * per step carries directly; the first layer's gates see them at every step and pass what matters up through the
 * stack, and a constant label costs the same as in DeepJ's scheme (one column of input weights per label). With all
 * controls zero (dropped in training for a share of windows) it is an unconditioned model.
 */
public final class LstmModel implements AutoCloseable {
    private final LstmConfig config;
    private final int vocabularySize;
    private final Device device;
    private final NDManager manager;
    private final AbstractBlock block;
    private final int controlSize;

    private LstmModel(LstmConfig config, int vocabularySize, Device device) {
        this.config = Objects.requireNonNull(config, "config");
        if (vocabularySize < 2) {
            throw new IllegalArgumentException("vocabularySize must be at least 2, got " + vocabularySize);
        }
        this.vocabularySize = vocabularySize;
        this.device = device == null ? Device.cpu() : device;
        this.manager = NDManager.newBaseManager(this.device);
        this.controlSize = config.controlSpace().map(ControlSpace::size).orElse(0);
        this.block = controlSize > 0 ? new ControlledLstmBlock(config, vocabularySize, controlSize)
                : unconditioned(config, vocabularySize);
        try {
            if (controlSize > 0) {
                block.initialize(manager, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2, controlSize));
            } else {
                block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            }
            Initialisers.initialise(block, new Random(config.seed()));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The network of a model without controls, in the layout every checkpoint before controls has. */
    private static SequentialBlock unconditioned(LstmConfig config, int vocabularySize) {
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
        return b;
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
    public AbstractBlock block() {
        return block;
    }

    /** Native arrays the model holds now: constant across epochs unless something leaks. */
    public int nativeArrayCount() {
        return manager.getManagedArrays().size();
    }

    NDManager manager() {
        return manager;
    }

    /** How it reads controls, or empty for a model that reads none. */
    public Optional<ControlSpace> controlSpace() {
        return config.controlSpace();
    }

    /** Control values per step, 0 for a model that reads none. */
    public int controlSize() {
        return controlSize;
    }

    /**
     * Logits (batch, time, vocabulary) for token ids (batch, time) and, for a model that reads them, the controls
     * (batch, time, {@link #controlSize()}); null controls are all zero (none).
     */
    NDArray forward(ParameterStore store, NDArray tokens, NDArray controls, boolean training) {
        NDList in = new NDList(tokens);
        if (controlSize > 0) {
            in.add(controls != null ? controls
                    : tokens.getManager().zeros(new Shape(tokens.getShape().get(0), tokens.getShape().get(1),
                    controlSize)));
        }
        return block.forward(store, in, training).singletonOrThrow();
    }

    /**
     * Logits of the token following {@code context}; only the last {@link #contextWindow()} tokens are read.
     */
    public float[] logitsNext(int[] context) {
        return logitsNext(new int[][] {context})[0];
    }

    /** Logits of the next token for each context of a batch (all contexts of the same length). */
    public float[][] logitsNext(int[][] contexts) {
        return logitsNext(contexts, null);
    }

    /**
     * As {@link #logitsNext(int[][])}, every step of every context read under {@code controls} (a vector of this
     * model's {@link ControlSpace}; null for none).
     */
    public float[][] logitsNext(int[][] contexts, float[] controls) {
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
            NDArray steps = null;
            if (controls != null) {
                if (controls.length != controlSize) {
                    throw new IllegalArgumentException("this model reads " + controlSize + " control values, got "
                            + controls.length);
                }
                float[] repeated = new float[contexts.length * window * controlSize];
                for (int i = 0; i < contexts.length * window; i++) {
                    System.arraycopy(controls, 0, repeated, i * controlSize, controlSize);
                }
                steps = scope.create(repeated, new Shape(contexts.length, window, controlSize));
            }
            NDArray logits = forward(store, tokens, steps, false);
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
        double in = config.embeddingSize() + controlSize;
        for (int l = 0; l < config.layers(); l++) {
            flops += 2 * 4 * h * (in + h) + 4 * 4 * h; // gate matmuls + gate nonlinearities/elementwise
            in = h;
        }
        if (config.denseSize() > 0) {
            flops += 2 * in * config.denseSize();
            in = config.denseSize();
        }
        in += controlSize; // a model with controls reads them again in its output layer
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
