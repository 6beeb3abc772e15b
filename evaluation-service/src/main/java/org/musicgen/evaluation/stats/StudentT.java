package org.musicgen.evaluation.stats;

/** Student's t distribution: distribution function and quantiles, for confidence intervals of means. */
public final class StudentT {

    private StudentT() {
    }

    /** P(T &le; t) with {@code df} degrees of freedom. */
    public static double cdf(double t, double df) {
        requireDf(df);
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return t > 0 ? 1 : 0;
        }
        // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2)
        double tail = 0.5 * SpecialFunctions.regularizedBeta(df / (df + t * t), df / 2, 0.5);
        return t > 0 ? 1 - tail : tail;
    }

    /** The t with P(T &le; t) = p, found by bisection on the distribution function (to about 1e-12). */
    public static double quantile(double p, double df) {
        requireDf(df);
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("quantile needs 0 < p < 1, got " + p);
        }
        if (p == 0.5) {
            return 0;
        }
        if (p < 0.5) {
            return -quantile(1 - p, df);
        }
        double low = 0;
        double high = 1;
        while (cdf(high, df) < p) {
            low = high;
            high *= 2;
            if (high > 1e12) {
                return Double.POSITIVE_INFINITY;
            }
        }
        for (int i = 0; i < 200 && high - low > 1e-13 * Math.max(1, high); i++) {
            double mid = 0.5 * (low + high);
            if (cdf(mid, df) < p) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return 0.5 * (low + high);
    }

    private static void requireDf(double df) {
        if (!(df > 0)) {
            throw new IllegalArgumentException("degrees of freedom must be > 0, got " + df);
        }
    }
}
