package org.musicgen.evaluation.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's (1979) step-down correction for m tests: sorted ascending, the i-th smallest p (i from 0) is multiplied by
 * m - i, each adjusted value is at least the one before it (monotone), and none exceeds 1. A hypothesis is rejected
 * at family-wise level α when its adjusted p is below α. Nulls (tests that could not be done) are left out of m
 * and stay null.
 */
public final class Holm {

    private Holm() {
    }

    public static Double[] adjust(Double[] p) {
        Integer[] order = IntStream.range(0, p.length).filter(i -> p[i] != null).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
        Double[] adjusted = new Double[p.length];
        int m = order.length;
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            running = Math.max(running, Math.min(1, (m - rank) * p[order[rank]]));
            adjusted[order[rank]] = running;
        }
        return adjusted;
    }

    public static double[] adjust(double[] p) {
        Double[] boxed = Arrays.stream(p).boxed().toArray(Double[]::new);
        return Arrays.stream(adjust(boxed)).mapToDouble(Double::doubleValue).toArray();
    }
}
