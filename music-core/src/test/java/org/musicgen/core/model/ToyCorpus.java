package org.musicgen.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic token corpora for tests. */
public final class ToyCorpus {
    private ToyCorpus() {
    }

    /**
     * Long-range dependency: after a random start of {@code lag} tokens, token t is a fixed permutation of token
     * t - lag (probability 1 - noise) or a random token. A trigram sees only independent chains and cannot
     * predict; a recurrent model can. Tokens are in [1, vocabulary).
     */
    public static List<int[]> lagged(int count, int length, int vocabulary, int lag, double noise, long seed) {
        Random structure = new Random(1234);
        int[] perm = new int[vocabulary];
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i < vocabulary; i++) {
            ids.add(i);
        }
        java.util.Collections.shuffle(ids, structure);
        for (int i = 1; i < vocabulary; i++) {
            perm[i] = ids.get(i - 1);
        }
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int[] s = new int[length];
            for (int t = 0; t < length; t++) {
                if (t < lag || r.nextDouble() < noise) {
                    s[t] = 1 + r.nextInt(vocabulary - 1);
                } else {
                    s[t] = perm[s[t - lag]];
                }
            }
            out.add(s);
        }
        return out;
    }

    /**
     * A few repeating motifs (random phase) with a little noise; a skewed token distribution over a subset of
     * the vocabulary.
     */
    public static List<int[]> motifs(int count, int length, int vocabulary, double noise, long seed) {
        int[][] motifs = {
            {1, 2, 3, 4, 5, 4, 3, 2},
            {6, 7, 8, 6, 7, 8, 9},
            {10, 11, 12, 13, 12, 11},
            {1, 5, 8, 12, 8, 5},
        };
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int[] m = motifs[r.nextInt(motifs.length)];
            int phase = r.nextInt(m.length);
            int[] s = new int[length];
            for (int t = 0; t < length; t++) {
                s[t] = r.nextDouble() < noise ? 1 + r.nextInt(vocabulary - 1) : m[(phase + t) % m.length];
            }
            out.add(s);
        }
        return out;
    }
}
