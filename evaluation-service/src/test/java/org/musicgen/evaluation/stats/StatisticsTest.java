package org.musicgen.evaluation.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library-backed statistics against published worked examples, each also worked by hand here (in the comments or
 * by enumeration), so a wrong example could not pass unnoticed.
 */
class StatisticsTest {

    /**
     * Hollander &amp; Wolfe, Nonparametric Statistical Methods (1973), p. 116: mucociliary efficiency (rate of removal
     * of dust) in normal subjects, subjects with obstructive airway disease and subjects with asbestosis. Published:
     * H = 0.7714, 2 degrees of freedom, p = 0.68 (also R's kruskal.test example: chi-squared = 0.77143, p = 0.68).
     */
    @Test
    void kruskalWallisMatchesHollanderAndWolfesMucociliaryExample() {
        double[] normal = {2.9, 3.0, 2.5, 2.6, 3.2};
        double[] airway = {3.8, 2.7, 4.0, 2.4};
        double[] asbestosis = {2.8, 3.4, 3.7, 2.2, 2.0};
        KruskalWallis kw = KruskalWallis.test(normal, airway, asbestosis);
        // by hand: pooled ranks 2.0:1 2.2:2 2.4:3 2.5:4 2.6:5 2.7:6 2.8:7 2.9:8 3.0:9 3.2:10 3.4:11 3.7:12 3.8:13 4.0:14
        // rank sums 36 (normal), 36 (airway), 33 (asbestosis); no ties
        // H = 12/(14*15) * (36^2/5 + 36^2/4 + 33^2/5) - 3*15 = 0.0571429 * 801 - 45 = 0.771429
        assertEquals(12.0 / 210 * (36.0 * 36 / 5 + 36.0 * 36 / 4 + 33.0 * 33 / 5) - 45, kw.h(), 1e-12);
        assertEquals(0.7714, kw.h(), 5e-5);
        assertEquals(2, kw.df());
        assertEquals(14, kw.n());
        // chi-squared with 2 df: the upper tail is exp(-H/2) exactly
        assertEquals(Math.exp(-kw.h() / 2), kw.p(), 1e-12);
        assertEquals(0.68, kw.p(), 0.005);
    }

    @Test
    void kruskalWallisCorrectsForTies() {
        // {1, 2, 2} and {2, 3, 3}: pooled ranks 1 -> 1, the three 2s -> 3, the two 3s -> 5.5
        // R1 = 1 + 3 + 3 = 7, R2 = 3 + 5.5 + 5.5 = 14; uncorrected H = 12/42 * (49/3 + 196/3) - 21 = 2.333333
        // ties: (27 - 3) + (8 - 2) = 30; correction 1 - 30 / (216 - 6) = 0.857143; H = 2.722222
        KruskalWallis kw = KruskalWallis.test(new double[]{1, 2, 2}, new double[]{2, 3, 3});
        assertEquals(2.333333333 / (1 - 30.0 / 210), kw.h(), 1e-8);
        assertEquals(1, kw.df());
        // 1 df: p = P(|Z| > sqrt(H)) = 2 (1 - Phi(1.649916)); 1 - Phi(1.65) = 0.049471 (tables), plus
        // phi(1.65) * 0.000084 = 0.0000086 -> 2 * 0.0494796 = 0.098959
        assertEquals(0.098959, kw.p(), 1e-5);
        assertNull(KruskalWallis.test(new double[]{3, 3}, new double[]{3}), "all tied: nothing to rank");
        assertNull(KruskalWallis.test(new double[]{1, 2}, new double[0]), "one group with values: no test");
    }

