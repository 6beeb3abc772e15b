package org.musicgen.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Latencies in milliseconds, thread-safe; percentiles by the nearest-rank method. */
final class Latencies {

    private final List<Double> millis = new ArrayList<>();

    synchronized void addNanos(long nanos) {
        millis.add(nanos / 1e6);
    }

    synchronized void addMillis(double ms) {
        millis.add(ms);
    }

    synchronized int count() {
        return millis.size();
    }

    private synchronized double[] sorted() {
        return millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** The smallest value with at least {@code p} percent of the values at or below it; NaN when empty. */
    double percentile(double p) {
        double[] values = sorted();
        if (values.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * values.length);
        return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
    }

    double mean() {
        double[] values = sorted();
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    double max() {
        double[] values = sorted();
        return values.length == 0 ? Double.NaN : values[values.length - 1];
    }

    double min() {
        double[] values = sorted();
        return values.length == 0 ? Double.NaN : values[0];
    }

    Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", count());
        out.put("mean_ms", round(mean()));
        out.put("p50_ms", round(percentile(50)));
        out.put("p95_ms", round(percentile(95)));
        out.put("min_ms", round(min()));
        out.put("max_ms", round(max()));
        return out;
    }

    String line() {
        return String.format(Locale.ROOT, "n=%d mean=%.0f ms p50=%.0f ms p95=%.0f ms min=%.0f ms max=%.0f ms",
                count(), mean(), percentile(50), percentile(95), min(), max());
    }

    static Object round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        return Math.round(value * 10) / 10.0;
    }
}
