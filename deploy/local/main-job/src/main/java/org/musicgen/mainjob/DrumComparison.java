package org.musicgen.mainjob;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.musicgen.core.metrics.DrumStatistics;
import org.musicgen.core.metrics.ExcerptStatistics;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.Score;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.core.roll.RollGrid;

/**
 * The drum parts of the automatic batches beside the corpus's: each model's batch mean of the {@link DrumStatistics}
 * against the 5th-95th percentile of the corpus's four-bar phrases, and hits per second against its pieces'.
 *
 * <p>The GAN writes on the corpus's beat grid, so every statistic applies to it. The LSTM writes in seconds at a
 * tempo of its own, so only what needs no beat is held against the corpus for it: hits per second and the kick,
 * snare and hi-hat shares of its hits.
 *
 * @param bySource per source (model name), one map of statistic values per sample
 * @param corpus   one map per phrase of the corpus (hits per second: per piece)
 */
public record DrumComparison(Map<String, List<Map<String, Double>>> bySource, List<Map<String, Double>> corpus) {

    static final String HITS_PER_SECOND = "hits_per_second";
    /** What a model that keeps no beat grid is held to. */
    static final List<String> WITHOUT_BEAT = List.of(HITS_PER_SECOND, "kick_share", "snare_share", "hat_share");
    static final List<String> WITH_BEAT = with(DrumStatistics.NAMES, HITS_PER_SECOND);

    private static final RollGrid GRID = RollGrid.fourBars();

    /** The samples' scores by source and the corpus's pieces. */
    public static DrumComparison of(Map<String, List<Score>> samples, List<Score> pieces) {
        DrumStatistics statistics = new DrumStatistics(GRID);
        Map<String, List<Map<String, Double>>> bySource = new LinkedHashMap<>();
        samples.forEach((source, scores) -> bySource.put(source,
                scores.stream().map(score -> measure(statistics, GRID.roll(score), score)).toList()));
        List<Map<String, Double>> corpus = new ArrayList<>();
        for (Score piece : pieces) {
            double perSecond = perSecond(piece);
            for (PianoRoll phrase : GRID.phrases(piece, GRID.bars())) {
                Map<String, Double> values = new LinkedHashMap<>(statistics.of(phrase));
                values.put(HITS_PER_SECOND, perSecond);
                corpus.add(values);
            }
        }
        return new DrumComparison(bySource, corpus);
    }

    private static Map<String, Double> measure(DrumStatistics statistics, PianoRoll roll, Score score) {
        Map<String, Double> values = new LinkedHashMap<>(statistics.of(roll));
        values.put(HITS_PER_SECOND, perSecond(score));
        return values;
    }

    private static double perSecond(Score score) {
        double seconds = score.lengthSeconds();
        return seconds > 0 ? DrumKit.hits(score) / seconds : 0;
    }

    /** The statistics a source is held to: all for the GAN, those without a beat for any other model. */
    static List<String> checked(String source) {
        return "gan".equals(source) ? WITH_BEAT : WITHOUT_BEAT;
    }

    /** The statistics whose batch mean lies outside the corpus's 5th-95th percentile, for {@code source}. */
    public List<String> outside(String source) {
        List<String> names = checked(source);
        Map<String, Boolean> inside = ExcerptStatistics.inside(bySource.getOrDefault(source, List.of()), corpus, names);
        return names.stream().filter(name -> !inside.getOrDefault(name, false)).toList();
    }

    /** One line per statistic: the corpus's spread, then each source's batch mean (* where it is held and outside). */
    public List<String> table() {
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-16s %-15s", "drums", "corpus p5-p95"));
        bySource.keySet().forEach(source -> head.append(String.format(Locale.ROOT, " %9s", source)));
        lines.add(head.toString());
        for (String name : WITH_BEAT) {
            double[] spread = ExcerptStatistics.spread(corpus, List.of(name)).getOrDefault(name,
                    new double[] {Double.NaN, Double.NaN});
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-16s %6.3f-%-8.3f", name, spread[0],
                    spread[1]));
            for (String source : bySource.keySet()) {
                double mean = ExcerptStatistics.mean(bySource.get(source), List.of(name)).get(name);
                boolean held = checked(source).contains(name);
                line.append(String.format(Locale.ROOT, " %8.3f%s", mean,
                        held && outside(source).contains(name) ? "*" : held ? " " : "-"));
            }
            lines.add(line.toString());
        }
        lines.add("(* outside the corpus's spread; - not held: the LSTM keeps no beat grid)");
        return lines;
    }

    private static List<String> with(List<String> names, String extra) {
        List<String> all = new ArrayList<>(names);
        all.add(extra);
        return List.copyOf(all);
    }
}
