package org.musicgen.evaluation.results;

import org.musicgen.evaluation.samples.ClipLength;
import org.musicgen.evaluation.samples.ModelKind;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.stats.Summary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How long the clips of the experiment are, per source, so a reader can check that length is not confounded with
 * the model; and the samples that fell short of their clip (a model that could not fill it: never planned into a
 * trial, reported here by model and run).
 *
 * @param clipSeconds the experiment's clip length: configured, or the one most samples were cut to; null when no
 *                    sample says (samples announced before clips existed)
 * @param sources     per source, min / median / max of the durations of its samples cut to that length (the short
 *                    ones left out: they are not in any trial)
 * @param shortfalls  the samples shorter than their clip by more than {@link ClipLength#MARGIN_SECONDS}, per model
 */
public record ClipLengths(Double clipSeconds, List<SourceLengths> sources, List<Shortfall> shortfalls) {

    public record SourceLengths(String model, String label, int samples, Double min, Double median, Double max) {

        public String minText() {
            return seconds(min);
        }

        public String medianText() {
            return seconds(median);
        }

        public String maxText() {
            return seconds(max);
        }
    }

    /** The samples of one model (and run) that fell short, with the shortest duration among them. */
    public record Shortfall(String model, String label, String runId, int samples, double shortestSeconds,
                            double clipSeconds, List<String> sampleIds) {

        public String shortestText() {
            return seconds(shortestSeconds);
        }

        public String clipText() {
            return seconds(clipSeconds);
        }
    }

    /** The experiment's clip length for the page. */
    public String clipText() {
        return clipSeconds == null ? "not known yet" : seconds(clipSeconds);
    }

    static String seconds(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.1f s", value);
    }

    public static ClipLengths of(Collection<Sample> samples, Double configured) {
        Double clip = ClipLength.of(samples, Optional.ofNullable(configured)).orElse(null);
        List<SourceLengths> sources = new ArrayList<>();
        for (ModelKind kind : ModelKind.values()) {
            double[] durations = samples.stream()
                    .filter(s -> s.kind() == kind && (clip == null || ClipLength.isCutTo(s, clip))
                            && ClipLength.fillsClip(s))
                    .mapToDouble(Sample::durationSeconds).toArray();
            Summary summary = Summary.of(durations);
            Double min = durations.length == 0 ? null : Arrays.stream(durations).min().getAsDouble();
            Double max = durations.length == 0 ? null : Arrays.stream(durations).max().getAsDouble();
            sources.add(new SourceLengths(kind.wireName(), kind.label(), durations.length, min, summary.median(), max));
        }
        Map<String, List<Sample>> shortByRun = samples.stream().filter(s -> !ClipLength.fillsClip(s))
                .sorted(Comparator.comparing(Sample::sampleId))
                .collect(Collectors.groupingBy(s -> s.model() + "\u0000" + s.runId(), TreeMap::new, Collectors.toList()));
        List<Shortfall> shortfalls = new ArrayList<>();
        for (List<Sample> group : shortByRun.values()) {
            Sample first = group.get(0);
            shortfalls.add(new Shortfall(first.model(), first.kind().label(), first.runId(), group.size(),
                    group.stream().mapToDouble(Sample::durationSeconds).min().orElseThrow(),
                    first.clipSeconds(), group.stream().map(Sample::sampleId).toList()));
        }
        return new ClipLengths(clip, sources, shortfalls);
    }
}
