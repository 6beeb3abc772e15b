package org.musicgen.evaluation.stats;

import java.util.Arrays;

/**
 * Mann-Whitney U test of two independent samples of ordinal values (two-sided), with the normal approximation:
 * average ranks for ties, the tie-corrected variance and a continuity correction of 1/2. The effect size is Cliff's
 * delta, P(X &gt; Y) - P(X &lt; Y), which equals the rank-biserial correlation 2·U_x/(n_x·n_y) - 1.
 *
 * @param u1         U of the first sample: the number of pairs (x, y) with x &gt; y, plus half the ties
 * @param u2         U of the second sample, n1·n2 - u1
 * @param z          standardised statistic of u1 (with continuity correction); 0 when all values are equal
 * @param p          two-sided p-value from the normal approximation
 * @param cliffsDelta effect size in [-1, 1]; positive when the first sample tends to be larger
 */
public record MannWhitney(int n1, int n2, double u1, double u2, double z, double p, double cliffsDelta) {

    /** Null when either sample is empty. */
    public static MannWhitney test(double[] first, double[] second) {
        int n1 = first.length;
        int n2 = second.length;
        if (n1 == 0 || n2 == 0) {
            return null;
        }
        int n = n1 + n2;
        double[] all = new double[n];
        System.arraycopy(first, 0, all, 0, n1);
        System.arraycopy(second, 0, all, n1, n2);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));

        double[] ranks = new double[n];
        double tieTerm = 0; // Σ (t³ - t) over groups of tied values
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && all[order[j + 1]] == all[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = averageRank;
            }
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }
        double rankSum1 = 0;
        for (int k = 0; k < n1; k++) {
            rankSum1 += ranks[k];
        }
        double product = (double) n1 * n2;
        double u1 = rankSum1 - n1 * (n1 + 1) / 2.0;
        double u2 = product - u1;
        double mean = product / 2;
        double variance = product / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
        double z;
        double p;
        if (variance <= 0) {
            z = 0;
            p = 1;
        } else {
            double deviation = u1 - mean;
            double corrected = Math.signum(deviation) * Math.max(0, Math.abs(deviation) - 0.5);
            z = corrected / Math.sqrt(variance);
            p = Math.min(1, SpecialFunctions.twoSidedNormalP(z));
        }
        double delta = (u1 - u2) / product;
        return new MannWhitney(n1, n2, u1, u2, z, p, delta);
    }

    /** Romano et al.'s thresholds for |delta|: negligible &lt; 0.147 &le; small &lt; 0.33 &le; medium &lt; 0.474 &le; large. */
    public String magnitude() {
        double d = Math.abs(cliffsDelta);
        if (d < 0.147) {
            return "negligible";
        }
        if (d < 0.33) {
            return "small";
        }
        if (d < 0.474) {
            return "medium";
        }
        return "large";
    }
}
