package org.musicgen.core.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.model.ToyCorpus;

class BaselineTest {
    static final int VOCAB = 30;

    @Test
    void kneserNeyTrigramBeatsUnigramOnPatternedData() {
        List<int[]> train = ToyCorpus.motifs(300, 50, VOCAB, 0.05, 1);
        List<int[]> valid = ToyCorpus.motifs(60, 50, VOCAB, 0.05, 2);
        UnigramModel unigram = new UnigramModel(VOCAB).fit(train);
        NgramModel bigram = new NgramModel(VOCAB, 2).fit(train);
        NgramModel trigram = new NgramModel(VOCAB).fit(train);
        double u = unigram.crossEntropy(valid);
        double b = bigram.crossEntropy(valid);
        double t = trigram.crossEntropy(valid);
        System.out.printf("baselines on motifs: unigram %.3f (ppl %.2f), KN bigram %.3f (ppl %.2f), "
                + "KN trigram %.3f (ppl %.2f)%n", u, Math.exp(u), b, Math.exp(b), t, Math.exp(t));
        assertEquals(3, trigram.order());
        assertTrue(t < u - 1.0, "trigram " + t + " should beat unigram " + u + " by a wide margin");
        assertTrue(t <= b, "trigram " + t + " should not be worse than bigram " + b);
        assertEquals(Math.exp(t), trigram.perplexity(valid), 1e-9);
    }

    /** Each order adds information on pieces built from cycles that need 1, 2, 3 and 4 tokens of history. */
    @Test
    void higherOrdersBeatLowerOrdersOnPatternedData() {
        List<int[]> train = PatternedPieces.patterned(60, 200, 0.05, 1);
        List<int[]> valid = PatternedPieces.patterned(20, 200, 0.05, 2);
        double[] ce = new double[NgramModel.MAX_ORDER + 1];
        for (int n = 1; n <= NgramModel.MAX_ORDER; n++) {
            ce[n] = new NgramModel(PatternedPieces.VOCAB, n).fit(train).crossEntropy(valid);
        }
        System.out.println("cross-entropy by order 1..5: " + Arrays.toString(Arrays.copyOfRange(ce, 1, 6)));
        for (int n = 1; n < NgramModel.MAX_ORDER; n++) {
            assertTrue(ce[n + 1] < ce[n] - 0.01, "order " + (n + 1) + " (" + ce[n + 1] + ") should beat order " + n
                    + " (" + ce[n] + ")");
        }
        assertTrue(ce[2] < ce[1] - 1.0, "the bigram should beat order 1 by a wide margin: " + ce[2] + " vs " + ce[1]);
    }

    @Test
    void probabilitiesSumToOneForEveryOrderAndHistory() {
        List<int[]> train = ToyCorpus.motifs(100, 40, VOCAB, 0.05, 3);
        List<TokenLanguageModel> models = new ArrayList<>();
        models.add(new UnigramModel(VOCAB).fit(train));
        for (int n = 1; n <= NgramModel.MAX_ORDER; n++) {
            models.add(new NgramModel(VOCAB, n).fit(train));
        }
        Random r = new Random(4);
        List<int[]> histories = new ArrayList<>(List.of(
                new int[] {1, 2, 3, 4, 5, 4}, // seen in a motif
                new int[] {6, 7, 8, 6, 7, 8}, // seen
                new int[] {29, 29, 29, 29, 29}, // unseen
                new int[] {0, 0, 0, 0}, // token 0 never occurs in the motifs
                new int[] {12, 11, 10, 29}, // seen history ending in an unseen token
                new int[] {}, new int[] {3}, new int[] {2, 3}, new int[] {1, 2, 3})); // shorter than order - 1
        for (int i = 0; i < 20; i++) {
            histories.add(r.ints(r.nextInt(7), 0, VOCAB).toArray());
            int[] piece = train.get(r.nextInt(train.size()));
            histories.add(Arrays.copyOf(piece, r.nextInt(piece.length)));
        }
        for (TokenLanguageModel m : models) {
            for (int[] h : histories) {
                double sum = 0;
                for (int w = 0; w < VOCAB; w++) {
                    double p = m.probability(h, h.length, w);
                    assertTrue(p > 0 && p < 1, "probability in (0, 1)");
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-9, m + " after " + Arrays.toString(h));
            }
        }
    }

    @Test
    void aSingleTokenVocabularyIsCertain() {
        NgramModel m = new NgramModel(1, 5).fit(List.of(new int[] {0, 0, 0, 0, 0, 0, 0}));
        assertEquals(1.0, m.probability(new int[] {0, 0}, 2, 0), 1e-12);
        assertEquals(1.0, m.probability(new int[] {}, 0, 0), 1e-12);
    }

