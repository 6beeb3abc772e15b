package org.musicgen.evaluation.stats;

import java.util.Arrays;
import java.util.List;

/**
 * Krippendorff's α, the agreement of several coders (raters) on units (samples) beyond chance, with missing
 * values: α = 1 - (n - 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, where o is the coincidence matrix (each ordered pair of
 * values within a unit of m values adds 1/(m - 1)), n_c its margins, n the pairable values and δ² the metric's
 * difference (Krippendorff, Content Analysis, 2nd ed. 2004, ch. 11; "Computing Krippendorff's Alpha-Reliability",
 * 2011). Neither Commons library has it; the ordinal metric is the one the verdict reports, the others are here
 * so the published example can check the coincidences and margins for each metric.
 *
 * @param pairable values in units with at least two values (the n of the formula)
 */
public record KrippendorffAlpha(double alpha, int units, int pairable) {

    public enum Metric {
        NOMINAL, ORDINAL, INTERVAL, RATIO
    }

    /**
     * @param units per unit, the values the coders gave it (missing values left out); units with fewer than two
     *              values cannot be paired and count for nothing
     * @return null with fewer than two pairable values or when every pairable value is the same (no variation)
     */
    public static KrippendorffAlpha of(List<double[]> units, Metric metric) {
        double[] levels = units.stream().filter(u -> u.length > 1).flatMapToDouble(Arrays::stream)
                .sorted().distinct().toArray();
        int l = levels.length;
        double[][] o = new double[l][l];
        int pairableUnits = 0;
        for (double[] unit : units) {
            int m = unit.length;
            if (m < 2) {
                continue;
            }
            pairableUnits++;
            int[] at = Arrays.stream(unit).mapToInt(v -> Arrays.binarySearch(levels, v)).toArray();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    if (i != j) {
                        o[at[i]][at[j]] += 1.0 / (m - 1);
                    }
                }
            }
        }
        double[] margin = new double[l];
        double n = 0;
        for (int c = 0; c < l; c++) {
            for (int k = 0; k < l; k++) {
                margin[c] += o[c][k];
            }
            n += margin[c];
        }
        double observed = 0;
        double expected = 0;
        for (int c = 0; c < l; c++) {
            for (int k = 0; k < l; k++) {
                double d2 = difference(metric, levels, margin, c, k);
                observed += o[c][k] * d2;
                expected += margin[c] * margin[k] * d2;
            }
        }
        if (n < 2 || expected == 0) {
            return null;
        }
        return new KrippendorffAlpha(1 - (n - 1) * observed / expected, pairableUnits, (int) Math.round(n));
    }

    private static double difference(Metric metric, double[] levels, double[] margin, int c, int k) {
        return switch (metric) {
            case NOMINAL -> c == k ? 0 : 1;
            case INTERVAL -> (levels[c] - levels[k]) * (levels[c] - levels[k]);
            case RATIO -> {
                double sum = levels[c] + levels[k];
                yield sum == 0 ? 0 : Math.pow((levels[c] - levels[k]) / sum, 2);
            }
            case ORDINAL -> {
                int low = Math.min(c, k);
                int high = Math.max(c, k);
                double between = 0;
                for (int g = low; g <= high; g++) {
                    between += margin[g];
                }
                double d = between - (margin[low] + margin[high]) / 2;
                yield d * d;
            }
        };
    }
}
