package org.musicgen.core.baseline;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Interpolated Kneser-Ney n-gram model (order 2 or 3, default trigram) over token ids. Sequences are padded at
 * the start with a begin symbol so that the first predicted token (position 1) has a full history; lower orders
 * use continuation counts; the lowest order interpolates with the uniform distribution over the vocabulary, so
 * the probabilities over all tokens sum to 1 for every history. Discounts are estimated per order as
 * n1 / (n1 + 2 n2), clamped to [0.1, 0.95].
 */
public final class NgramModel implements TokenLanguageModel {
    private final int vocabularySize;
    private final int order;
    private final int begin;
    private final long base;

    /** Highest-order counts c(h w) and, per history, c(h .) and N1+(h .). */
    private final Map<Long, Integer>[] counts;
    private final Map<Long, long[]>[] contexts;
    private final double[] discounts;
    private boolean fitted;

    public NgramModel(int vocabularySize) {
        this(vocabularySize, 3);
    }

    @SuppressWarnings("unchecked")
    public NgramModel(int vocabularySize, int order) {
        if (vocabularySize < 1) {
            throw new IllegalArgumentException("vocabularySize must be positive, got " + vocabularySize);
        }
        if (order < 1 || order > 3) {
            throw new IllegalArgumentException("order must be 1, 2 or 3, got " + order);
        }
        this.vocabularySize = vocabularySize;
        this.order = order;
        this.begin = vocabularySize;
        this.base = vocabularySize + 1L;
        this.counts = new Map[order + 1];
        this.contexts = new Map[order + 1];
        for (int n = 1; n <= order; n++) {
            counts[n] = new HashMap<>();
            contexts[n] = new HashMap<>();
        }
        this.discounts = new double[order + 1];
    }

    private long key(int[] padded, int end, int n) {
        long k = 0;
        for (int i = end - n + 1; i <= end; i++) {
            k = k * base + padded[i];
        }
        return k;
    }

    /** Fits the model on the predicted positions (1..n-1) of every sequence. Call once. */
    public NgramModel fit(List<int[]> sequences) {
        if (fitted) {
            throw new IllegalStateException("model already fitted");
        }
        int pad = order - 1;
        // highest order: raw counts; lower orders: continuation counts (distinct left extensions)
        Set<Long>[] seen = newSets();
        for (int[] s : sequences) {
            int[] padded = pad(s, pad);
            for (int i = 1; i < s.length; i++) {
                Ngrams.check(s[i], vocabularySize);
                int end = i + pad;
                counts[order].merge(key(padded, end, order), 1, Integer::sum);
                for (int n = order - 1; n >= 1; n--) {
                    long extended = key(padded, end, n + 1);
                    if (seen[n + 1].add(extended)) {
                        counts[n].merge(key(padded, end, n), 1, Integer::sum);
                    } else {
                        break;
                    }
                }
            }
        }
        for (int n = 1; n <= order; n++) {
            long n1 = 0;
            long n2 = 0;
            for (Map.Entry<Long, Integer> e : counts[n].entrySet()) {
                long history = e.getKey() / base;
                long[] c = contexts[n].computeIfAbsent(history, h -> new long[2]);
                c[0] += e.getValue();
                c[1]++;
                if (e.getValue() == 1) {
                    n1++;
                } else if (e.getValue() == 2) {
                    n2++;
                }
            }
            double d = n1 + 2 * n2 == 0 ? 0.75 : (double) n1 / (n1 + 2 * n2);
            discounts[n] = Math.max(0.1, Math.min(0.95, d));
        }
        fitted = true;
        return this;
    }

    @SuppressWarnings("unchecked")
    private Set<Long>[] newSets() {
        Set<Long>[] sets = new Set[order + 2];
        for (int i = 0; i < sets.length; i++) {
            sets[i] = new HashSet<>();
        }
        return sets;
    }

    private int[] pad(int[] s, int pad) {
        int[] padded = new int[s.length + pad];
        for (int i = 0; i < pad; i++) {
            padded[i] = begin;
        }
        System.arraycopy(s, 0, padded, pad, s.length);
        return padded;
    }

    @Override
    public double probability(int[] history, int length, int token) {
        Ngrams.check(token, vocabularySize);
        int pad = order - 1;
        int[] ctx = new int[pad + 1];
        for (int i = 0; i < pad; i++) {
            int pos = length - pad + i;
            ctx[i] = pos < 0 ? begin : history[pos];
        }
        ctx[pad] = token;
        return interpolated(ctx, order);
    }

    /** P(ctx[last] | the n-1 tokens before it), interpolated down to the uniform distribution. */
    private double interpolated(int[] ctx, int n) {
        double lower = n == 1 ? 1.0 / vocabularySize : interpolated(ctx, n - 1);
        int end = ctx.length - 1;
        long k = key(ctx, end, n);
        long[] c = contexts[n].get(k / base);
        if (c == null || c[0] == 0) {
            return lower;
        }
        double d = discounts[n];
        Integer count = counts[n].get(k);
        double discounted = count == null ? 0 : Math.max(count - d, 0) / c[0];
        return discounted + d * c[1] / c[0] * lower;
    }

    public int order() {
        return order;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }
}
