package org.musicgen.core.model.lstm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.musicgen.core.model.net.TokenEmbedding;

/**
 * The network of an LSTM that reads controls: the controls join each step's embedding (the LSTM's input) and again the
 * output layer's input, beside the LSTM's (or the dense layer's) output. The second join gives the controls a direct
 * path to the next event's logits: at the start of a sequence, where no context tells the key yet, a model trained
 * for minutes already writes its first notes in the key asked, and the LSTM then carries that key on.
 *
 * <p>Children in order: embedding, LSTM, the optional dense layer, the output layer.
 */
public final class ControlledLstmBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int controlSize;
    private final int vocabularySize;
    private final TokenEmbedding embedding;
    private final LSTM lstm;
    private final Linear dense;
    private final Linear output;

    ControlledLstmBlock(LstmConfig config, int vocabularySize, int controlSize) {
        super(VERSION);
        this.controlSize = controlSize;
        this.vocabularySize = vocabularySize;
        this.embedding = addChildBlock("embedding",
                new TokenEmbedding(vocabularySize, config.embeddingSize(), controlSize));
        this.lstm = addChildBlock("lstm", LSTM.builder()
                .setStateSize(config.hiddenSize())
                .setNumLayers(config.layers())
                .optDropRate((float) config.dropout())
                .optBatchFirst(true)
                .optReturnState(false)
                .build());
        this.dense = config.denseSize() > 0
                ? addChildBlock("dense", Linear.builder().setUnits(config.denseSize()).build()) : null;
        this.output = addChildBlock("output", Linear.builder().setUnits(vocabularySize).build());
    }

    public int controlSize() {
        return controlSize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray controls = inputs.get(1);
        NDList x = embedding.forward(store, inputs, training);
        NDArray h = lstm.forward(store, x, training).singletonOrThrow();
        if (dense != null) {
            h = Activation.relu(dense.forward(store, new NDList(h), training).singletonOrThrow());
        }
        return output.forward(store, new NDList(h.concat(controls, -1)), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] embedded = embedding.getOutputShapes(inputShapes);
        embedding.initialize(manager, dataType, inputShapes);
        lstm.initialize(manager, dataType, embedded);
        Shape h = lstm.getOutputShapes(embedded)[0];
        if (dense != null) {
            dense.initialize(manager, dataType, h);
            h = dense.getOutputShapes(new Shape[] {h})[0];
        }
        Shape joined = h.slice(0, h.dimension() - 1).add(h.get(h.dimension() - 1) + controlSize);
        output.initialize(manager, dataType, joined);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(vocabularySize)};
    }
}
