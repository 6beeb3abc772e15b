package org.musicgen.core.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kneser-Ney probabilities worked out by hand on tiny corpora. Notation: B is the begin symbol (id V), c(.) a count,
 * N(. w) a continuation count (distinct left neighbours), D_n the discount of order n, P_n the estimate of order n.
 */
class BaselineHandComputedTest {
    static final double EPS = 1e-12;

    /** V = 3, two pieces. */
    static final List<int[]> CORPUS = List.of(new int[] {0, 1, 0, 1, 2}, new int[] {1, 0, 1, 1});

    /*
     * Bigram, predicted positions (previous token, token):
     *   piece 1: (0,1) (1,0) (0,1) (1,2)     piece 2: (1,0) (0,1) (1,1)
     * Order 2, raw counts: c(0 1) = 3, c(1 0) = 2, c(1 2) = 1, c(1 1) = 1
     *   n1 = 2, n2 = 1 -> D2 = 2 / (2 + 2) = 1/2
     *   history 0: c(0 .) = 3, N1+(0 .) = 1;  history 1: c(1 .) = 4, N1+(1 .) = 3
     * Order 1, continuation counts over the distinct bigrams: N(. 0) = 1 {1}, N(. 1) = 2 {0, 1}, N(. 2) = 1 {1}
     *   total 4, 3 types; n1 = 2, n2 = 1 -> D1 = 1/2
     *   P1(w) = (N(. w) - 1/2) / 4 + (1/2 * 3/4) * 1/3:  P1(0) = 1/4, P1(1) = 1/2, P1(2) = 1/4
     * P2(w | 0) = (c(0 w) - 1/2)^+ / 3 + (1/2 * 1/3) P1(w):
     *   w=0: 0 + 1/6 * 1/4 = 1/24;  w=1: 5/6 + 1/6 * 1/2 = 11/12;  w=2: 1/24
     * P2(w | 1) = (c(1 w) - 1/2) / 4 + (1/2 * 3/4) P1(w):
     *   w=0: 3/8 + 3/8 * 1/4 = 15/32;  w=1: 1/8 + 3/8 * 1/2 = 5/16;  w=2: 1/8 + 3/8 * 1/4 = 7/32
     * History 2 never precedes a predicted token, and the empty history is B, never seen either: P1.
     */
    @Test
    void bigram() {
        NgramModel m = new NgramModel(3, 2).fit(CORPUS);
        assertEquals(0.5, m.discount(2), EPS);
        assertEquals(0.5, m.discount(1), EPS);
        assertProbabilities(m, new int[] {0}, 1.0 / 24, 11.0 / 12, 1.0 / 24);
        assertProbabilities(m, new int[] {2, 1}, 15.0 / 32, 5.0 / 16, 7.0 / 32);
        assertProbabilities(m, new int[] {1, 2}, 0.25, 0.5, 0.25);
        assertProbabilities(m, new int[] {}, 0.25, 0.5, 0.25);
    }

