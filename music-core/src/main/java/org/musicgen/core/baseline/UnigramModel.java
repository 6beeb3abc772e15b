package org.musicgen.core.baseline;

import java.util.List;

/**
 * Add-one smoothed unigram model over token ids in [0, vocabularySize): p(w) = (c(w) + 1) / (N + V), where c counts
 * the predicted positions (1..n-1) of the training sequences, N is their number and V the vocabulary size.
 */
public final class UnigramModel implements TokenLanguageModel {
    private final int vocabularySize;
    private final long[] counts;
    private long total;

    public UnigramModel(int vocabularySize) {
        if (vocabularySize < 1) {
            throw new IllegalArgumentException("vocabularySize must be positive, got " + vocabularySize);
        }
        this.vocabularySize = vocabularySize;
        this.counts = new long[vocabularySize];
    }

    /**
     * Counts the predicted positions (1..n-1) of every sequence; may be called several times.
     *
     * @throws IllegalArgumentException when an id (the first included) is outside the vocabulary; nothing is
     *                                  counted then
     */
    public UnigramModel fit(List<int[]> sequences) {
        for (int[] s : sequences) {
            for (int t : s) {
                Ngrams.check(t, vocabularySize);
            }
        }
        for (int[] s : sequences) {
            for (int i = 1; i < s.length; i++) {
                counts[s[i]]++;
                total++;
            }
        }
        return this;
    }

    @Override
    public double probability(int[] history, int length, int token) {
        Ngrams.check(token, vocabularySize);
        return (counts[token] + 1.0) / (total + vocabularySize);
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }
}
