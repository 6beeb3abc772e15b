package org.musicgen.evaluation.stats;

import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum) of one sample against another, by Apache Commons Statistics.
 * The p-value is exact (the null distribution of U) when neither sample has tied values and both have fewer than
 * {@link #EXACT_LIMIT} values; otherwise it is the normal approximation with the tie-corrected variance and a
 * continuity correction (1-5 ratings nearly always tie, so the verdict's p-values are normal approximations). When
 * every value of both samples is the same, p is 1.
 *
 * @param u           the first sample's U: pairs (x, y) with x &gt; y, plus half the tied pairs
 * @param exact       true when p is exact, false for the normal approximation
 * @param cliffsDelta Cliff's δ = P(x &gt; y) - P(x &lt; y) = 2U/(n1·n2) - 1, the rank-biserial correlation
 */
public record MannWhitney(int n1, int n2, double u, double p, boolean exact, double cliffsDelta) {

    /** Exact p-values below this many values per sample (the exact distribution is cheap there). */
    public static final int EXACT_LIMIT = 50;

    /** Null while either sample is empty. */
    public static MannWhitney test(double[] first, double[] second) {
        if (first.length == 0 || second.length == 0) {
            return null;
        }
        boolean exact = first.length < EXACT_LIMIT && second.length < EXACT_LIMIT && !tied(first, second);
        MannWhitneyUTest.Result result = MannWhitneyUTest.withDefaults()
                .with(exact ? PValueMethod.EXACT : PValueMethod.ASYMPTOTIC)
                .test(first, second);
        double u = result.getStatistic();
        double delta = 2 * u / ((double) first.length * second.length) - 1;
        // every value the same: U has no spread and the library's normal approximation gives NaN; nothing differs
        double p = Double.isNaN(result.getPValue()) ? 1 : result.getPValue();
        return new MannWhitney(first.length, second.length, u, p, exact, delta);
    }

    /** Romano et al. (2006) thresholds for |δ|: negligible &lt; 0.147 &lt; small &lt; 0.33 &lt; medium &lt; 0.474 &lt; large. */
    public static String magnitude(double delta) {
        double d = Math.abs(delta);
        return d < 0.147 ? "negligible" : d < 0.33 ? "small" : d < 0.474 ? "medium" : "large";
    }

    private static boolean tied(double[] first, double[] second) {
        double[] all = new double[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        java.util.Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                return true;
            }
        }
        return false;
    }
}
