package org.musicgen.evaluation.stats;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.ranking.NaturalRanking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Kruskal-Wallis H test of k independent samples (neither Commons library has it as a test): the pooled values
 * are ranked by Commons Statistics ({@link NaturalRanking}, ties get their average rank),
 * H = [12 / (N(N+1)) · Σ R_i²/n_i - 3(N+1)] / [1 - Σ(t³-t) / (N³-N)] (t: the size of each group of ties), and p is
 * the upper tail of the chi-squared distribution with k - 1 degrees of freedom (Commons Statistics), the usual
 * large-sample approximation.
 *
 * @param groups the samples that had values (empty ones are left out of k)
 */
public record KruskalWallis(double h, int df, double p, int n, int groups) {

    /** Null with fewer than two non-empty samples, or when every value is the same (no ranking to test). */
    public static KruskalWallis test(List<double[]> samples) {
        List<double[]> groups = samples.stream().filter(s -> s.length > 0).toList();
        if (groups.size() < 2) {
            return null;
        }
        int total = groups.stream().mapToInt(g -> g.length).sum();
        double[] pooled = new double[total];
        int at = 0;
        for (double[] group : groups) {
            System.arraycopy(group, 0, pooled, at, group.length);
            at += group.length;
        }
        double[] ranks = new NaturalRanking().apply(pooled);
        double sum = 0;
        at = 0;
        for (double[] group : groups) {
            double rankSum = 0;
            for (int i = 0; i < group.length; i++) {
                rankSum += ranks[at + i];
            }
            sum += rankSum * rankSum / group.length;
            at += group.length;
        }
        double n = total;
        double correction = 1 - tieTerm(pooled) / (n * n * n - n);
        if (correction <= 0) {
            return null;
        }
        double h = (12 / (n * (n + 1)) * sum - 3 * (n + 1)) / correction;
        int df = groups.size() - 1;
        double p = ChiSquaredDistribution.of(df).survivalProbability(h);
        return new KruskalWallis(h, df, p, total, groups.size());
    }

    /** Σ (t³ - t) over the groups of tied values. */
    private static double tieTerm(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double term = 0;
        int run = 1;
        for (int i = 1; i <= sorted.length; i++) {
            if (i < sorted.length && sorted[i] == sorted[i - 1]) {
                run++;
            } else {
                term += (double) run * run * run - run;
                run = 1;
            }
        }
        return term;
    }

    /** The samples as a list (for call sites with a fixed number of groups). */
    public static KruskalWallis test(double[]... samples) {
        return test(new ArrayList<>(Arrays.asList(samples)));
    }
}
