package org.musicgen.core.baseline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BaselineInputTest {
    static final int VOCAB = 30;

    @Test
    void rejectsOrdersOutsideOneToFive() {
        assertMessage(() -> new NgramModel(VOCAB, 0), "order must be 1..5, got 0");
        assertMessage(() -> new NgramModel(VOCAB, 6), "order must be 1..5, got 6");
        assertMessage(() -> NgramModel.bestOrder(VOCAB, List.of(), List.of(), 6), "maxOrder must be 1..5, got 6");
        for (int n = 1; n <= 5; n++) {
            assertEquals(n, new NgramModel(VOCAB, n).order());
        }
    }

    @Test
    void rejectsEmptyVocabularies() {
        assertMessage(() -> new NgramModel(0), "vocabularySize must be positive, got 0");
        assertMessage(() -> new NgramModel(-3, 2), "vocabularySize must be positive, got -3");
        assertMessage(() -> new UnigramModel(0), "vocabularySize must be positive, got 0");
    }

    @Test
    void rejectsTokensOutsideTheVocabulary() {
        assertMessage(() -> new NgramModel(VOCAB).fit(List.of(new int[] {1, 2, 30})), "token 30 outside vocabulary");
        assertMessage(() -> new NgramModel(VOCAB, 5).fit(List.of(new int[] {1, -1, 2})), "token -1 outside vocabulary");
        // the first token is never predicted, but it is history: id 30 would have become the begin symbol
        assertMessage(() -> new NgramModel(VOCAB).fit(List.of(new int[] {30, 1, 2})), "token 30 outside vocabulary");
        assertMessage(() -> new UnigramModel(VOCAB).fit(List.of(new int[] {31, 1, 2})), "token 31 outside vocabulary");
        NgramModel fitted = new NgramModel(VOCAB, 3).fit(List.of(new int[] {1, 2, 3, 4}));
        assertMessage(() -> fitted.probability(new int[] {1, 2}, 2, 30), "token 30 outside vocabulary");
        assertMessage(() -> fitted.probability(new int[] {1, 30}, 2, 3), "token 30 outside vocabulary");
        assertMessage(() -> fitted.probability(new int[] {-2, 1}, 2, 3), "token -2 outside vocabulary");
        assertMessage(() -> fitted.probability(new int[] {1, 2}, 3, 3), "history length 3 outside [0, 2]");
        assertMessage(() -> fitted.crossEntropy(List.of(new int[] {1, 2, 99})), "token 99 outside vocabulary");
        assertMessage(() -> new UnigramModel(VOCAB).fit(List.of()).probability(new int[0], 0, 30),
                "token 30 outside vocabulary");
        // tokens the model does not read (older than order - 1) are not its business
        assertDoesNotThrow(() -> fitted.probability(new int[] {99, 1, 2}, 3, 3));
    }

    @Test
    void rejectsVocabulariesWhoseKeysOverflowALong() {
        // (V + 1)^order must fit in a long: 4098^5 and 6208^5 do, 6209^5 does not; 55108^4 does, 55109^4 does not
        assertDoesNotThrow(() -> new NgramModel(4097, 5).fit(List.of(new int[] {4096, 0, 4096, 1, 4096, 0, 2})));
        assertDoesNotThrow(() -> new NgramModel(6207, 5));
        assertDoesNotThrow(() -> new NgramModel(55107, 4));
        assertDoesNotThrow(() -> new NgramModel(Integer.MAX_VALUE, 2));
        assertMessage(() -> new NgramModel(6208, 5), "vocabularySize 6208 is too large for order 5");
        assertMessage(() -> new NgramModel(55108, 4), "vocabularySize 55108 is too large for order 4");
        assertMessage(() -> NgramModel.bestOrder(10_000, List.of(), List.of(), 5), "vocabularySize 10000");
    }

    @Test
    void largeVocabularyKeysRoundTrip() {
        // the largest ids at order 5 with V = 4097: keys near 4098^5, none may collide
        int v = 4097;
        int[] piece = {4096, 4095, 4096, 4095, 4096, 4094, 4096, 4095, 4096, 4095, 4096, 4094};
        NgramModel m = new NgramModel(v, 5).fit(List.of(piece));
        assertTrue(m.probability(new int[] {4096, 4095, 4096, 4095}, 4, 4096) > 0.5);
        double sum = 0;
        for (int w = 0; w < v; w++) {
            sum += m.probability(new int[] {4095, 4096, 4095, 4096}, 4, w);
        }
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void fitsOnceAndOnlyThenScores() {
        NgramModel m = new NgramModel(VOCAB);
        assertThrows(IllegalStateException.class, () -> m.probability(new int[] {1}, 1, 2));
        m.fit(List.of(new int[] {1, 2, 3}));
        assertThrows(IllegalStateException.class, () -> m.fit(List.of(new int[] {1, 2, 3})));
        assertMessage(() -> m.crossEntropy(List.of(new int[] {1})), "no token to predict");
        assertMessage(() -> m.discount(4), "order 4 outside 1..3");
    }

    private static void assertMessage(Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected),
                "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
