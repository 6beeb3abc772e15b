package org.musicgen.core.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic whole pieces for the baseline tests, with a fixed seed each (java.util.Random is specified). */
final class PatternedPieces {
    static final int VOCAB = 20;

    /**
     * Cycles whose next token needs a history of 4, 3, 2 and 1 tokens: after 1 2 3 comes 5 or 6 depending on the
     * token before the 1 (order 5), after 7 8 comes 9 or 10 depending on the token before the 7 (order 4), after 11
     * comes 12 or 13 depending on the token before it (order 3), and 14 15 16 is a plain cycle (order 2).
     */
    static final int[][] CYCLES = {
        {1, 2, 3, 5, 1, 2, 3, 6},
        {7, 8, 9, 7, 8, 10},
        {11, 12, 11, 13},
        {14, 15, 16},
    };

    private PatternedPieces() {
    }

    /**
     * {@code count} pieces of {@code length} ids in [0, {@value #VOCAB}): each piece walks one cycle from a random
     * phase and switches to another cycle with probability 1/50 per token; with probability {@code noise} a token
     * is replaced by a uniformly random one.
     */
    static List<int[]> patterned(int count, int length, double noise, long seed) {
        Random r = new Random(seed);
        List<int[]> pieces = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int[] cycle = CYCLES[r.nextInt(CYCLES.length)];
            int phase = r.nextInt(cycle.length);
            int[] s = new int[length];
            for (int t = 0; t < length; t++) {
                if (r.nextInt(50) == 0) {
                    cycle = CYCLES[r.nextInt(CYCLES.length)];
                    phase = r.nextInt(cycle.length);
                }
                s[t] = r.nextDouble() < noise ? r.nextInt(VOCAB) : cycle[phase];
                phase = (phase + 1) % cycle.length;
            }
            pieces.add(s);
        }
        return pieces;
    }

    /** Independent uniformly random ids in [0, vocabulary). */
    static List<int[]> random(int count, int length, int vocabulary, long seed) {
        Random r = new Random(seed);
        List<int[]> pieces = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            pieces.add(r.ints(length, 0, vocabulary).toArray());
        }
        return pieces;
    }

    /** Overlapping windows of {@code length} ids every {@code stride} ids, as the old training benchmark cut. */
    static List<int[]> windows(List<int[]> pieces, int length, int stride) {
        List<int[]> out = new ArrayList<>();
        for (int[] p : pieces) {
            for (int start = 0; start + length <= p.length; start += stride) {
                out.add(java.util.Arrays.copyOfRange(p, start, start + length));
            }
        }
        return out;
    }
}
