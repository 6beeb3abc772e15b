package org.musicgen.evaluation.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The statistics against values worked out by hand (the working is in the comments). */
class StatisticsTest {

    @Test
    void studentTQuantilesMatchClosedFormsAndTables() {
        // df = 1 is the Cauchy distribution: t = tan(pi (p - 1/2)); p = 0.975 -> tan(0.475 pi) = 12.7062047
        assertEquals(Math.tan(0.475 * Math.PI), StudentT.quantile(0.975, 1), 1e-8);
        assertEquals(12.7062047, StudentT.quantile(0.975, 1), 1e-6);
        // df = 2: F(t) = 1/2 + t / (2 sqrt(t^2 + 2)), so t = (2p - 1) sqrt(2 / (4 p (1 - p)))
        //         p = 0.975: 0.95 * sqrt(2 / 0.0975) = 0.95 * 4.529108 = 4.302653
        assertEquals(0.95 * Math.sqrt(2 / 0.0975), StudentT.quantile(0.975, 2), 1e-9);
        // printed t tables (two-sided 95%): df 4 -> 2.776, 7 -> 2.365, 10 -> 2.228, 30 -> 2.042
        assertEquals(2.776445, StudentT.quantile(0.975, 4), 1e-6);
        assertEquals(2.364624, StudentT.quantile(0.975, 7), 1e-6);
        assertEquals(2.228139, StudentT.quantile(0.975, 10), 1e-6);
        assertEquals(2.042272, StudentT.quantile(0.975, 30), 1e-6);
        // large df tends to the normal quantile 1.959964
        assertEquals(1.959964, StudentT.quantile(0.975, 1e7), 1e-5);
        // symmetric
        assertEquals(-StudentT.quantile(0.9, 5), StudentT.quantile(0.1, 5), 1e-12);
        assertEquals(0, StudentT.quantile(0.5, 3), 0);
    }

    @Test
    void studentTDistributionFunctionMatchesTheClosedFormForThreeDegreesOfFreedom() {
        // df = 3: F(t) = 1/2 + (1/pi) (t/sqrt3 / (1 + t^2/3) + atan(t/sqrt3))
        // t = 2: t/sqrt3 = 1.1547005, 1 + 4/3 = 2.3333333 -> 0.4948717; atan(1.1547005) = 0.8570719
        //        (0.4948717 + 0.8570719) / pi = 0.4303370 -> F = 0.9303370
        assertEquals(0.9303370, StudentT.cdf(2, 3), 1e-7);
        assertEquals(1 - 0.9303370, StudentT.cdf(-2, 3), 1e-7);
        assertEquals(0.5, StudentT.cdf(0, 3), 1e-15);
    }

    @Test
    void normalTailsComeFromTheIncompleteGammaFunction() {
        // Phi(1) = 0.8413447 (normal table); P(|Z| >= 1.959964) = 0.05; P(Z >= 3) = 0.0013499
        assertEquals(0.8413447, SpecialFunctions.normalCdf(1), 1e-7);
        assertEquals(0.05, SpecialFunctions.twoSidedNormalP(1.959963984540054), 1e-12);
        assertEquals(0.0013499, 1 - SpecialFunctions.normalCdf(3), 1e-7);
        assertEquals(0.5, SpecialFunctions.normalCdf(0), 1e-15);
        // Gamma(5) = 4! = 24; Gamma(1/2) = sqrt(pi)
        assertEquals(Math.log(24), SpecialFunctions.logGamma(5), 1e-12);
        assertEquals(0.5 * Math.log(Math.PI), SpecialFunctions.logGamma(0.5), 1e-12);
        // I_x(1, 1) = x; I_x(a, 1) = x^a
        assertEquals(0.3, SpecialFunctions.regularizedBeta(0.3, 1, 1), 1e-14);
        assertEquals(Math.pow(0.6, 2.5), SpecialFunctions.regularizedBeta(0.6, 2.5, 1), 1e-13);
    }

    @Test
    void meanWithItsConfidenceInterval() {
        // 2 4 4 4 5 5 7 9: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32; s^2 = 32/7, s = 2.1380899
        // half width = t(0.975, 7) * s / sqrt 8 = 2.3646243 * 2.1380899 / 2.8284271 = 1.7874879
        Summary s = Summary.of(new double[]{2, 4, 4, 4, 5, 5, 7, 9});
        assertEquals(8, s.n());
        assertEquals(5.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), s.sd(), 1e-12);
        assertEquals(4.5, s.median(), 1e-12);
        assertEquals(5 - 1.7874879, s.ciLow(), 1e-6);
        assertEquals(5 + 1.7874879, s.ciHigh(), 1e-6);

        // 3 and 5: mean 4, s = sqrt 2, half width = 12.7062047 * sqrt2 / sqrt2 = 12.7062047
        Summary two = Summary.of(new double[]{3, 5});
        assertEquals(4 - 12.7062047, two.ciLow(), 1e-6);

