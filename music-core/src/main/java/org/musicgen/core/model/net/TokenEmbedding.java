package org.musicgen.core.model.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Integer token ids (batch, time) to dense vectors (batch, time, size): a trainable lookup table. With
 * {@code controlSize > 0} it reads a second input, the controls (batch, time, controlSize), and hands on each step's
 * vector followed by its controls; the table itself is the same either way.
 */
public final class TokenEmbedding extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int vocabularySize;
    private final int embeddingSize;
    private final int controlSize;
    private final Parameter weight;

    public TokenEmbedding(int vocabularySize, int embeddingSize) {
        this(vocabularySize, embeddingSize, 0);
    }

    public TokenEmbedding(int vocabularySize, int embeddingSize, int controlSize) {
        super(VERSION);
        this.vocabularySize = vocabularySize;
        this.embeddingSize = embeddingSize;
        this.controlSize = controlSize;
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, embeddingSize))
                .build());
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    /** Control values appended to every step's vector, 0 for none. */
    public int controlSize() {
        return controlSize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != (controlSize > 0 ? 2 : 1)) {
            throw new IllegalArgumentException("expected " + (controlSize > 0 ? "ids and controls" : "ids only")
                    + ", got " + inputs.size() + " inputs");
        }
        NDArray ids = inputs.get(0);
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, false);
        }
        NDArray w = store.getValue(weight, ids.getDevice(), training);
        NDList embedded = Embedding.embedding(ids, w, SparseFormat.DENSE);
        if (controlSize == 0) {
            return embedded;
        }
        return new NDList(embedded.singletonOrThrow().concat(inputs.get(1), -1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].addAll(new Shape(embeddingSize + controlSize))};
    }
}
