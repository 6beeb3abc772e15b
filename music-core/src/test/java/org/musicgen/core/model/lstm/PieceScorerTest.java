package org.musicgen.core.model.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PieceScorerTest {
    static final int VOCAB = 30;

    private static LstmConfig config(int length) {
        return new LstmConfig(16, 32, 1, 0.0, 0, 1e-2, 8, 1, 1.0, "adam", "constant", 0, 0.0, false, length, 5L);
    }

    /** The log2 probability of each id after the first, read one context at a time. */
    private static double stepByStep(LstmModel model, int[] piece) {
        double sum = 0;
        for (int i = 1; i < piece.length; i++) {
            float[] logits = model.logitsNext(java.util.Arrays.copyOfRange(piece, 0, i));
            double max = Double.NEGATIVE_INFINITY;
            for (float l : logits) {
                max = Math.max(max, l);
            }
            double z = 0;
            for (float l : logits) {
                z += Math.exp(l - max);
            }
            sum += (logits[piece[i]] - max - Math.log(z)) / Math.log(2);
        }
        return sum;
    }

    @Test
    void aPieceWithinOneWindowScoresEveryIdAfterTheFirstExactly() {
        Random random = new Random(1);
        int[] a = random.ints(20, 0, VOCAB).toArray();
        int[] b = random.ints(7, 0, VOCAB).toArray();
        try (LstmModel model = LstmModel.create(config(20), VOCAB, Device.cpu())) {
            double[] scored = new PieceScorer(model).log2Likelihoods(List.of(a, b, new int[] {3}));
            assertEquals(stepByStep(model, a), scored[0], 1e-3);
            assertEquals(stepByStep(model, b), scored[1], 1e-3);
            assertEquals(0.0, scored[2]);
        }
    }

    @Test
    void aLongPieceHasEveryIdAfterTheFirstScoredExactlyOnce() {
        Random random = new Random(2);
        int[] piece = random.ints(537, 0, VOCAB).toArray();
        try (LstmModel model = LstmModel.create(config(40), VOCAB, Device.cpu())) {
            double scored = new PieceScorer(model).log2Likelihoods(List.of(piece))[0];
            // An untrained model is close to uniform: about log2(30) = 4.9 bits per id. A window's half counted
            // twice or skipped would move the sum by about 20 x 4.9 = 98 bits; the tolerance is 0.05 bit per id.
            double uniform = -(piece.length - 1) * Math.log(VOCAB) / Math.log(2);
            assertEquals(uniform, scored, 0.05 * (piece.length - 1));
            // and the first window's part is exactly what the model says step by step
            double firstWindow = stepByStep(model, java.util.Arrays.copyOf(piece, 40));
            double rest = scored - firstWindow;
            assertEquals(uniform * (piece.length - 40) / (piece.length - 1), rest, 0.05 * (piece.length - 40));
        }
    }

    @Test
    void rejectsIdsOutsideTheVocabulary() {
        try (LstmModel model = LstmModel.create(config(10), VOCAB, Device.cpu())) {
            assertThrows(IllegalArgumentException.class,
                    () -> new PieceScorer(model).log2Likelihoods(List.of(new int[] {1, VOCAB})));
        }
    }
}
