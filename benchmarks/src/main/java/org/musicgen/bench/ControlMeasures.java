package org.musicgen.bench;

import org.musicgen.core.control.Controls;
import org.musicgen.core.control.KeyFinder;
import org.musicgen.core.control.LabelClassifier;
import org.musicgen.core.control.MusicalKey;
import org.musicgen.core.control.StyleFeatures;
import org.musicgen.core.metrics.ExcerptStatistics;
import org.musicgen.core.metrics.Excerpts;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.PianoRollRenderer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well a model follows the controls it is asked for (issue 26, "Measures"): key, notes per second and label on
 * 30 s samples, and on unconditioned 60 s samples how close their pitch classes stay to the corpus's and whether they
 * keep their key from the first half to the second, each beside real held-out excerpts measured the same way.
 */
final class ControlMeasures {

    /** Writes music for asked controls: one score per asked entry, at least {@code seconds} long when it can. */
    interface Generator {
        List<Score> generate(List<Controls> asked, double seconds, long seed);
    }

    /**
     * The real music the measures compare with: training pieces (the classifier's and the densities' source) and
     * report pieces, each with its label or null.
     */
    record Corpus(List<Score> train, List<String> trainLabels, List<Score> report, List<String> reportLabels) {
    }

    /**
     * @param excerptSeconds   length of the conditioned samples and of the classifier's excerpts (30 s)
     * @param longSeconds      length of the unconditioned samples for pitch-class distance and key keeping (60 s)
     * @param samplesPerKey    samples asked for each of the 24 keys
     * @param samplesPerLevel  samples asked for each density level
     * @param samplesPerLabel  samples asked for each composer measured
     * @param longSamples      unconditioned long samples
     * @param minLabelPieces   training pieces a composer needs to be measured
     * @param rolls            piano-roll images of conditioned samples to write
     */
    record Settings(double excerptSeconds, double longSeconds, int samplesPerKey, int samplesPerLevel,
                    int samplesPerLabel, int longSamples, int minLabelPieces, int rolls) {

        static Settings defaults() {
            return new Settings(30, 60, 2, 8, 4, 24, 8, 8);
        }
    }

    record Result(double keyAccuracy, double densityError, double labelAccuracySamples, double labelAccuracyReal,
                  double pitchClassDistance, double realPitchClassDistanceP5, double realPitchClassDistanceP95,
                  double keyKeptSamples, double keyKeptReal) {

        String line() {
            return String.format(Locale.ROOT, "key_accuracy=%.4f density_error=%.4f label_accuracy_samples=%.4f "
                            + "label_accuracy_real=%.4f pitch_class_distance=%.4f real_pitch_class_distance_p5=%.4f "
                            + "key_kept_samples=%.4f key_kept_real=%.4f", keyAccuracy, densityError,
                    labelAccuracySamples, labelAccuracyReal, pitchClassDistance, realPitchClassDistanceP5,
                    keyKeptSamples, keyKeptReal);
        }
    }

    /** Density levels: the corpus's 20th, 50th and 80th percentile of notes per second in its excerpts. */
    private static final double[] DENSITY_PERCENTILES = {0.2, 0.5, 0.8};

    private final Corpus corpus;
    private final Settings settings;
    private final Generator generator;
    private final Path out;
    private final PrintStream log;
    private final PianoRollRenderer renderer = new PianoRollRenderer();
    private int rollsWritten;

    ControlMeasures(Corpus corpus, Settings settings, Generator generator, Path out, PrintStream log) {
        this.corpus = corpus;
        this.settings = settings;
        this.generator = generator;
        this.out = out;
        this.log = log;
    }

    Result run() throws IOException {
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        double key = keyAccuracy();
        double density = densityError();
        double[] labels = labelAccuracy();
        double[] whole = longSamples();
        log.printf(Locale.ROOT, "controls measured in %.0f s; piano rolls and tables in %s%n",
                (System.nanoTime() - t0) / 1e9, out);
        return new Result(key, density, labels[0], labels[1], whole[0], whole[1], whole[2], whole[3], whole[4]);
    }

    /** The estimated key of {@code [from, to)} of a score, on its duration-weighted pitch classes. */
    static MusicalKey keyOf(Score score, double from, double to) {
        return KeyFinder.estimate(KeyFinder.durationProfile(score, from, to));
    }

