package org.musicgen.core.metrics;

import java.util.Arrays;
import org.musicgen.core.dataset.SequenceSet;

/**
 * The set of token-id n-grams of the training data, for measuring how much of a generated sample
 * is copied verbatim ({@link #copiedShare(int[])}).
 *
 * <p>N-grams are stored as 64-bit hashes in one sorted {@code long[]} (8 bytes per distinct
 * n-gram, looked up by binary search), because training corpora have millions of tokens and a set
 * of boxed n-grams would need tens of bytes each. The price is that two different n-grams with the
 * same hash count as equal; with {@code m} stored n-grams a query is a false match with probability
 * about {@code m / 2^64}, negligible in practice. N-grams never span two input sequences: build the
 * index from whole pieces where available, since fixed-length windows without overlap lose the
 * n-grams across their borders. Immutable and thread-safe.
 */
public final class TrainingNgramIndex {

    public static final int DEFAULT_N = 8;

    private final int n;
    private final long[] hashes; // sorted, distinct

    private TrainingNgramIndex(int n, long[] hashes) {
        this.n = n;
        this.hashes = hashes;
    }

    /** Index of the {@value #DEFAULT_N}-grams of the given token-id sequences. */
    public static TrainingNgramIndex build(Iterable<int[]> sequences) {
        return build(sequences, DEFAULT_N);
    }

    /** Index of the {@code n}-grams of the sequences of a training set. */
    public static TrainingNgramIndex build(SequenceSet training, int n) {
        return build(training.sequences(), n);
    }

    /** Index of the {@code n}-grams of the given token-id sequences (shorter sequences add nothing). */
    public static TrainingNgramIndex build(Iterable<int[]> sequences, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        long total = 0;
        for (int[] s : sequences) {
            total += Math.max(0, s.length - n + 1);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many n-grams for one index: " + total);
        }
        long[] all = new long[(int) total];
        int k = 0;
        for (int[] s : sequences) {
            for (int i = 0; i + n <= s.length; i++) {
                all[k++] = hash(s, i, n);
            }
        }
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[distinct++] = all[i];
            }
        }
        return new TrainingNgramIndex(n, distinct == all.length ? all : Arrays.copyOf(all, distinct));
    }

    /** Length of the indexed n-grams. */
    public int n() {
        return n;
    }

    /** Number of distinct n-grams (hashes) stored. */
    public int size() {
        return hashes.length;
    }

    /** Whether {@code ids[from .. from+n)} occurs in the training data. */
    public boolean contains(int[] ids, int from) {
        if (from < 0 || from + n > ids.length) {
            throw new IndexOutOfBoundsException("n-gram at " + from + " of length " + n
                    + " does not fit in " + ids.length + " ids");
        }
        return Arrays.binarySearch(hashes, hash(ids, from, n)) >= 0;
    }

    /**
     * Share of the sample's n-gram positions ({@code length - n + 1} of them) whose n-gram occurs
     * in the training data: 1.0 for a verbatim copy, 0.0 for entirely new material. NaN when the
     * sample is shorter than n, as there is nothing to compare.
     */
    public double copiedShare(int[] sample) {
        int positions = sample.length - n + 1;
        if (positions < 1) {
            return Double.NaN;
        }
        int copied = 0;
        for (int i = 0; i < positions; i++) {
            if (contains(sample, i)) {
                copied++;
            }
        }
        return (double) copied / positions;
    }

    /** 64-bit hash of {@code ids[from .. from+n)}: multiply-xor per id, then a final avalanche. */
    static long hash(int[] ids, int from, int n) {
        long h = 0x243F6A8885A308D3L ^ n;
        for (int i = from; i < from + n; i++) {
            h = (h ^ (ids[i] & 0xFFFFFFFFL)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        h = (h ^ (h >>> 32)) * 0xD6E8FEB86B4C3E15L;
        return h ^ (h >>> 29);
    }

    @Override
    public String toString() {
        return "TrainingNgramIndex[n=" + n + ", size=" + hashes.length + "]";
    }
}
