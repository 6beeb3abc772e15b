package org.musicgen.bench;

import org.musicgen.core.model.gan.roll.RollGanConfig;
import org.musicgen.core.model.gan.token.TokenGanConfig;
import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.gan.roll.PianoRollGan;
import org.musicgen.core.model.gan.roll.PianoRollGanTrainer;
import org.musicgen.core.model.gan.roll.RollPhrase;
import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.gan.token.TokenGanTrainer;
import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.metrics.DrumStatistics;
import org.musicgen.core.metrics.ExcerptStatistics;
import org.musicgen.core.metrics.RollStatistics;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.PianoRollRenderer;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.core.roll.RollGrid;

/**
 * The GAN half of the training benchmark: trains the default piano-roll GAN for a time budget on the training
 * pieces' four-bar phrases (keeping the epoch closest to the {@code valid/} phrases), then compares
 * {@value #SAMPLES} of its phrases, the study's token GAN ({@code study} preset, decoded and cut to phrases of the
 * same length) and random piano rolls of the corpus's density with real held-out phrases on the
 * {@link RollStatistics}. Ends with {@code result gan_sequences_per_s=S gan_metrics_inside_real_spread=K/N
 * gan_diversity=D real_diversity=R}.
 *
 * <p>On a corpus whose encoding keeps drums ({@code performance-drums}) the GAN writes its drum track too
 * ({@code drums=true} unless asked otherwise), and its phrases' drum track is compared with the real held-out phrases'
 * and with random drum rolls of the corpus's hit density on the {@link DrumStatistics}; the result line adds
 * {@code drum_pattern_gan=G drum_pattern_real=R drum_pattern_random=X drum_stats_inside_real_spread=K/N
 * drum_random_inside_real_spread=K/N} (means over phrases; inside: the mean within the real phrases' 5th-95th
 * percentile).
 */
final class GanBenchmark {
    static final int SAMPLES = 256;
    private static final long SAMPLE_SEED = 20_261_202L;

    /** The pieces of the benchmark's three splits and what the token GAN needs. */
    record Pieces(List<Score> train, List<Score> valid, List<Score> report, Encoding encoding, List<int[]> trainWindows,
                  int windowLength, long trainIds) {
    }

    private GanBenchmark() {
    }

