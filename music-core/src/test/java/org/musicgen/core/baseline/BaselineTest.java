package org.musicgen.core.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
        assertTrue(t < u - 1.0, "trigram " + t + " should beat unigram " + u + " by a wide margin");
        assertTrue(t <= b, "trigram " + t + " should not be worse than bigram " + b);
        assertEquals(Math.exp(t), trigram.perplexity(valid), 1e-9);
    }

    @Test
    void probabilitiesSumToOne() {
        List<int[]> train = ToyCorpus.motifs(100, 40, VOCAB, 0.05, 3);
        for (TokenLanguageModel m : List.of(new UnigramModel(VOCAB).fit(train), new NgramModel(VOCAB, 2).fit(train),
                new NgramModel(VOCAB).fit(train))) {
            int[][] histories = {{1, 2}, {6, 7}, {29, 29}, {0, 0}, {3}, {}};
            for (int[] h : histories) {
                double sum = 0;
                for (int w = 0; w < VOCAB; w++) {
                    double p = m.probability(h, h.length, w);
                    assertTrue(p > 0, "probability must be positive");
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-9, "probabilities after " + java.util.Arrays.toString(h));
            }
        }
    }

    @Test
    void rejectsTokensOutsideTheVocabulary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NgramModel(VOCAB).fit(List.of(new int[] {1, 2, 30})));
        assertTrue(e.getMessage().contains("outside vocabulary"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NgramModel(VOCAB, 4));
    }
}
