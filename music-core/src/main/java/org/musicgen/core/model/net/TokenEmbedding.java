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

/** Integer token ids (batch, time) to dense vectors (batch, time, size): a trainable lookup table. */
public final class TokenEmbedding extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int vocabularySize;
    private final int embeddingSize;
    private final Parameter weight;

    public TokenEmbedding(int vocabularySize, int embeddingSize) {
        super(VERSION);
        this.vocabularySize = vocabularySize;
        this.embeddingSize = embeddingSize;
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, embeddingSize))
                .build());
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, false);
        }
        NDArray w = store.getValue(weight, ids.getDevice(), training);
        return Embedding.embedding(ids, w, SparseFormat.DENSE);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].addAll(new Shape(embeddingSize))};
    }
}
