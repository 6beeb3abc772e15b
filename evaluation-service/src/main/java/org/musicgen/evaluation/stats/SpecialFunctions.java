package org.musicgen.evaluation.stats;

/**
 * The few special functions the tests need: log-gamma, the regularized incomplete beta function (for Student's t)
 * and the regularized incomplete gamma function (for the normal tail, via erfc). Accurate to about 1e-12 over the
 * ranges used here.
 */
public final class SpecialFunctions {

    private static final double EPSILON = 1e-15;
    private static final double TINY = 1e-300;
    private static final int MAX_ITERATIONS = 1000;

    /** Lanczos approximation, g = 7, nine coefficients. */
    private static final double[] LANCZOS = {
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};

    private SpecialFunctions() {
    }

    /** ln Γ(x) for x &gt; 0. */
    public static double logGamma(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
        }
        if (x < 0.5) {
            // reflection: Γ(x) Γ(1-x) = π / sin(πx)
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** ln B(a, b). */
    public static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    /** I_x(a, b), the regularized incomplete beta function, for a, b &gt; 0 and 0 &le; x &le; 1. */
    public static double regularizedBeta(double x, double a, double b) {
        if (x < 0 || x > 1 || Double.isNaN(x)) {
            throw new IllegalArgumentException("regularizedBeta needs 0 <= x <= 1, got " + x);
        }
        if (x == 0 || x == 1) {
            return x;
        }
        double front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
        // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
        if (x < (a + 1) / (a + b + 2)) {
            return front * betaFraction(x, a, b) / a;
        }
        return 1 - front * betaFraction(1 - x, b, a) / b;
    }

    /** Continued fraction of the incomplete beta function, evaluated with the modified Lentz method. */
    private static double betaFraction(double x, double a, double b) {
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / nonZero(d);
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            int m2 = 2 * m;
            // even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m))
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 / nonZero(1 + even * d);
            c = nonZero(1 + even / c);
            h *= d * c;
            // odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 / nonZero(1 + odd * d);
            c = nonZero(1 + odd / c);
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                return h;
            }
        }
        return h;
    }

    /** P(a, x), the regularized lower incomplete gamma function. */
    public static double regularizedGammaP(double a, double x) {
        if (x < 0 || a <= 0) {
            throw new IllegalArgumentException("regularizedGammaP needs a > 0 and x >= 0");
        }
        if (x == 0) {
            return 0;
        }
        return x < a + 1 ? gammaSeries(a, x) : 1 - gammaFraction(a, x);
    }

    /** Q(a, x) = 1 - P(a, x), computed directly so that small upper tails keep their precision. */
    public static double regularizedGammaQ(double a, double x) {
        if (x < 0 || a <= 0) {
            throw new IllegalArgumentException("regularizedGammaQ needs a > 0 and x >= 0");
        }
        if (x == 0) {
            return 1;
        }
        return x < a + 1 ? 1 - gammaSeries(a, x) : gammaFraction(a, x);
    }

    private static double gammaSeries(double a, double x) {
        double term = 1 / a;
        double sum = term;
        for (int n = 1; n <= MAX_ITERATIONS; n++) {
            term *= x / (a + n);
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * EPSILON) {
                break;
            }
        }
        return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
    }

    private static double gammaFraction(double a, double x) {
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / nonZero(b);
        double h = d;
        for (int i = 1; i <= MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = 1 / nonZero(an * d + b);
            c = nonZero(b + an / c);
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** erfc(x) for x &ge; 0: erfc(x) = Q(1/2, x²). */
    public static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        return regularizedGammaQ(0.5, x * x);
    }

    /** Φ(z), the standard normal distribution function. */
    public static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** P(|Z| &ge; |z|) for a standard normal Z: the two-sided p-value of a z statistic. */
    public static double twoSidedNormalP(double z) {
        return erfc(Math.abs(z) / Math.sqrt(2));
    }

    private static double nonZero(double value) {
        return Math.abs(value) < TINY ? TINY : value;
    }
}
