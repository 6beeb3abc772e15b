package org.musicgen.evaluation.stats;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Sample size per group for a two-sided two-sample comparison of means: n = 2σ²(z(1-α/2) + z(power))² / Δ², then
 * divided by the Mann-Whitney test's asymptotic relative efficiency against the t test under normality (3/π), as a
 * rank test on normal-like data needs about π/3 times the t test's sample. Normal quantiles from Commons Statistics.
 */
public final class Power {

    /** Asymptotic relative efficiency of the Mann-Whitney test against the t test for normal data. */
    public static final double RANK_TEST_EFFICIENCY = 3 / Math.PI;

    private Power() {
    }

    /**
     * @param sd         the ratings' standard deviation (the pooled spread of the two groups)
     * @param difference the difference of means to detect
     * @param alpha      the two-sided level of this one test (already corrected for multiple tests)
     * @param power      the wanted chance of detecting the difference
     * @return ratings per group, rounded up; null when the spread is unknown
     */
    public static Integer perGroup(Double sd, double difference, double alpha, double power) {
        if (sd == null || !(difference > 0)) {
            return null;
        }
        NormalDistribution normal = NormalDistribution.of(0, 1);
        double z = normal.inverseCumulativeProbability(1 - alpha / 2) + normal.inverseCumulativeProbability(power);
        double tTest = 2 * sd * sd * z * z / (difference * difference);
        return (int) Math.ceil(tTest / RANK_TEST_EFFICIENCY);
    }
}
