package org.musicgen.evaluation.stats;

import org.apache.commons.statistics.descriptive.Quantile;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Cliff's δ = P(x &gt; y) - P(x &lt; y) of two samples with a percentile bootstrap confidence interval: each sample is
 * resampled with replacement on its own (a generator seeded by the caller, so the same ratings give the same
 * interval), δ is computed for each resample, and the interval is the 2.5% and 97.5% quantiles of those
 * (Commons Statistics' {@link Quantile}). δ is computed from counts per distinct value, so a resample of 1-5 ratings
 * costs its draws and five sums.
 */
public record CliffsDelta(double delta, double ciLow, double ciHigh, int resamples) {

    public static final double CONFIDENCE = 0.95;

    /** Null while either sample is empty; with no resamples the interval is the point (nothing to say). */
    public static CliffsDelta bootstrap(double[] first, double[] second, int resamples, long seed) {
        if (first.length == 0 || second.length == 0) {
            return null;
        }
        double[] levels = levels(first, second);
        int[] x = indices(first, levels);
        int[] y = indices(second, levels);
        double delta = delta(count(x, levels.length, null), count(y, levels.length, null), x.length, y.length);
        if (resamples <= 0) {
            return new CliffsDelta(delta, delta, delta, 0);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] deltas = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            deltas[r] = delta(count(x, levels.length, random), count(y, levels.length, random), x.length, y.length);
        }
        double tail = (1 - CONFIDENCE) / 2;
        double[] ci = Quantile.withDefaults().evaluate(deltas, tail, 1 - tail);
        return new CliffsDelta(delta, ci[0], ci[1], resamples);
    }

    /** δ without an interval. */
    public static double of(double[] first, double[] second) {
        return bootstrap(first, second, 0, 0).delta();
    }

    private static double[] levels(double[] first, double[] second) {
        double[] all = new double[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return Arrays.stream(all).sorted().distinct().toArray();
    }

    private static int[] indices(double[] values, double[] levels) {
        int[] at = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            at[i] = Arrays.binarySearch(levels, values[i]);
        }
        // sorted, so a resample depends on the multiset of values, not on the order they arrived in
        Arrays.sort(at);
        return at;
    }

    /** Values per level: of the sample itself (random null) or of one resample with replacement. */
    private static long[] count(int[] sample, int levels, SplittableRandom random) {
        long[] counts = new long[levels];
        for (int i = 0; i < sample.length; i++) {
            counts[sample[random == null ? i : random.nextInt(sample.length)]]++;
        }
        return counts;
    }

    private static double delta(long[] x, long[] y, int n1, int n2) {
        long below = 0;
        long above = n2;
        long dominance = 0;
        for (int level = 0; level < x.length; level++) {
            above -= y[level];
            dominance += x[level] * (below - above);
            below += y[level];
        }
        return (double) dominance / ((double) n1 * n2);
    }
}
