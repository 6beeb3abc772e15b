package org.musicgen.core.model.lstm;

import org.musicgen.core.model.generate.LstmInference;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@link LstmModel} one step at a time, carrying the LSTM's hidden and cell states between calls: the
 * prompt is read once by {@link #start}, then every {@link #step} reads one token per row and costs the same
 * however long the sequence already is. {@link LstmModel#logitsNext} instead re-reads the whole context window for
 * every token. Generation runs on {@link LstmInference}, the same step in plain Java (the native engine's call
 * overhead dwarfs the arithmetic of one step); this stepper is the engine's reference it is tested against.
 *
 * <p>The model's LSTM is built with {@code returnState = false}, which drops the final states, so the stepper
 * holds a second LSTM with the same settings that returns them, and copies the model's LSTM weights into it when
 * it is created (a snapshot: create a new stepper after training on or loading other parameters). The embedding
 * and output layers are the model's own and are read at every step.
 *
 * <p>Rows of a batch are independent sequences advancing together. All native memory lives in a sub-manager of
 * the model's manager: the LSTM copy and the two state arrays; each call frees its temporaries, so the memory
 * held does not grow with the number of steps. Not thread-safe. Close it before the model (closing the model
 * also frees it).
 */
public final class LstmStepper implements AutoCloseable {
    private final LstmModel model;
    private final int batch;
    private final NDManager manager;
    private final Block embedding;
    private final LSTM lstm;
    private final List<Block> head;
    private NDArray hidden;
    private NDArray cell;

    public LstmStepper(LstmModel model, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        this.model = model;
        this.batch = batch;
        Block block = model.block();
        List<Block> children = block.getChildren().values();
        if (children.size() < 3 || !(children.get(1) instanceof LSTM trained)) {
            throw new IllegalStateException("unexpected LSTM model layout: " + block.getChildren().keys());
        }
        this.embedding = children.get(0);
        this.head = List.copyOf(children.subList(2, children.size()));
        LstmConfig config = model.config();
        this.manager = model.manager().newSubManager();
        try {
            lstm = LSTM.builder()
                    .setStateSize(config.hiddenSize())
                    .setNumLayers(config.layers())
                    .optDropRate((float) config.dropout())
                    .optBatchFirst(true)
                    .optReturnState(true)
                    .build();
            lstm.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, config.embeddingSize()));
            copyParameters(trained, lstm);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static void copyParameters(LSTM from, LSTM to) {
        Map<String, Parameter> source = new HashMap<>();
        for (Pair<String, Parameter> p : from.getDirectParameters()) {
            source.put(p.getKey(), p.getValue());
        }
        for (Pair<String, Parameter> p : to.getDirectParameters()) {
            Parameter src = source.get(p.getKey());
            Parameter dst = p.getValue();
            if (src == null || !src.getShape().equals(dst.getShape())) {
                throw new IllegalStateException("LSTM parameter " + p.getKey() + " does not match the model's");
            }
            dst.getArray().set(src.getArray().toFloatArray());
            dst.freeze(true); // inference only: record no gradient
        }
    }

    /** Rows advancing together. */
    public int batchSize() {
        return batch;
    }

    /**
     * Starts every row afresh (zero states) and reads its prompt; all prompts must have the same length, and the
     * whole prompt is read (no window). Returns the logits of the token after each prompt, one row per prompt.
     */
    public float[][] start(int[][] prompts) {
        if (prompts == null || prompts.length != batch) {
            throw new IllegalArgumentException("need " + batch + " prompts, got "
                    + (prompts == null ? "none" : prompts.length));
        }
        int len = prompts[0] == null ? 0 : prompts[0].length;
        if (len == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        long[] ids = new long[batch * len];
        for (int b = 0; b < batch; b++) {
            if (prompts[b] == null || prompts[b].length != len) {
                throw new IllegalArgumentException("all prompts of a batch must have the same length");
            }
            for (int t = 0; t < len; t++) {
                ids[b * len + t] = checked(prompts[b][t]);
            }
        }
        releaseStates();
        return run(ids, len);
    }

    /**
     * Sets every row's states to zero without reading anything, so that rows can then read their prompts one
     * token per {@link #step} and join or leave the batch at different times ({@link #reset}).
     */
    public void begin() {
        releaseStates();
        LstmConfig config = model.config();
        Shape shape = new Shape(config.layers(), batch, config.hiddenSize());
        hidden = manager.zeros(shape);
        cell = manager.zeros(shape);
    }

    /** Sets one row's states to zero (a new sequence starts there); the other rows keep theirs. */
    public void reset(int row) {
        if (hidden == null) {
            throw new IllegalStateException("call start or begin before reset");
        }
        if (row < 0 || row >= batch) {
            throw new IllegalArgumentException("row " + row + " outside [0, " + batch + ")");
        }
        NDIndex index = new NDIndex(":, {}, :", row);
        hidden.set(index, 0f);
        cell.set(index, 0f);
    }

    /** Feeds one token per row and returns the logits of the token after it. {@link #start} must come first. */
    public float[][] step(int[] tokens) {
        if (hidden == null) {
            throw new IllegalStateException("call start before step");
        }
        if (tokens == null || tokens.length != batch) {
            throw new IllegalArgumentException("need " + batch + " tokens, got "
                    + (tokens == null ? "none" : tokens.length));
        }
        long[] ids = new long[batch];
        for (int b = 0; b < batch; b++) {
            ids[b] = checked(tokens[b]);
        }
        return run(ids, 1);
    }

    private long checked(int id) {
        if (id < 0 || id >= model.vocabularySize()) {
            throw new IllegalArgumentException("token " + id + " outside vocabulary [0, " + model.vocabularySize()
                    + ")");
        }
        return id;
    }

    /** Reads (batch, time) ids from the current states (zeros when none), keeps the new states. */
    private float[][] run(long[] ids, int time) {
        int vocabulary = model.vocabularySize();
        float[] flat;
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDArray tokens = scope.create(ids, new Shape(batch, time));
            NDList x = embedding.forward(store, new NDList(tokens), false);
            NDList in = hidden == null ? x : new NDList(x.singletonOrThrow(), hidden, cell);
            NDList out = lstm.forward(store, in, false);
            NDArray last = time == 1 ? out.get(0) : out.get(0).get(":, -1:, :");
            NDList y = new NDList(last);
            for (Block b : head) {
                y = b.forward(store, y, false);
            }
            flat = y.singletonOrThrow().toFloatArray();
            NDArray newHidden = out.get(1);
            NDArray newCell = out.get(2);
            newHidden.attach(manager);
            newCell.attach(manager);
            releaseStates();
            hidden = newHidden;
            cell = newCell;
        }
        float[][] logits = new float[batch][vocabulary];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(flat, b * vocabulary, logits[b], 0, vocabulary);
        }
        return logits;
    }

    private void releaseStates() {
        if (hidden != null) {
            hidden.close();
            cell.close();
            hidden = null;
            cell = null;
        }
    }

    /** Native arrays this stepper holds (its LSTM copy and states); constant from one step to the next. */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        hidden = null;
        cell = null;
        manager.close();
    }
}
