package org.musicgen.core.model.gan.roll;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Blocks in sequence that read {@code (input, condition)} and join the condition to the input of the blocks added with
 * {@link #addJoined}, as MidiNet conditions its layers: on the last axis, repeated over every frame of a
 * (batch, frames, n) input. Saved and loaded as a {@link SequentialBlock} of the same blocks.
 */
final class ConditionedSequence extends SequentialBlock {

    private final Set<Block> joined = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Adds a block whose input is joined with the condition. */
    ConditionedSequence addJoined(Block block) {
        add(block);
        joined.add(block);
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray condition = inputs.get(1);
        NDList x = new NDList(inputs.get(0));
        for (Block child : getChildren().values()) {
            if (joined.contains(child)) {
                x = new NDList(join(x.singletonOrThrow(), condition));
            }
            x = child.forward(store, x, training, params);
        }
        return x;
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = {inputShapes[0]};
        for (Block child : getChildren().values()) {
            if (joined.contains(child)) {
                shapes = new Shape[] {joined(shapes[0], inputShapes[1])};
            }
            child.initialize(manager, dataType, shapes);
            shapes = child.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = {inputShapes[0]};
        for (Block child : getChildren().values()) {
            if (joined.contains(child)) {
                shapes = new Shape[] {joined(shapes[0], inputShapes[1])};
            }
            shapes = child.getOutputShapes(shapes);
        }
        return shapes;
    }

    /** {@code input} (batch, n) or (batch, frames, n) with {@code condition} (batch, c) after its last axis. */
    static NDArray join(NDArray input, NDArray condition) {
        Shape shape = input.getShape();
        if (shape.dimension() == 2) {
            return input.concat(condition, 1);
        }
        NDArray everyFrame = condition.expandDims(1).broadcast(new Shape(shape.get(0), shape.get(1),
                condition.getShape().get(1)));
        return input.concat(everyFrame, 2);
    }

    private static Shape joined(Shape input, Shape condition) {
        long[] dims = input.getShape();
        dims[dims.length - 1] += condition.get(condition.dimension() - 1);
        return new Shape(dims);
    }
}
