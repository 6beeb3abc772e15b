package org.musicgen.evaluation.stats;

/**
 * A share k/n with its 95% Wilson score interval:
 * (p̂ + z²/2n ± z·√(p̂(1-p̂)/n + z²/4n²)) / (1 + z²/n), z = Φ⁻¹(0.975). Rate and interval are null for n = 0.
 */
public record Proportion(int successes, int n, Double rate, Double ciLow, Double ciHigh) {

    /** Φ⁻¹(0.975). */
    public static final double Z95 = 1.959963984540054;

    public static Proportion wilson(int successes, int n) {
        if (successes < 0 || successes > n) {
            throw new IllegalArgumentException("need 0 <= successes <= n, got " + successes + "/" + n);
        }
        if (n == 0) {
            return new Proportion(0, 0, null, null, null);
        }
        double p = (double) successes / n;
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Proportion(successes, n, p, Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
