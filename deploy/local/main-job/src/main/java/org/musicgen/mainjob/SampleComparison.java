package org.musicgen.mainjob;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The automatic batch of each source of one corpus (the LSTM's and the GAN's samples, the real excerpts that are the
 * listening test's control) side by side on the objective metrics stored with every sample: what the user would
 * otherwise look up on the results page. A model "sounds like the corpus" on a metric when its batch mean lies
 * within the range of the excerpts' values.
 */
public record SampleComparison(Map<String, List<Map<String, Double>>> metricsBySource) {

    /** The control: real excerpts of the corpus. */
    public static final String CORPUS = "corpus";
    /** The low anchors: the excerpts with their pitches scrambled, meant to sound unlike the corpus. */
    public static final String ANCHOR = "anchor";
    /** The metrics compared, as the generator names them. */
    public static final List<String> METRICS = List.of("scale_consistency", "pitch_class_entropy",
            "repetition_rate", "longest_repeated_ngram");
    /** The metrics the main job holds each model's batch mean against the excerpts and the low anchors on. */
    public static final List<String> CHECKED = List.of("scale_consistency", "pitch_class_entropy");

    public SampleComparison {
        Map<String, List<Map<String, Double>>> copy = new LinkedHashMap<>();
        metricsBySource.forEach((source, samples) -> copy.put(source, List.copyOf(samples)));
        metricsBySource = Collections.unmodifiableMap(copy);
    }

    /** The batch samples ({@code origin = batch}) of {@code corpusId} among the generator's sample views. */
    public static SampleComparison of(List<JsonNode> sampleViews, String corpusId) {
        Map<String, List<Map<String, Double>>> bySource = new LinkedHashMap<>();
        bySource.put("lstm", new ArrayList<>());
        bySource.put("gan", new ArrayList<>());
        bySource.put(CORPUS, new ArrayList<>());
        for (JsonNode view : sampleViews) {
            JsonNode sample = view.path("sample");
            if (!corpusId.equals(sample.path("corpusId").asText()) || !"batch".equals(sample.path("origin").asText())) {
                continue;
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            sample.path("metrics").properties().forEach(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
            bySource.computeIfAbsent(sample.path("model").asText(), k -> new ArrayList<>()).add(metrics);
        }
        return new SampleComparison(bySource);
    }

    public int count(String source) {
        return metricsBySource.getOrDefault(source, List.of()).size();
    }

    /** Mean of a metric over a source's samples that define it; NaN when none does. */
    public double mean(String source, String metric) {
        return values(source, metric).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** {min, max} of a metric over a source's samples; NaNs when none defines it. */
    public double[] range(String source, String metric) {
        List<Double> values = values(source, metric);
        return new double[] {values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
            values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)};
    }

    /** Whether a model's batch mean of the metric lies within the range of the corpus excerpts' values. */
    public boolean insideCorpusRange(String model, String metric) {
        double mean = mean(model, metric);
        double[] range = range(CORPUS, metric);
        return mean >= range[0] && mean <= range[1];
    }

    /**
     * The models whose batch mean on a checked metric lies no nearer the excerpts' mean than the low anchors' mean
     * does, with why: a model that learned its corpus's keys writes more like the corpus than the corpus's own notes
     * with their pitches scrambled. The baseline every model must beat; empty without anchors.
     */
    public List<String> noNearerThanTheAnchors() {
        List<String> misses = new ArrayList<>();
        if (count(ANCHOR) == 0) {
            return misses;
        }
        for (String model : metricsBySource.keySet()) {
            if (model.equals(CORPUS) || model.equals(ANCHOR) || count(model) == 0) {
                continue;
            }
            for (String metric : CHECKED) {
                double real = mean(CORPUS, metric);
                double distance = Math.abs(mean(model, metric) - real);
                double anchorDistance = Math.abs(mean(ANCHOR, metric) - real);
                if (!(distance < anchorDistance)) {
                    misses.add(String.format(Locale.ROOT, "%s %s %.3f no nearer the excerpts' %.3f than the low "
                            + "anchors' %.3f", model, metric, mean(model, metric), real, mean(ANCHOR, metric)));
                }
            }
        }
        return misses;
    }

    /** The models (not the control) whose batch mean leaves the excerpts' range on a checked metric, with why. */
    public List<String> outsideCorpusRange() {
        List<String> misses = new ArrayList<>();
        for (String model : metricsBySource.keySet()) {
            if (model.equals(CORPUS) || model.equals(ANCHOR) || count(model) == 0) {
                continue;
            }
            for (String metric : CHECKED) {
                if (!insideCorpusRange(model, metric)) {
                    double[] range = range(CORPUS, metric);
                    misses.add(String.format(Locale.ROOT, "%s %s %.3f outside the corpus excerpts' %.3f-%.3f", model,
                            metric, mean(model, metric), range[0], range[1]));
                }
            }
        }
        return misses;
    }

    /** The table printed at the end of the main job: the control's range, each model's mean and whether inside. */
    public List<String> table() {
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-28s", "source"));
        for (String metric : METRICS) {
            header.append(String.format(Locale.ROOT, " %22s", metric));
        }
        lines.add(header.toString());
        for (String source : metricsBySource.keySet()) {
            if (count(source) == 0) {
                continue;
            }
            boolean control = source.equals(CORPUS);
            boolean anchor = source.equals(ANCHOR);
            String name = control ? "corpus excerpts (range)" : anchor ? "low anchors (mean)"
                    : source.toUpperCase(Locale.ROOT) + " (batch mean)";
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-28s", name + ", " + count(source)));
            for (String metric : METRICS) {
                String cell;
                if (control) {
                    double[] range = range(source, metric);
                    cell = format(range[0]) + " - " + format(range[1]);
                } else {
                    cell = format(mean(source, metric))
                            + (CHECKED.contains(metric) && !anchor
                            ? (insideCorpusRange(source, metric) ? " inside" : " OUTSIDE")
                            : "");
                }
                row.append(String.format(Locale.ROOT, " %22s", cell));
            }
            lines.add(row.toString());
        }
        return lines;
    }

    private List<Double> values(String source, String metric) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Double> metrics : metricsBySource.getOrDefault(source, List.of())) {
            Double v = metrics.get(metric);
            if (v != null && !v.isNaN()) {
                values.add(v);
            }
        }
        return values;
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