    /**
     * Hollander &amp; Wolfe (1973), p. 69f: permeability constants of the human chorioamnion at term (x) and between
     * 12 and 26 weeks (y). Published: W (= the Mann-Whitney U of x) = 35, exact one-sided p = 0.1272 (also R's
     * wilcox.test example, alternative "greater"). Two-sided: twice that.
     */
    @Test
    void mannWhitneyMatchesHollanderAndWolfesPermeabilityExample() {
        double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
        double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};
        MannWhitney test = MannWhitney.test(x, y);
        // by hand: x ranks 1, 3, 4, 7, 10, 11, 12, 13, 14, 15 in the pooled 15 -> 90; U = 90 - 10*11/2 = 35
        assertEquals(35, test.u(), 0);
        assertTrue(test.exact(), "no ties, small samples: exact");
        // by enumeration: of the C(15, 5) = 3003 equally likely rank sets of y, count those with U_x >= 35
        int[] tail = exactTail(10, 5, 35);
        assertEquals(3003, tail[1]);
        assertEquals(382, tail[0]);
        assertEquals(0.1272, 382.0 / 3003, 5e-5);
        assertEquals(2 * 382.0 / 3003, test.p(), 1e-12);
        // Cliff's delta = 2U / (n1 n2) - 1 = 70 / 50 - 1 = 0.4
        assertEquals(0.4, test.cliffsDelta(), 1e-12);
        assertEquals(0.4, CliffsDelta.of(x, y), 1e-12);
    }

    @Test
    void mannWhitneyWithTiesUsesTheTieCorrectedNormalApproximationWithContinuityCorrection() {
        double[] lstm = {4, 5, 3, 4};
        double[] gan = {2, 3, 1, 3, 2};
        MannWhitney test = MannWhitney.test(lstm, gan);
        // pooled 1 2 2 3 3 3 4 4 5: ranks 1 | 2.5 2.5 | 5 5 5 | 7.5 7.5 | 9; R_lstm = 7.5 + 9 + 5 + 7.5 = 29
        // U = 29 - 4*5/2 = 19; mean 10; tie term (8 - 2) + (27 - 3) + (8 - 2) = 36
        // var = 4*5/12 * (10 - 36/(9*8)) = 1.666667 * 9.5 = 15.833333; z = (19 - 10 - 0.5) / 3.979112 = 2.136158
        // p = 2 (1 - Phi(2.136158)) = 0.0326668
        assertEquals(19, test.u(), 0);
        assertFalse(test.exact());
        assertEquals(0.0326668, test.p(), 1e-6);
        // delta = 2U / (n1 n2) - 1 = 38 / 20 - 1 = 0.9
        assertEquals(0.9, test.cliffsDelta(), 1e-12);
        assertEquals("large", MannWhitney.magnitude(test.cliffsDelta()));
        assertNull(MannWhitney.test(lstm, new double[0]));
        assertEquals(1, MannWhitney.test(new double[]{3, 3}, new double[]{3}).p(), 0, "all tied: no difference");
    }

    /**
     * Holm (1979), step-down: the worked example of the Holm-Bonferroni method (four hypotheses, α = 0.05, p = 0.01,
     * 0.04, 0.03, 0.005; H1 and H4 rejected, H2 and H3 not), as in the Wikipedia article "Holm-Bonferroni method".
     */
    @Test
    void holmRejectsWhatTheWorkedExampleRejectsWithMonotoneAdjustedValues() {
        double[] adjusted = Holm.adjust(new double[]{0.01, 0.04, 0.03, 0.005});
        // by hand: sorted 0.005 * 4 = 0.02 (H4), 0.01 * 3 = 0.03 (H1), 0.03 * 2 = 0.06 (H3),
        //          0.04 * 1 = 0.04 -> raised to 0.06 (H2: never below the step before)
        assertArrayEquals(new double[]{0.03, 0.06, 0.06, 0.02}, adjusted, 1e-12);
        boolean[] rejected = new boolean[4];
        for (int i = 0; i < 4; i++) {
            rejected[i] = adjusted[i] < 0.05;
        }
        assertArrayEquals(new boolean[]{true, false, false, true}, rejected);
        // capped at 1; a missing test stays missing and is not counted in m
        assertArrayEquals(new Double[]{0.7, null, 0.2}, Holm.adjust(new Double[]{0.7, null, 0.1}));
        assertArrayEquals(new Double[]{1.0, null, 1.0}, Holm.adjust(new Double[]{0.7, null, 0.6}));
    }

    @Test
    void cliffsDeltaHasASeededBootstrapInterval() {
        double[] first = {5, 5, 4, 4, 4, 3, 3, 2, 5, 4};
        double[] second = {3, 2, 2, 1, 3, 3, 4, 2, 1, 2};
        // by hand: pairs first > second minus first < second over 100 pairs
        double byHand = 0;
        for (double a : first) {
            for (double b : second) {
                byHand += Math.signum(a - b);
            }
        }
        CliffsDelta delta = CliffsDelta.bootstrap(first, second, 2000, 42);
        assertEquals(byHand / 100, delta.delta(), 1e-12);
        assertTrue(delta.ciLow() < delta.delta() && delta.delta() < delta.ciHigh(), delta.toString());
        assertTrue(delta.ciLow() > 0.3 && delta.ciHigh() <= 1, delta.toString());
        assertEquals(delta, CliffsDelta.bootstrap(first, second, 2000, 42), "the same seed, the same interval");
        double[] reversed = first.clone();
        for (int i = 0; i < reversed.length / 2; i++) {
            double t = reversed[i];
            reversed[i] = reversed[reversed.length - 1 - i];
            reversed[reversed.length - 1 - i] = t;
        }
        assertEquals(delta, CliffsDelta.bootstrap(reversed, second, 2000, 42), "the order of the ratings does not matter");
        CliffsDelta separated = CliffsDelta.bootstrap(new double[]{4, 5, 5}, new double[]{1, 2}, 500, 1);
        assertEquals(1, separated.delta(), 0);
        assertEquals(1, separated.ciLow(), 0);
        assertEquals(1, separated.ciHigh(), 0);
    }

    /**
     * Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011) and Content Analysis (2004), the reliability
     * data of 4 observers coding 12 units with missing values. Published: nominal α = 0.743, ordinal α = 0.815,
     * interval α = 0.849, ratio α = 0.797.
     */
    @Test
    void krippendorffsAlphaMatchesHisPublishedReliabilityExample() {
        double n = Double.NaN;
        double[][] observers = {
                {1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n},
                {1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3},
                {n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n},
                {1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n}};
        List<double[]> units = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            int unit = u;
            units.add(Arrays.stream(observers).mapToDouble(o -> o[unit]).filter(v -> !Double.isNaN(v)).toArray());
        }
        assertEquals(0.743, KrippendorffAlpha.of(units, KrippendorffAlpha.Metric.NOMINAL).alpha(), 5e-4);
        assertEquals(0.815, KrippendorffAlpha.of(units, KrippendorffAlpha.Metric.ORDINAL).alpha(), 5e-4);
        assertEquals(0.849, KrippendorffAlpha.of(units, KrippendorffAlpha.Metric.INTERVAL).alpha(), 5e-4);
        assertEquals(0.797, KrippendorffAlpha.of(units, KrippendorffAlpha.Metric.RATIO).alpha(), 5e-4);
        KrippendorffAlpha ordinal = KrippendorffAlpha.of(units, KrippendorffAlpha.Metric.ORDINAL);
        // unit 12 has one value: not pairable; the other 11 hold 40 pairable values (his n = 40)
        assertEquals(11, ordinal.units());
        assertEquals(40, ordinal.pairable());
        // by hand, nominal: disagreeing coincidences 2 (unit 2) + 4 (unit 6) + 2 (unit 8) = 8; value totals 9, 13, 10,
        // 5, 3 -> sum of n_c n_k over c != k = 1600 - 384 = 1216; alpha = 1 - 39 * 8 / 1216 = 0.743421
        assertEquals(1 - 39 * 8.0 / 1216, KrippendorffAlpha.of(units, KrippendorffAlpha.Metric.NOMINAL).alpha(),
                1e-12);
        assertNull(KrippendorffAlpha.of(List.of(new double[]{3, 3}, new double[]{3}), KrippendorffAlpha.Metric.ORDINAL),
                "no variation: α is undefined");
    }

    @Test
    void clopperPearsonIntervalsAndTheExactBinomialTest() {
        // k = 0: the upper bound solves (1 - p)^n = 0.025 -> 1 - 0.025^(1/10) = 0.308497
        Proportion none = Proportion.of(0, 10);
        assertEquals(0, none.ciLow(), 0);
        assertEquals(1 - Math.pow(0.025, 0.1), none.ciHigh(), 1e-9);
        // k = n: the mirror image
        Proportion all = Proportion.of(10, 10);
        assertEquals(Math.pow(0.025, 0.1), all.ciLow(), 1e-9);
        // 3 of 10: the bounds are where the binomial tails are 2.5%: P(X >= 3 | low) = P(X <= 3 | high) = 0.025
        Proportion three = Proportion.of(3, 10);
        assertEquals(0.025, 1 - binomialCdf(2, 10, three.ciLow()), 1e-9);
        assertEquals(0.025, binomialCdf(3, 10, three.ciHigh()), 1e-9);
        assertEquals(0.0667, three.ciLow(), 5e-5);
        assertEquals(0.6525, three.ciHigh(), 5e-5);
        // binomial two-sided p = 2 P(X <= 3) = 2 (1 + 10 + 45 + 120) / 1024 = 0.34375
        assertEquals(0.34375, three.pAgainstHalf(), 1e-12);
        assertEquals(1.0, Proportion.of(5, 10).pAgainstHalf(), 1e-12);
        assertNull(Proportion.of(0, 0).rate());
        assertThrows(IllegalArgumentException.class, () -> Proportion.of(3, 2));
    }

    @Test
    void summaryHasTheStudentTInterval() {
        Summary s = Summary.of(new double[]{1, 2, 3, 4});
        // mean 2.5, sd sqrt(5/3) = 1.290994; t(0.975, 3) = 3.182446 (printed t tables: 3.182)
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-12);
        assertEquals(2.5 - 3.182446 * Math.sqrt(5.0 / 3) / 2, s.ciLow(), 1e-6);
        assertEquals(2.5, s.median(), 0);
        assertEquals(3, Summary.of(new double[]{5, 1, 3}).median(), 0);
        assertNull(Summary.of(new double[]{2}).sd());
        assertEquals(0, Summary.of(new double[0]).n());
    }

    @Test
    void powerIsTheNormalSampleSizeAdjustedForTheRankTest() {
        // sd 1, difference 0.5, two-sided alpha 0.05/3, power 0.8: z = 2.393980 + 0.841621 = 3.235601
        // t test: 2 * 3.235601^2 / 0.25 = 83.75; / (3 / pi) = 87.7 -> 88
        assertEquals(88, Power.perGroup(1.0, 0.5, 0.05 / 3, 0.8));
        assertNull(Power.perGroup(null, 0.5, 0.05, 0.8));
    }

    /** P(X <= k) for X ~ Binomial(n, p), summed term by term. */
    private static double binomialCdf(int k, int n, double p) {
        double sum = 0;
        double choose = 1;
        for (int i = 0; i <= k; i++) {
            sum += choose * Math.pow(p, i) * Math.pow(1 - p, n - i);
            choose = choose * (n - i) / (i + 1);
        }
        return sum;
    }

    /** {count of y-rank sets with U_x >= u, all sets}: U_x = m n + n(n+1)/2 - (sum of y ranks). */
    private static int[] exactTail(int m, int n, int u) {
        int total = m + n;
        int[] counts = {0, 0};
        for (int mask = 0; mask < 1 << total; mask++) {
            if (Integer.bitCount(mask) != n) {
                continue;
            }
            int ySum = 0;
            for (int r = 0; r < total; r++) {
                if ((mask & 1 << r) != 0) {
                    ySum += r + 1;
                }
            }
            int ux = m * n + n * (n + 1) / 2 - ySum;
            counts[1]++;
            if (ux >= u) {
                counts[0]++;
            }
        }
        return counts;
    }
}
