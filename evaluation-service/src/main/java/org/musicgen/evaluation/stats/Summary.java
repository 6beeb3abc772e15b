package org.musicgen.evaluation.stats;

import java.util.Arrays;

/**
 * Mean of a sample with its 95% confidence interval from Student's t (mean ± t(0.975, n-1) · s/√n). The interval
 * (and the standard deviation) are null for fewer than two values; every field is null for none.
 */
public record Summary(int n, Double mean, Double sd, Double median, Double ciLow, Double ciHigh) {

    public static final double CONFIDENCE = 0.95;

    public static Summary of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Summary(0, null, null, null, null, null);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        if (n == 1) {
            return new Summary(1, mean, null, median, null, null);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double half = StudentT.quantile(1 - (1 - CONFIDENCE) / 2, n - 1) * sd / Math.sqrt(n);
        return new Summary(n, mean, sd, median, mean - half, mean + half);
    }

    public static Summary ofInts(int[] values) {
        return of(Arrays.stream(values).asDoubleStream().toArray());
    }
}