        Summary one = Summary.of(new double[]{4});
        assertEquals(4.0, one.mean());
        assertNull(one.sd());
        assertNull(one.ciLow());
        Summary none = Summary.of(new double[0]);
        assertEquals(0, none.n());
        assertNull(none.mean());
    }

    @Test
    void mannWhitneyWithTiesByHand() {
        // LSTM 4 5 3 4, GAN 2 3 1 3 2; pooled and sorted: 1g 2g 2g 3l 3g 3g 4l 4l 5l
        // ranks: 1 -> 1; 2,2 -> 2.5; 3,3,3 -> 5; 4,4 -> 7.5; 5 -> 9
        // R_lstm = 5 + 7.5 + 7.5 + 9 = 29; U_lstm = 29 - 4*5/2 = 19; U_gan = 4*5 - 19 = 1
        // (check by counting pairs: 4 beats all 5 GAN values, 5 beats 5, 3 beats 3 and ties 2 -> 4, 4 beats 5: 19)
        // tie groups of 2, 3, 2: sum(t^3 - t) = 6 + 24 + 6 = 36
        // var U = n1 n2 / 12 * ((n + 1) - 36 / (n (n - 1))) = 20/12 * (10 - 36/72) = 15.833333
        // z = (19 - 10 - 0.5) / sqrt(15.833333) = 8.5 / 3.9791121 = 2.1361549; p = 2 (1 - Phi(2.1361549)) = 0.0326668
        // Cliff's delta = (19 - 1) / 20 = 0.9 (large)
        MannWhitney test = MannWhitney.test(new double[]{4, 5, 3, 4}, new double[]{2, 3, 1, 3, 2});
        assertEquals(19, test.u1(), 1e-12);
        assertEquals(1, test.u2(), 1e-12);
        assertEquals(2.1361549, test.z(), 1e-6);
        assertEquals(0.0326668, test.p(), 1e-6);
        assertEquals(0.9, test.cliffsDelta(), 1e-12);
        assertEquals("large", test.magnitude());

        // swapping the samples mirrors U, z and delta and keeps p
        MannWhitney mirrored = MannWhitney.test(new double[]{2, 3, 1, 3, 2}, new double[]{4, 5, 3, 4});
        assertEquals(1, mirrored.u1(), 1e-12);
        assertEquals(-test.z(), mirrored.z(), 1e-12);
        assertEquals(test.p(), mirrored.p(), 1e-12);
        assertEquals(-0.9, mirrored.cliffsDelta(), 1e-12);
    }

    @Test
    void mannWhitneyWithoutTiesAndDegenerateCases() {
        // 1 2 3 vs 4 5 6: U_x = 0, U_y = 9; var = 9/12 * 7 = 5.25; z = (0 - 4.5 + 0.5) / 2.2912878 = -1.7457431
        // p = 2 * (1 - Phi(1.7457431)) = 0.0808556; delta = -1
        MannWhitney test = MannWhitney.test(new double[]{1, 2, 3}, new double[]{4, 5, 6});
        assertEquals(0, test.u1(), 0);
        assertEquals(-1.7457431, test.z(), 1e-6);
        assertEquals(0.0808556, test.p(), 1e-6);
        assertEquals(-1, test.cliffsDelta(), 0);

        // all equal: no evidence at all
        MannWhitney equal = MannWhitney.test(new double[]{3, 3}, new double[]{3, 3, 3});
        assertEquals(1, equal.p(), 0);
        assertEquals(0, equal.cliffsDelta(), 0);
        assertEquals("negligible", equal.magnitude());

        assertNull(MannWhitney.test(new double[0], new double[]{1}));
    }

    @Test
    void wilsonIntervalByHand() {
        // 8 of 10: p = 0.8, z^2 = 3.8414588; denominator 1 + z^2/10 = 1.3841459
        // centre = (0.8 + 0.1920729) / 1.3841459 = 0.7167402
        // half = 1.959964 * sqrt(0.016 + 0.0096037) / 1.3841459 = 0.2265777 -> [0.4901625, 0.9433178]
        Proportion p = Proportion.wilson(8, 10);
        assertEquals(0.8, p.rate(), 1e-12);
        assertEquals(0.4901625, p.ciLow(), 1e-6);
        assertEquals(0.9433178, p.ciHigh(), 1e-6);

        // 0 of 5: centre = (z^2/10) / (1 + z^2/5) = 0.3841459 / 1.7682918 = 0.2172412 = half -> [0, 0.4344825]
        Proportion zero = Proportion.wilson(0, 5);
        assertEquals(0, zero.ciLow(), 1e-12);
        assertEquals(0.4344825, zero.ciHigh(), 1e-6);

        assertNull(Proportion.wilson(0, 0).rate());
        assertThrows(IllegalArgumentException.class, () -> Proportion.wilson(3, 2));
    }
}
