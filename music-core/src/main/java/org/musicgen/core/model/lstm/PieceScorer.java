package org.musicgen.core.model.lstm;

import org.musicgen.core.model.net.GradMode;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Log-likelihood of whole pieces under an LSTM, the way the n-gram baselines score them: every id after the
 * first, given the piece before it. The model reads windows of its training length: the first window scores all
 * its positions, each later window (starting half a window on) scores only its second half, so every id is
 * scored once with at least half a window of context — as it was trained, never from a cold state mid-piece.
 */
public final class PieceScorer {

    private static final double LOG2_E = 1 / Math.log(2);
    private static final int BATCH = 32;

    private final LstmModel model;

    public PieceScorer(LstmModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** A window of one piece: ids {@code [start, start + length)}, positions from {@code firstScored} on count. */
    private record Window(int piece, int start, int length, int firstScored) {
    }

    /** Sum of log2 p(id_i | ids before i) over i = 1..n-1, per piece (0 for pieces shorter than 2). */
    public double[] log2Likelihoods(List<int[]> pieces) {
        GradMode.off();
        int length = model.config().sequenceLength();
        int half = Math.max(1, length / 2);
        List<Window> windows = new ArrayList<>();
        for (int p = 0; p < pieces.size(); p++) {
            int[] ids = pieces.get(p);
            for (int id : ids) {
                if (id < 0 || id >= model.vocabularySize()) {
                    throw new IllegalArgumentException("id " + id + " outside vocabulary [0, " + model.vocabularySize()
                            + ")");
                }
            }
            if (ids.length < 2) {
                continue;
            }
            if (ids.length <= length) {
                windows.add(new Window(p, 0, ids.length, 1));
                continue;
            }
            windows.add(new Window(p, 0, length, 1));
            int scoredUpTo = length; // positions [1, scoredUpTo) are scored
            while (scoredUpTo < ids.length) {
                int start = Math.min(scoredUpTo - half, ids.length - length);
                windows.add(new Window(p, start, length, scoredUpTo - start));
                scoredUpTo = start + length;
            }
        }
        double[] sums = new double[pieces.size()];
        // windows of one length batch together (the full-length ones are nearly all of them)
        windows.sort((a, b) -> Integer.compare(b.length(), a.length()));
        for (int from = 0; from < windows.size(); ) {
            int len = windows.get(from).length();
            int to = from;
            while (to < windows.size() && to - from < BATCH && windows.get(to).length() == len) {
                to++;
            }
            score(pieces, windows.subList(from, to), len, sums);
            from = to;
        }
        return sums;
    }

    private void score(List<int[]> pieces, List<Window> batch, int len, double[] sums) {
        int b = batch.size();
        long[] inputs = new long[b * (len - 1)];
        long[] targets = new long[b * (len - 1)];
        for (int i = 0; i < b; i++) {
            Window w = batch.get(i);
            int[] ids = pieces.get(w.piece());
            for (int t = 0; t < len - 1; t++) {
                inputs[i * (len - 1) + t] = ids[w.start() + t];
                targets[i * (len - 1) + t] = ids[w.start() + t + 1];
            }
        }
        float[] logp;
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray in = scope.create(inputs, new Shape(b, len - 1));
            NDArray target = scope.create(targets, new Shape(b, len - 1, 1));
            NDArray logits = model.forward(new ParameterStore(scope, false), in, null, false);
            logp = logits.logSoftmax(-1).gather(target, 2).toFloatArray();
        }
        for (int i = 0; i < b; i++) {
            Window w = batch.get(i);
            double sum = 0;
            // output t predicts id start + t + 1; count the positions from firstScored on
            for (int t = w.firstScored() - 1; t < len - 1; t++) {
                sum += logp[i * (len - 1) + t];
            }
            sums[w.piece()] += sum * LOG2_E;
        }
    }
}
