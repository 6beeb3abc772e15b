package org.musicgen.evaluation.stats;

import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.inference.BinomialTest;

/**
 * A share k/n with its exact 95% Clopper-Pearson interval (the 2.5% and 97.5% quantiles of Beta(k, n-k+1) and
 * Beta(k+1, n-k)) and the exact two-sided binomial test of the share against one half. Rate, interval and p are
 * null for n = 0. Distributions and the test are Apache Commons Statistics'.
 */
public record Proportion(int successes, int n, Double rate, Double ciLow, Double ciHigh, Double pAgainstHalf) {

    public static final double CONFIDENCE = 0.95;

    public static Proportion of(int successes, int n) {
        if (successes < 0 || successes > n) {
            throw new IllegalArgumentException("need 0 <= successes <= n, got " + successes + "/" + n);
        }
        if (n == 0) {
            return new Proportion(0, 0, null, null, null, null);
        }
        double tail = (1 - CONFIDENCE) / 2;
        double low = successes == 0 ? 0
                : BetaDistribution.of(successes, n - successes + 1.0).inverseCumulativeProbability(tail);
        double high = successes == n ? 1
                : BetaDistribution.of(successes + 1.0, n - successes).inverseCumulativeProbability(1 - tail);
        double p = BinomialTest.withDefaults().test(n, successes, 0.5).getPValue();
        return new Proportion(successes, n, (double) successes / n, low, high, p);
    }
}
