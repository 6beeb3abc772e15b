package org.musicgen.core.baseline;

import java.util.List;

/**
 * A count-based next-token model evaluated on the same positions as the LSTM: every token after the first of a
 * sequence, given its history within that sequence. Pass whole pieces (one {@code int[]} per piece): the first
 * token of each sequence is treated as the start of a piece.
 */
public interface TokenLanguageModel {

    /** Probability of {@code token} following {@code history[0..length)} (only the last tokens are read). */
    double probability(int[] history, int length, int token);

    int vocabularySize();

    /**
     * Sum of log2 p over positions 1..n-1 of {@code piece}, each given the tokens before it (0 for a piece shorter
     * than 2). Negative; {@code -log2Likelihood(piece) / notes} is bits per note.
     */
    default double log2Likelihood(int[] piece) {
        double sum = 0;
        for (int i = 1; i < piece.length; i++) {
            sum += Math.log(probability(piece, i, piece[i])) / Math.log(2);
        }
        return sum;
    }

    /** Number of predicted positions: the sum over sequences of {@code max(0, length - 1)}. */
    default long predictedCount(List<int[]> sequences) {
        long count = 0;
        for (int[] s : sequences) {
            count += Math.max(0, s.length - 1);
        }
        return count;
    }

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
