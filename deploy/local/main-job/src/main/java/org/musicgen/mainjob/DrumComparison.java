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
 * The drum parts of the automatic batches beside the corpus's four-bar phrases ({@link DrumStatistics}, plus hits
 * per second) and beside random drum rolls of the corpus's density: what a model that learnt nothing of the groove
 * but how often it hits would write.
 *
 * <p>Each model is held to two things. Its batch means of the kick, snare and hi-hat shares (and the GAN's hits per
 * bar) lie inside the corpus's 5th-95th percentile: it plays the corpus's drums as often as the corpus does. And the
 * GAN, which writes on the corpus's beat grid, places them on the beat better than random rolls: more of its hits on
 * eighths, more bars opening with a kick, more of a bar's hits repeated in the next. The LSTM writes in seconds at a
 * tempo of its own, so beat statistics say nothing of it; they are printed, not held.
 *
 * @param bySource per source (model name), one map of statistic values per sample
 * @param corpus   one map per phrase of the corpus (hits per second: its piece's)
 * @param random   one map per random drum roll of the corpus's density
 */
public record DrumComparison(Map<String, List<Map<String, Double>>> bySource, List<Map<String, Double>> corpus,
                             List<Map<String, Double>> random) {

    static final String HITS_PER_SECOND = "hits_per_second";
    static final List<String> SHARES = List.of("kick_share", "snare_share", "hat_share");
    static final List<String> BEAT = List.of("drum_pattern", "kick_on_one", "bar_repetition");
    static final List<String> SHOWN = with(DrumStatistics.NAMES, HITS_PER_SECOND);

    private static final RollGrid GRID = RollGrid.fourBars();
    private static final int RANDOM_ROLLS = 200;

    /** The samples' scores by source and the corpus's pieces. */
    public static DrumComparison of(Map<String, List<Score>> samples, List<Score> pieces) {
        DrumStatistics statistics = new DrumStatistics(GRID);
        Map<String, List<Map<String, Double>>> bySource = new LinkedHashMap<>();
        samples.forEach((source, scores) -> bySource.put(source,
                scores.stream().map(score -> withPerSecond(statistics.of(GRID.roll(score)), perSecond(score)))
                        .toList()));
        List<Map<String, Double>> corpus = new ArrayList<>();
        List<PianoRoll> phrases = new ArrayList<>();
        for (Score piece : pieces) {
            double perSecond = perSecond(piece);
            for (PianoRoll phrase : GRID.phrases(piece, GRID.bars())) {
                phrases.add(phrase);
                corpus.add(withPerSecond(statistics.of(phrase), perSecond));
            }
        }
        List<Map<String, Double>> random = statistics.of(DrumStatistics.randomRolls(phrases, GRID.frames(),
                RANDOM_ROLLS, 1)).stream().map(m -> withPerSecond(m, Double.NaN)).toList();
        return new DrumComparison(bySource, corpus, random);
    }

    private static Map<String, Double> withPerSecond(Map<String, Double> values, double perSecond) {
        Map<String, Double> out = new LinkedHashMap<>(values);
        out.put(HITS_PER_SECOND, perSecond);
        return out;
    }

    private static double perSecond(Score score) {
        double seconds = score.lengthSeconds();
        return seconds > 0 ? DrumKit.hits(score) / seconds : 0;
    }

    /** The statistics a source's batch mean must hold inside the corpus's spread. */
    static List<String> heldInside(String source) {
        return "gan".equals(source) ? with(SHARES, "hits_per_bar") : SHARES;
    }

    /** The statistics a source's batch mean must hold above random rolls'. */
    static List<String> heldAboveRandom(String source) {
        return "gan".equals(source) ? BEAT : List.of();
    }

    /** What {@code source} fails of what it is held to: statistics outside the corpus's spread or not above random. */
    public List<String> failures(String source) {
        List<Map<String, Double>> samples = bySource.getOrDefault(source, List.of());
        Map<String, Boolean> inside = ExcerptStatistics.inside(samples, corpus, heldInside(source));
        List<String> failures = new ArrayList<>();
        inside.forEach((name, ok) -> {
            if (!ok) {
                failures.add(name + " outside the corpus's spread");
            }
        });
        Map<String, Double> means = ExcerptStatistics.mean(samples, BEAT);
        Map<String, Double> randomMeans = ExcerptStatistics.mean(random, BEAT);
        for (String name : heldAboveRandom(source)) {
            if (!(means.get(name) > randomMeans.get(name))) {
                failures.add(name + " not above random rolls'");
            }
        }
        return failures;
    }

    /**
     * One line per statistic: the corpus's spread, random rolls' mean, then each source's batch mean, marked {@code *}
     * where it fails what it is held to and {@code -} where it is not held.
     */
    public List<String> table() {
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-16s %-15s %8s", "drums",
                "corpus p5-p95", "random"));
        bySource.keySet().forEach(source -> head.append(String.format(Locale.ROOT, " %9s", source)));
        lines.add(head.toString());
        Map<String, Double> randomMeans = ExcerptStatistics.mean(random, SHOWN);
        Map<String, List<String>> failures = new LinkedHashMap<>();
        bySource.keySet().forEach(source -> failures.put(source, failures(source)));
        for (String name : SHOWN) {
            double[] spread = ExcerptStatistics.spread(corpus, List.of(name)).getOrDefault(name,
                    new double[] {Double.NaN, Double.NaN});
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-16s %6.3f-%-8.3f %8.3f", name,
                    spread[0], spread[1], randomMeans.get(name)));
            for (String source : bySource.keySet()) {
                double mean = ExcerptStatistics.mean(bySource.get(source), List.of(name)).get(name);
                boolean held = heldInside(source).contains(name) || heldAboveRandom(source).contains(name);
                boolean failed = failures.get(source).stream().anyMatch(f -> f.startsWith(name + " "));
                line.append(String.format(Locale.ROOT, " %8.3f%s", mean, failed ? "*" : held ? " " : "-"));
            }
            lines.add(line.toString());
        }
        lines.add("(held: shares, and the GAN's hits per bar, inside the corpus's spread; the GAN's beat statistics "
                + "above random rolls'; * fails, - not held)");
        return lines;
    }

    private static List<String> with(List<String> names, String extra) {
        List<String> all = new ArrayList<>(names);
        all.add(extra);
        return List.copyOf(all);
    }
}