    static String run(Pieces pieces, Device device, double minutes, double seedMinutes, Map<String, String> overrides,
                      Path images) throws IOException {
        RollGrid grid = RollGrid.fourBars();
        List<PianoRoll> train = grid.phrases(pieces.train(), PianoRollGan.TRAINING_HOP_BARS);
        List<PianoRoll> valid = grid.phrases(pieces.valid(), grid.bars());
        List<PianoRoll> report = grid.phrases(pieces.report(), grid.bars());
        double density = PianoRoll.soundingShare(train);
        System.out.printf(Locale.ROOT, "# gan phrases of %d bars (%d frames x %d keys): train %d (hop %d bars), "
                        + "valid %d, report %d (hop %d bars); cell density %.4f; drum hits a bar %.2f%n", grid.bars(),
                grid.frames(), PianoRoll.KEYS, train.size(), PianoRollGan.TRAINING_HOP_BARS, valid.size(),
                report.size(), grid.bars(), density, train.stream().mapToInt(PianoRoll::drumHits).average().orElse(0)
                        / grid.bars());

        Map<String, String> all = new HashMap<>(overrides);
        all.putIfAbsent("epochs", "1000");
        boolean corpusDrums = Encodings.hasDrums(pieces.encoding().name());
        all.putIfAbsent("drums", Boolean.toString(corpusDrums));
        RollGanConfig config = RollGanConfig.fromMap(all, RollGanConfig.defaults());
        double sequencesPerSecond;
        List<PianoRoll> generated;
        try (PianoRollGan model = PianoRollGan.create(config, device)) {
            Trained trained = train(model, config, train, valid, minutes);
            sequencesPerSecond = trained.sequencesPerSecond();
            model.loadParameters(trained.bestParameters());
            generated = model.sample(SAMPLE_SEED, SAMPLES);
            if (images != null) {
                Files.createDirectories(images);
                PianoRollRenderer renderer = new PianoRollRenderer();
                for (int i = 0; i < 4; i++) {
                    Files.write(images.resolve("gan-" + i + ".png"), renderer.png(generated.get(i).toScore(4, 0.5, 80)));
                    Files.write(images.resolve("real-" + i + ".png"),
                            renderer.png(report.get(i * report.size() / 4).toScore(4, 0.5, 80)));
                }
                Files.write(images.resolve("gan-piece.png"), renderer.png(model.piece(SAMPLE_SEED, 4).toScore(4, 0.5, 80)));
            }
        }
        List<PianoRoll> random = randomRolls(grid, density, SAMPLES);
        List<PianoRoll> study = studyPhrases(pieces, grid, device, seedMinutes);

        RollStatistics statistics = new RollStatistics(grid, train);
        List<Map<String, Double>> real = report.stream().map(statistics::of).toList();
        Map<String, List<Map<String, Double>>> sources = new LinkedHashMap<>();
        sources.put("gan", generated.stream().map(statistics::of).toList());
        sources.put("study_gan", study.stream().map(statistics::of).toList());
        sources.put("random_roll", random.stream().map(statistics::of).toList());
        Map<String, double[]> spread = ExcerptStatistics.spread(real, RollStatistics.NAMES);
        Map<String, Double> realMedian = new LinkedHashMap<>();
        for (String name : RollStatistics.NAMES) {
            double[] v = real.stream().mapToDouble(m -> m.get(name)).filter(x -> !Double.isNaN(x)).sorted().toArray();
            realMedian.put(name, v.length == 0 ? Double.NaN : v[v.length / 2]);
        }
        System.out.printf(Locale.ROOT, "%-22s %-20s %10s %10s %10s %s%n", "statistic", "real p5..p95 (median)", "gan",
                "study_gan", "random", "gan closest to the real median");
        Map<String, Map<String, Double>> means = new LinkedHashMap<>();
        sources.forEach((k, v) -> means.put(k, ExcerptStatistics.mean(v, RollStatistics.NAMES)));
        int beaten = 0;
        for (String name : RollStatistics.NAMES) {
            double median = realMedian.get(name);
            double g = Math.abs(means.get("gan").get(name) - median);
            boolean beats = g < Math.abs(means.get("study_gan").get(name) - median) || Double.isNaN(
                    means.get("study_gan").get(name));
            beats &= g < Math.abs(means.get("random_roll").get(name) - median);
            beaten += beats ? 1 : 0;
            // no range where the real phrases have no notes (a corpus of drums alone)
            double[] range = spread.getOrDefault(name, new double[] {Double.NaN, Double.NaN});
            System.out.printf(Locale.ROOT, "%-22s %6.3f..%-6.3f (%.3f) %10.3f %10.3f %10.3f %s%n", name, range[0],
                    range[1], median, means.get("gan").get(name), means.get("study_gan").get(name),
                    means.get("random_roll").get(name), beats);
        }
        Map<String, Integer> inside = new LinkedHashMap<>();
        sources.forEach((k, v) -> inside.put(k, (int) ExcerptStatistics.inside(v, real, RollStatistics.NAMES).values()
                .stream().filter(b -> b).count()));
        double ganDiversity = RollStatistics.diversity(generated);
        double realDiversity = RollStatistics.diversity(report);
        System.out.printf(Locale.ROOT, "gan comparison inside_real_spread gan=%d study_gan=%d random_roll=%d of %d; "
                        + "gan closest on %d of %d; diversity gan=%.4f study_gan=%.4f random_roll=%.4f real=%.4f%n",
                inside.get("gan"), inside.get("study_gan"), inside.get("random_roll"), RollStatistics.NAMES.size(), beaten,
                RollStatistics.NAMES.size(), ganDiversity, RollStatistics.diversity(study),
                RollStatistics.diversity(random), realDiversity);
        String drums = config.drums() ? drumComparison(grid, train, report, generated) : "";
        return String.format(Locale.ROOT, "result gan_sequences_per_s=%.1f gan_metrics_inside_real_spread=%d/%d "
                        + "gan_diversity=%.4f real_diversity=%.4f%s", sequencesPerSecond, inside.get("gan"),
                RollStatistics.NAMES.size(), ganDiversity, realDiversity, drums);
    }