    /*
     * Trigram, predicted positions (two previous tokens, token), B before the start:
     *   piece 1: (B,0,1) (0,1,0) (1,0,1) (0,1,2)     piece 2: (B,1,0) (1,0,1) (0,1,1)
     * Order 3, raw counts: c(1 0 1) = 2, and 1 for (B 0 1), (0 1 0), (0 1 2), (B 1 0), (0 1 1)
     *   n1 = 5, n2 = 1 -> D3 = 5 / (5 + 2) = 5/7
     *   histories: (0 1): c = 3, N1+ = 3;  (1 0): c = 2, N1+ = 1;  (B 0): c = 1, N1+ = 1;  (B 1): c = 1, N1+ = 1
     * Order 2, continuation counts from the distinct trigrams: N(. 0 1) = 2 {B, 1}, N(. 1 0) = 2 {0, B},
     *   N(. 1 2) = 1, N(. 1 1) = 1;  n1 = 2, n2 = 2 -> D2 = 2 / (2 + 4) = 1/3
     *   histories: 0: total 2, 1 type;  1: total 4, 3 types
     * Order 1, from the distinct bigrams (0 1) (1 0) (1 2) (1 1): the same as for the bigram, D1 = 1/2,
     *   P1 = (1/4, 1/2, 1/4)
     * P2(w | 0) = (N(. 0 w) - 1/3)^+ / 2 + (1/3 * 1/2) P1(w):
     *   w=0: 1/6 * 1/4 = 1/24;  w=1: 5/6 + 1/6 * 1/2 = 11/12;  w=2: 1/24
     * P2(w | 1) = (N(. 1 w) - 1/3) / 4 + (1/3 * 3/4) P1(w):
     *   w=0: 5/12 + 1/16 = 23/48;  w=1: 1/6 + 1/8 = 14/48;  w=2: 1/6 + 1/16 = 11/48
     * P3(w | 0 1) = (1 - 5/7) / 3 + (5/7 * 3/3) P2(w | 1) = 2/21 + 5/7 P2(w | 1):
     *   w=0: 32/336 + 115/336 = 147/336;  w=1: 32/336 + 70/336 = 102/336;  w=2: 32/336 + 55/336 = 87/336
     * P3(w | 1 0) = (c(1 0 w) - 5/7)^+ / 2 + (5/7 * 1/2) P2(w | 0):
     *   w=0: 5/14 * 1/24 = 5/336;  w=1: 9/14 + 5/14 * 11/12 = 163/168;  w=2: 5/336
     * P3(w | B 0), position 1 of a piece that starts with 0: (c(B 0 w) - 5/7)^+ / 1 + (5/7 * 1/1) P2(w | 0):
     *   w=0: 5/7 * 1/24 = 5/168;  w=1: 2/7 + 5/7 * 11/12 = 79/84;  w=2: 5/168
     * Unseen history (2 1): P2(w | 1).  History (1 2): order 3 and order 2 (history 2) unseen: P1.
     */
    @Test
    void trigram() {
        NgramModel m = new NgramModel(3, 3).fit(CORPUS);
        assertEquals(5.0 / 7, m.discount(3), EPS);
        assertEquals(1.0 / 3, m.discount(2), EPS);
        assertEquals(0.5, m.discount(1), EPS);
        assertProbabilities(m, new int[] {2, 0, 1}, 147.0 / 336, 102.0 / 336, 87.0 / 336);
        assertProbabilities(m, new int[] {1, 0}, 5.0 / 336, 163.0 / 168, 5.0 / 336);
        assertProbabilities(m, new int[] {0}, 5.0 / 168, 79.0 / 84, 5.0 / 168);
        assertProbabilities(m, new int[] {2, 1}, 23.0 / 48, 14.0 / 48, 11.0 / 48);
        assertProbabilities(m, new int[] {1, 2}, 0.25, 0.5, 0.25);
        // the log-likelihood of piece 1: P(1 | B 0) P(0 | 0 1) P(1 | 1 0) P(2 | 0 1)
        double expected = log2(79.0 / 84) + log2(147.0 / 336) + log2(163.0 / 168) + log2(87.0 / 336);
        assertEquals(expected, m.log2Likelihood(CORPUS.get(0)), EPS);
    }

    /*
     * Order 4, V = 3, pieces 0 1 2 and 0 1 0: n-grams that start with B keep their raw counts at lower orders.
     * Order 4, raw: c(B B 0 1) = 2, c(B 0 1 2) = 1, c(B 0 1 0) = 1;  n1 = 2, n2 = 1 -> D4 = 1/2
     * Order 3: (B 0 1) starts with B -> raw count 2 (a continuation count would be 1); N(. 0 1 2) = 1,
     *   N(. 0 1 0) = 1;  n1 = 2, n2 = 1 -> D3 = 1/2
     * Order 2: N(. 0 1) = 1, N(. 1 2) = 1, N(. 1 0) = 1;  n1 = 3, n2 = 0 -> 1, clamped to D2 = 0.95
     * Order 1: N(. 1) = N(. 2) = N(. 0) = 1;  D1 = 0.95;  P1(w) = 0.05 / 3 + 0.95 * 1/3 = 1/3
     * P2(1 | 0) = (1 - 0.95) / 1 + 0.95 * 1/3 = 11/30;  P2(0 | 0) = P2(2 | 0) = 0.95/3 = 19/60
     * P3(w | B 0) = (c - 1/2)^+ / 2 + (1/2 * 1/2) P2(w | 0):  w=1: 3/4 + 11/120 = 101/120;  w=0, 2: 19/240
     * P4(w | B B 0) = (c - 1/2)^+ / 2 + (1/2 * 1/2) P3(w | B 0):  w=1: 3/4 + 101/480 = 461/480;  w=0, 2: 19/960
     */
    @Test
    void beginPaddedNgramsKeepRawCounts() {
        NgramModel m = new NgramModel(3, 4).fit(List.of(new int[] {0, 1, 2}, new int[] {0, 1, 0}));
        assertEquals(0.5, m.discount(4), EPS);
        assertEquals(0.5, m.discount(3), EPS);
        assertEquals(0.95, m.discount(2), EPS);
        assertEquals(0.95, m.discount(1), EPS);
        assertProbabilities(m, new int[] {0}, 19.0 / 960, 461.0 / 480, 19.0 / 960);
    }

    private static void assertProbabilities(TokenLanguageModel m, int[] history, double... expected) {
        double sum = 0;
        for (int w = 0; w < expected.length; w++) {
            double p = m.probability(history, history.length, w);
            assertEquals(expected[w], p, EPS, "P(" + w + " | " + java.util.Arrays.toString(history) + ")");
            sum += p;
        }
        assertEquals(1.0, sum, EPS);
    }

    private static double log2(double p) {
        return Math.log(p) / Math.log(2);
    }
}