    private double keyAccuracy() throws IOException {
        List<MusicalKey> keys = MusicalKey.all();
        List<Controls> asked = new ArrayList<>();
        for (MusicalKey key : keys) {
            for (int i = 0; i < settings.samplesPerKey(); i++) {
                asked.add(Controls.none().withKey(key));
            }
        }
        List<Score> samples = excerpts(generator.generate(asked, settings.excerptSeconds(), 100));
        StringBuilder table = new StringBuilder("| key asked | estimated keys of its samples | right |\n|---|---|---|\n");
        int right = 0;
        int at = 0;
        for (MusicalKey key : keys) {
            List<String> found = new ArrayList<>();
            int hits = 0;
            for (int i = 0; i < settings.samplesPerKey(); i++, at++) {
                MusicalKey estimated = keyOf(samples.get(at), 0, settings.excerptSeconds());
                found.add(estimated.displayName());
                if (estimated.equals(key)) {
                    hits++;
                }
                if (i == 0 && (key.equals(MusicalKey.parse("C major")) || key.equals(MusicalKey.parse("A minor")))) {
                    roll("key-" + key.displayName(), samples.get(at));
                }
            }
            right += hits;
            table.append(String.format(Locale.ROOT, "| %s | %s | %d/%d |%n", key.displayName(),
                    String.join(", ", found), hits, settings.samplesPerKey()));
        }
        double accuracy = (double) right / samples.size();
        table.append(String.format(Locale.ROOT, "| all | | %d/%d = %.3f (chance about 0.04) |%n", right,
                samples.size(), accuracy));
        print("key", table);
        return accuracy;
    }

    private double densityError() throws IOException {
        double[] real = corpus.train().stream()
                .flatMap(s -> Excerpts.windows(s, settings.excerptSeconds(), settings.excerptSeconds()).stream())
                .mapToDouble(e -> Excerpts.notesPerSecond(e, settings.excerptSeconds())).sorted().toArray();
        if (real.length == 0) {
            log.println("controls density: no training excerpt of " + settings.excerptSeconds() + " s");
            return Double.NaN;
        }
        List<Controls> asked = new ArrayList<>();
        double[] levels = new double[DENSITY_PERCENTILES.length];
        for (int l = 0; l < levels.length; l++) {
            levels[l] = real[(int) Math.min(real.length - 1, Math.floor(DENSITY_PERCENTILES[l] * real.length))];
            for (int i = 0; i < settings.samplesPerLevel(); i++) {
                asked.add(Controls.none().withNotesPerSecond(levels[l]));
            }
        }
        List<Score> samples = excerpts(generator.generate(asked, settings.excerptSeconds(), 200));
        StringBuilder table = new StringBuilder("| level | asked notes/s | produced, mean | produced, each "
                + "| mean relative error |\n|---|---|---|---|---|\n");
        double total = 0;
        int at = 0;
        for (int l = 0; l < levels.length; l++) {
            double error = 0;
            double produced = 0;
            List<String> each = new ArrayList<>();
            for (int i = 0; i < settings.samplesPerLevel(); i++, at++) {
                double p = Excerpts.notesPerSecond(samples.get(at), settings.excerptSeconds());
                each.add(String.format(Locale.ROOT, "%.1f", p));
                produced += p / settings.samplesPerLevel();
                error += Math.abs(p - levels[l]) / levels[l] / settings.samplesPerLevel();
                if (i == 0) {
                    roll(String.format(Locale.ROOT, "density-%.1f", levels[l]), samples.get(at));
                }
            }
            total += error / levels.length;
            table.append(String.format(Locale.ROOT, "| %d th percentile | %.2f | %.2f | %s | %.3f |%n",
                    Math.round(DENSITY_PERCENTILES[l] * 100), levels[l], produced, String.join(" ", each), error));
        }
        table.append(String.format(Locale.ROOT, "| all | | | | %.3f |%n", total));
        print("density", table);
        return total;
    }