    /**
     * The drum tracks of the GAN's phrases and of random drum rolls at the training phrases' hit density against the
     * real held-out phrases': a table, and the result line's drum keys (with a leading space).
     */
    private static String drumComparison(RollGrid grid, List<PianoRoll> train, List<PianoRoll> report,
                                         List<PianoRoll> generated) {
        DrumStatistics statistics = new DrumStatistics(grid);
        List<Map<String, Double>> real = statistics.of(report);
        List<Map<String, Double>> gan = statistics.of(generated);
        List<Map<String, Double>> random = statistics.of(DrumStatistics.randomRolls(train, grid.frames(), SAMPLES,
                SAMPLE_SEED));
        Map<String, double[]> spread = ExcerptStatistics.spread(real, DrumStatistics.NAMES);
        Map<String, Double> realMean = DrumStatistics.mean(real);
        Map<String, Double> ganMean = DrumStatistics.mean(gan);
        Map<String, Double> randomMean = DrumStatistics.mean(random);
        Map<String, Boolean> ganInside = DrumStatistics.inside(gan, real);
        Map<String, Boolean> randomInside = DrumStatistics.inside(random, real);
        System.out.printf(Locale.ROOT, "%-22s %-22s %10s %10s %s%n", "drum statistic", "real p5..p95 (mean)", "gan",
                "random", "inside: gan random");
        for (String name : DrumStatistics.NAMES) {
            double[] range = spread.getOrDefault(name, new double[] {Double.NaN, Double.NaN});
            System.out.printf(Locale.ROOT, "%-22s %6.3f..%-6.3f (%.3f) %10.3f %10.3f %b %b%n", name, range[0],
                    range[1], realMean.get(name), ganMean.get(name), randomMean.get(name), ganInside.get(name),
                    randomInside.get(name));
        }
        int n = DrumStatistics.NAMES.size();
        return String.format(Locale.ROOT, " drum_pattern_gan=%.4f drum_pattern_real=%.4f drum_pattern_random=%.4f "
                        + "drum_hits_per_bar_gan=%.2f drum_hits_per_bar_real=%.2f drum_kick_on_one_gan=%.3f "
                        + "drum_kick_on_one_real=%.3f drum_stats_inside_real_spread=%d/%d "
                        + "drum_random_inside_real_spread=%d/%d",
                ganMean.get("drum_pattern"), realMean.get("drum_pattern"), randomMean.get("drum_pattern"),
                ganMean.get("hits_per_bar"), realMean.get("hits_per_bar"), ganMean.get("kick_on_one"),
                realMean.get("kick_on_one"), DrumStatistics.insideCount(gan, real), n,
                DrumStatistics.insideCount(random, real), n);
    }

    private record Trained(double sequencesPerSecond, byte[] bestParameters) {
    }

    /** Trains for the budget, keeping the parameters of the epoch with the smallest statistics gap on valid. */
    private static Trained train(PianoRollGan model, RollGanConfig config, List<PianoRoll> train, List<PianoRoll> valid,
                                double minutes) {
        System.out.printf(Locale.ROOT, "gan parameters=%d config=%s%n", model.parameterCount(), config);
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        long phrases = 0;
        double seconds = 0;
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        byte[] bestParameters = model.saveParameters();
        List<RollPhrase> trainPhrases = RollPhrase.unlabelled(model.grid(), train);
        List<RollPhrase> validPhrases = RollPhrase.unlabelled(model.grid(), valid);
        try (PianoRollGanTrainer trainer = new PianoRollGanTrainer(model)) {
            for (int epoch = 1; epoch <= config.epochs() && System.nanoTime() < deadline; epoch++) {
                long cpu0 = cpuNanos();
                EpochResult result = trainer.trainEpoch(trainPhrases, new Random(epoch), until(deadline));
                long cpu = cpuNanos() - cpu0;
                phrases += (long) result.steps() * config.batchSize();
                seconds += result.seconds();
                Map<String, Double> held = trainer.heldOutMetrics(validPhrases);
                System.out.printf(Locale.ROOT, "gan epoch=%d steps=%d seconds=%.1f d_loss=%.4f g_loss=%.4f d_real=%.3f "
                                + "d_fake=%.3f sequences_per_s=%.1f valid=%s rss_mb=%d heap_after_gc_mb=%d process_cpu_s=%.1f%n", epoch,
                        result.steps(), result.seconds(), result.metric("discriminatorLoss"), result.metric("generatorLoss"), result.metric("discriminatorRealScore"),
                        result.metric("discriminatorFakeScore"), result.throughput(), format(held),
                        TrainingBenchmark.residentMegabytes(), heapAfterGcMegabytes(), cpu / 1e9);
                if (held.get("statisticsGap") < best) {
                    best = held.get("statisticsGap");
                    bestEpoch = epoch;
                    bestParameters = model.saveParameters();
                }
            }
        }
        System.out.printf(Locale.ROOT, "gan best epoch=%d statistics_gap=%.4f%n", bestEpoch, best);
        return new Trained(phrases / Math.max(seconds, 1e-9), bestParameters);
    }