    /**
     * Callers fit on whole pieces. Fitting the same pieces cut into overlapping windows (every n-gram counted about
     * twice) leaves almost no n-gram seen once, the top-order discount collapses and the held-out trigram falls
     * behind even the unigram: the anomaly of the old training benchmark, on noisy toy data.
     */
    @Test
    void wholePiecesScoreAsBeforeAndOverlappingWindowsDoNot() {
        List<int[]> pieces = PatternedPieces.patterned(30, 300, 0.5, 11);
        int[] heldOut = PatternedPieces.patterned(1, 400, 0.5, 111).get(0);
        List<int[]> windows = PatternedPieces.windows(pieces, 40, 20);
        NgramModel bigram = new NgramModel(PatternedPieces.VOCAB, 2).fit(pieces);
        NgramModel trigram = new NgramModel(PatternedPieces.VOCAB, 3).fit(pieces);
        NgramModel windowed = new NgramModel(PatternedPieces.VOCAB, 3).fit(windows);
        double unigram = new UnigramModel(PatternedPieces.VOCAB).fit(pieces).crossEntropy(List.of(heldOut));
        // the values of the previous (HashMap-based, order 2 or 3) implementation on these pieces
        assertEquals(2.7274737761995230, bigram.crossEntropy(List.of(heldOut)), 1e-12);
        assertEquals(2.7167403837488306, trigram.crossEntropy(List.of(heldOut)), 1e-12);
        double whole = trigram.crossEntropy(List.of(heldOut));
        double cut = windowed.crossEntropy(List.of(heldOut));
        System.out.printf("held-out trigram: whole pieces %.4f, overlapping windows %.4f (D3 %.3f vs %.3f), "
                + "unigram %.4f%n", whole, cut, trigram.discount(3), windowed.discount(3), unigram);
        assertTrue(whole < unigram, "whole-piece trigram " + whole + " should beat the unigram " + unigram);
        assertTrue(cut > unigram + 0.1, "windowed trigram " + cut + " should fall behind the unigram " + unigram);
        assertTrue(windowed.discount(3) < trigram.discount(3) / 2, "double counting should collapse the discount");

        // log2Likelihood is the sum of log2 p over positions 1..n-1, consistent with crossEntropy
        double sum = 0;
        for (int i = 1; i < heldOut.length; i++) {
            sum += Math.log(trigram.probability(heldOut, i, heldOut[i])) / Math.log(2);
        }
        assertEquals(sum, trigram.log2Likelihood(heldOut), 1e-9);
        assertTrue(sum < 0);
        assertEquals(heldOut.length - 1, trigram.predictedCount(List.of(heldOut)));
        assertEquals(whole, -trigram.log2Likelihood(heldOut) * Math.log(2) / (heldOut.length - 1), 1e-12);
        assertEquals(0.0, trigram.log2Likelihood(new int[] {3}));
        List<int[]> mixed = List.of(new int[] {1}, new int[] {}, new int[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertEquals(7, trigram.predictedCount(mixed));
    }

    @Test
    void bestOrderPicksHighOrdersForPatternsAndLowOrdersForNoise() {
        List<int[]> train = PatternedPieces.patterned(60, 200, 0.05, 1);
        List<int[]> valid = PatternedPieces.patterned(20, 200, 0.05, 2);
        NgramModel.OrderSelection patterned = NgramModel.bestOrder(PatternedPieces.VOCAB, train, valid, 5);
        System.out.println("patterned: best order " + patterned.order() + ", " + patterned.validationCrossEntropy());
        assertTrue(patterned.order() >= 4, "order " + patterned.order());
        assertSelectionConsistent(patterned, valid, 5);

        List<int[]> noiseTrain = PatternedPieces.random(40, 200, 8, 3);
        List<int[]> noiseValid = PatternedPieces.random(10, 200, 8, 4);
        NgramModel.OrderSelection noise = NgramModel.bestOrder(8, noiseTrain, noiseValid, 5);
        System.out.println("i.i.d.: best order " + noise.order() + ", " + noise.validationCrossEntropy());
        assertTrue(noise.order() <= 2, "order " + noise.order());
        assertSelectionConsistent(noise, noiseValid, 5);

        NgramModel.OrderSelection upToTwo = NgramModel.bestOrder(PatternedPieces.VOCAB, train, valid, 2);
        assertEquals(2, upToTwo.order());
        assertSelectionConsistent(upToTwo, valid, 2);
    }

    @Test
    void bestOrderBreaksTiesTowardTheLowerOrder() {
        // one token: every order predicts it with probability 1 (up to rounding), cross-entropy 0
        List<int[]> pieces = List.of(new int[] {0, 0, 0, 0, 0, 0});
        NgramModel.OrderSelection s = NgramModel.bestOrder(1, pieces, pieces, 5);
        assertEquals(1, s.order());
        assertEquals(1, s.model().order());
    }

    private static void assertSelectionConsistent(NgramModel.OrderSelection s, List<int[]> valid, int maxOrder) {
        assertEquals(maxOrder, s.validationCrossEntropy().size());
        assertEquals(s.order(), s.model().order());
        assertEquals(Collections.min(s.validationCrossEntropy()), s.validationCrossEntropy().get(s.order() - 1));
        assertEquals(s.validationCrossEntropy().get(s.order() - 1), s.model().crossEntropy(valid), 1e-12);
    }
}