    /** Samples' and real excerpts' label accuracy, each the mean over composers of their own accuracy. */
    private double[] labelAccuracy() throws IOException {
        Map<String, Integer> pieces = new TreeMap<>();
        for (String label : corpus.trainLabels()) {
            if (label != null) {
                pieces.merge(label, 1, Integer::sum);
            }
        }
        List<String> measured = pieces.entrySet().stream().filter(e -> e.getValue() >= settings.minLabelPieces())
                .map(Map.Entry::getKey).toList();
        if (measured.size() < 2) {
            log.println("controls labels: fewer than two labels with " + settings.minLabelPieces()
                    + " training pieces (" + pieces + "): no classifier");
            return new double[] {Double.NaN, Double.NaN};
        }
        double seconds = settings.excerptSeconds();
        List<double[]> features = new ArrayList<>();
        List<String> featureLabels = new ArrayList<>();
        Map<String, Integer> trainExcerpts = new TreeMap<>();
        for (int i = 0; i < corpus.train().size(); i++) {
            String label = corpus.trainLabels().get(i);
            if (label != null && measured.contains(label)) {
                // half-overlapping windows: twice the examples from the same pieces
                for (Score e : Excerpts.windows(corpus.train().get(i), seconds, seconds / 2)) {
                    features.add(StyleFeatures.of(e));
                    featureLabels.add(label);
                    trainExcerpts.merge(label, 1, Integer::sum);
                }
            }
        }
        long t0 = System.nanoTime();
        LabelClassifier classifier = LabelClassifier.fitFeatures(features, featureLabels,
                LabelClassifier.Options.defaults());
        long trainRight = 0;
        for (int i = 0; i < features.size(); i++) {
            trainRight += classifier.predictFeatures(features.get(i)).equals(featureLabels.get(i)) ? 1 : 0;
        }
        log.printf(Locale.ROOT, "controls classifier %d labels, %d training excerpts of %.0f s, %d features, "
                        + "training accuracy %.3f (%.1f s)%n", measured.size(), features.size(), seconds,
                StyleFeatures.NAMES.size(), (double) trainRight / features.size(), (System.nanoTime() - t0) / 1e9);

        Map<String, int[]> real = new LinkedHashMap<>();
        measured.forEach(l -> real.put(l, new int[2]));
        for (int i = 0; i < corpus.report().size(); i++) {
            String label = corpus.reportLabels().get(i);
            if (label != null && real.containsKey(label)) {
                for (Score e : Excerpts.windows(corpus.report().get(i), seconds, seconds)) {
                    real.get(label)[0] += classifier.predict(e).equals(label) ? 1 : 0;
                    real.get(label)[1]++;
                }
            }
        }
        List<Controls> asked = new ArrayList<>();
        for (String label : measured) {
            for (int i = 0; i < settings.samplesPerLabel(); i++) {
                asked.add(Controls.none().withLabel(label));
            }
        }
        List<Score> samples = excerpts(generator.generate(asked, seconds, 300));
        StringBuilder table = new StringBuilder("| composer | training pieces | training excerpts | real test excerpts "
                + "right | samples right | samples taken for |\n|---|---|---|---|---|---|\n");
        double realSum = 0;
        int realLabels = 0;
        long realRight = 0;
        long realTotal = 0;
        double sampleSum = 0;
        int at = 0;
        for (String label : measured) {
            int right = 0;
            Map<String, Integer> taken = new TreeMap<>();
            for (int i = 0; i < settings.samplesPerLabel(); i++, at++) {
                String predicted = classifier.predict(samples.get(at));
                taken.merge(predicted, 1, Integer::sum);
                right += predicted.equals(label) ? 1 : 0;
                if (i == 0 && at < 2 * settings.samplesPerLabel()) {
                    roll("label-" + label, samples.get(at));
                }
            }
            sampleSum += (double) right / settings.samplesPerLabel();
            int[] r = real.get(label);
            if (r[1] > 0) {
                realSum += (double) r[0] / r[1];
                realLabels++;
            }
            realRight += r[0];
            realTotal += r[1];
            table.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %d/%d | %s |%n", label, pieces.get(label),
                    trainExcerpts.getOrDefault(label, 0), r[1] == 0 ? "none in test" : r[0] + "/" + r[1], right,
                    settings.samplesPerLabel(), taken));
        }
        double samplesAccuracy = sampleSum / measured.size();
        double realAccuracy = realLabels == 0 ? Double.NaN : realSum / realLabels;
        table.append(String.format(Locale.ROOT, "| mean over composers | | | %.3f (%d composers; over excerpts %d/%d "
                        + "= %.3f) | %.3f | chance %.3f |%n", realAccuracy, realLabels, realRight, realTotal,
                realTotal == 0 ? Double.NaN : (double) realRight / realTotal, samplesAccuracy, 1.0 / measured.size()));
        print("labels", table);
        return new double[] {samplesAccuracy, realAccuracy};
    }

    /**
     * Unconditioned long samples against real long excerpts of the report pieces: the pitch-class distance to the
     * training corpus's histogram ({@link ExcerptStatistics}'s {@code pitch_class_distance}, a total-variation
     * distance between note-count histograms), and whether the two halves' estimated keys agree.
     */
    private double[] longSamples() throws IOException {
        double seconds = settings.longSeconds();
        ExcerptStatistics statistics = new ExcerptStatistics(corpus.train());
        List<Map<String, Double>> real = new ArrayList<>();
        int realKept = 0;
        for (Score piece : corpus.report()) {
            for (Score e : Excerpts.windows(piece, seconds, seconds)) {
                real.add(statistics.of(e));
                realKept += keyOf(e, 0, seconds / 2).equals(keyOf(e, seconds / 2, seconds)) ? 1 : 0;
            }
        }
        List<Controls> asked = new ArrayList<>();
        for (int i = 0; i < settings.longSamples(); i++) {
            asked.add(Controls.none());
        }
        List<Score> samples = generator.generate(asked, seconds, 400).stream()
                .map(s -> Excerpts.cut(s, 0, seconds)).toList();
        List<Map<String, Double>> generated = new ArrayList<>();
        int kept = 0;
        for (Score s : samples) {
            generated.add(statistics.of(s));
            kept += keyOf(s, 0, seconds / 2).equals(keyOf(s, seconds / 2, seconds)) ? 1 : 0;
        }
        double distance = ExcerptStatistics.mean(generated).get("pitch_class_distance");
        double[] range = ExcerptStatistics.spread(real).getOrDefault("pitch_class_distance",
                new double[] {Double.NaN, Double.NaN});
        double keptSamples = samples.isEmpty() ? Double.NaN : (double) kept / samples.size();
        double keptReal = real.isEmpty() ? Double.NaN : (double) realKept / real.size();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "| %.0f s | n | pitch-class distance to "
                + "the training corpus, mean | 5th-95th percentile | first half's key = second half's |%n"
                + "|---|---|---|---|---|%n", seconds));
        table.append(String.format(Locale.ROOT, "| real %s excerpts | %d | %.3f | %.3f-%.3f | %.3f |%n",
                "report", real.size(), ExcerptStatistics.mean(real).get("pitch_class_distance"), range[0], range[1],
                keptReal));
        double[] sampleRange = ExcerptStatistics.spread(generated).getOrDefault("pitch_class_distance",
                new double[] {Double.NaN, Double.NaN});
        table.append(String.format(Locale.ROOT, "| unconditioned samples | %d | %.3f | %.3f-%.3f | %.3f |%n",
                samples.size(), distance, sampleRange[0], sampleRange[1], keptSamples));
        print("long", table);
        return new double[] {distance, range[0], range[1], keptSamples, keptReal};
    }

    /** The first {@link Settings#excerptSeconds} of each sample; says how many fell short of it. */
    private List<Score> excerpts(List<Score> samples) {
        double seconds = settings.excerptSeconds();
        long shorter = samples.stream().filter(s -> s.lengthSeconds() < seconds * 0.95).count();
        if (shorter > 0) {
            log.printf(Locale.ROOT, "controls note: %d of %d samples end before %.0f s (measured over %.0f s "
                    + "all the same)%n", shorter, samples.size(), seconds, seconds);
        }
        return samples.stream().map(s -> Excerpts.cut(s, 0, seconds)).toList();
    }

    private void roll(String name, Score score) throws IOException {
        if (rollsWritten >= settings.rolls()) {
            return;
        }
        rollsWritten++;
        String file = "roll-" + name.replaceAll("[^A-Za-z0-9.-]+", "-") + ".png";
        Files.write(out.resolve(file), renderer.png(score));
    }

    private void print(String name, StringBuilder table) throws IOException {
        log.println("controls " + name + " table:");
        log.print(table);
        Files.writeString(out.resolve(name + ".md"), table);
    }
}