    /** Every cell sounding independently with the corpus's probability: music's density without its structure. */
    private static List<PianoRoll> randomRolls(RollGrid grid, double density, int count) {
        Random random = new Random(SAMPLE_SEED);
        List<PianoRoll> out = new ArrayList<>();
        float[] cells = new float[grid.frames() * PianoRoll.KEYS];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < cells.length; c++) {
                cells[c] = random.nextDouble() < density ? 1f : 0f;
            }
            out.add(PianoRoll.fromDense(cells, 0, grid.frames(), 0.5f));
        }
        return out;
    }

    /**
     * The study's GAN ({@code study} preset) trained on the token windows for {@code minutes}; each phrase is as many
     * of its sequences, decoded one after another, as the training pieces spend ids on a phrase, cut to the phrase's
     * frames.
     */
    private static List<PianoRoll> studyPhrases(Pieces pieces, RollGrid grid, Device device, double minutes) {
        long bars = pieces.train().stream().mapToLong(s -> grid.roll(s).frames() / grid.stepsPerBar()).sum();
        double idsPerPhrase = (double) pieces.trainIds() / Math.max(1, bars) * grid.bars();
        int perPhrase = (int) Math.max(1, Math.ceil(idsPerPhrase / pieces.windowLength()));
        TokenGanConfig config = TokenGanConfig.fromMap(Map.of("sequenceLength",
                Integer.toString(pieces.windowLength()), "epochs", "1000"), TokenGanConfig.studyPreset());
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        List<PianoRoll> out = new ArrayList<>();
        try (TokenGan model = TokenGan.create(config, pieces.encoding().size(), device);
             TokenGanTrainer trainer = new TokenGanTrainer(model)) {
            int epochs = 0;
            while (System.nanoTime() < deadline) {
                EpochResult r = trainer.trainEpoch(pieces.trainWindows(), new Random(++epochs), until(deadline));
                System.out.printf(Locale.ROOT, "study_gan epoch=%d steps=%d d_loss=%.4f g_loss=%.4f "
                        + "sequences_per_s=%.1f%n", r.epoch(), r.steps(), r.metric("discriminatorLoss"), r.metric("generatorLoss"), r.throughput());
            }
            int[][] sequences = model.sample(SAMPLE_SEED, SAMPLES * perPhrase);
            for (int i = 0; i < SAMPLES; i++) {
                int[] ids = new int[perPhrase * pieces.windowLength()];
                for (int k = 0; k < perPhrase; k++) {
                    System.arraycopy(sequences[i * perPhrase + k], 0, ids, k * pieces.windowLength(),
                            pieces.windowLength());
                }
                out.add(RollGrid.slice(grid.roll(pieces.encoding().decode(ids)), 0, grid.frames()));
            }
        }
        System.out.printf(Locale.ROOT, "# study_gan phrases: %d sequences of %d ids each (the corpus spends %.0f ids "
                + "on %d bars)%n", perPhrase, pieces.windowLength(), idsPerPhrase, grid.bars());
        return out;
    }

    /** Ends an epoch between steps once the budget's deadline has passed. */
    private static ProgressListener until(long deadline) {
        return new ProgressListener() {
            @Override
            public void onStep(StepProgress step) {
            }

            @Override
            public boolean stopRequested() {
                return System.nanoTime() >= deadline;
            }
        };
    }

    private static String format(Map<String, Double> values) {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=')
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return sb.append('}').toString();
    }

    /** Java heap in use after a collection: with the resident size, tells the engine's memory from the heap's. */
    private static long heapAfterGcMegabytes() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    }

    /** CPU time of the whole process (user and kernel), to see where a slow epoch spends it. */
    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }
}
