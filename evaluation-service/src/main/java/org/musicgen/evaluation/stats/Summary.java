package org.musicgen.evaluation.stats;

import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.descriptive.StandardDeviation;
import org.apache.commons.statistics.distribution.TDistribution;

import java.util.Arrays;

/**
 * Mean of a sample with its 95% confidence interval from Student's t (mean ± t(0.975, n-1) · s/√n), with the
 * median and the standard deviation (n - 1). The interval (and the standard deviation) are null for fewer than two
 * values; every field is null for none. Moments, median and t quantile come from Apache Commons Statistics.
 */
public record Summary(int n, Double mean, Double sd, Double median, Double ciLow, Double ciHigh) {

    public static final double CONFIDENCE = 0.95;

    public static Summary of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Summary(0, null, null, null, null, null);
        }
        double mean = Mean.of(values).getAsDouble();
        double median = Median.withDefaults().evaluate(values.clone());
        if (n == 1) {
            return new Summary(1, mean, null, median, null, null);
        }
        double sd = StandardDeviation.of(values).getAsDouble();
        double t = TDistribution.of(n - 1).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        double half = t * sd / Math.sqrt(n);
        return new Summary(n, mean, sd, median, mean - half, mean + half);
    }

    public static Summary ofInts(int[] values) {
        return of(Arrays.stream(values).asDoubleStream().toArray());
    }
}
