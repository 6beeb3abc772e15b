package org.musicgen.core.baseline;

import java.util.List;

/**
 * A count-based next-token model evaluated on the same positions as the LSTM: every token after the first of a
 * sequence, given its history within that sequence.
 */
public interface TokenLanguageModel {

    /** Probability of {@code token} following {@code history[0..length)} (only the last tokens are read). */
    double probability(int[] history, int length, int token);

    int vocabularySize();

    /** Mean cross-entropy in nats per predicted token (positions 1..n-1 of every sequence). */
    default double crossEntropy(List<int[]> sequences) {
        double sum = 0;
        long count = 0;
        for (int[] s : sequences) {
            for (int i = 1; i < s.length; i++) {
                double p = probability(s, i, s[i]);
                sum -= Math.log(p);
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no token to predict: sequences need at least 2 tokens");
        }
        return sum / count;
    }

    /** exp(cross-entropy). */
    default double perplexity(List<int[]> sequences) {
        return Math.exp(crossEntropy(sequences));
    }
}
