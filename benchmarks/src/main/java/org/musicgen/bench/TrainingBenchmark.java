package org.musicgen.bench;

import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.generate.SamplingParams;
import org.musicgen.core.model.generate.TokenSampler;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import org.musicgen.core.model.lstm.LstmCorpus;
import org.musicgen.core.model.lstm.LstmTrainer;
import org.musicgen.core.model.lstm.LstmWindow;
import org.musicgen.core.model.lstm.PieceScorer;
import ai.djl.Device;
import ai.djl.engine.Engine;
import org.musicgen.core.baseline.NgramModel;
import org.musicgen.core.baseline.TokenLanguageModel;
import org.musicgen.core.baseline.UnigramModel;
import org.musicgen.core.dataset.CorpusBuilder;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.dataset.CorpusOptions;
import org.musicgen.core.dataset.PieceLabels;
import org.musicgen.core.dataset.SourceFile;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.metrics.ExcerptStatistics;
import org.musicgen.core.metrics.PitchClassHistogram;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.mainjob.CorpusFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * How well the LSTM models a corpus in a fixed time budget, against sound n-gram baselines, in bits per note.
 *
 * <p>Usage: {@code TrainingBenchmark [--corpus DIR | --synthetic N] [--encoding performance|seed] [--minutes M]
 * [--model lstm|gan|both] [--samples N] [--device cpu|gpu] [name=value LSTM hyper-parameters, gan.name=value]}.
 * DIR holds {@code train/} and {@code valid/} and optionally {@code test/}. The encoding is fitted on
 * {@code train/} only (so the seed vocabulary's {@code <unk>} share on held-out pieces is honest); the LSTM
 * trains on its windows for M minutes, keeping the epoch with the best {@code valid/} bits per note; the n-gram
 * order (1..5) is chosen on {@code valid/}; everything is reported on {@code test/} (on {@code valid/} when
 * there is no test split). Bits per note: a piece's total -log2 likelihood of its ids after the first, over all
 * reported pieces, divided by their notes. Ends with one line:
 * {@code result encoding=E lstm_bits_per_note=X ngram_bits_per_note=Y ngram_order=N unigram_bits_per_note=Z
 * unk_share=U lstm_tokens_per_s=T unit=U}, where the unit says what a note is: {@code note}, {@code drum_hit} (a corpus
 * of drums alone, read in the {@code performance-drums} encoding: bits per drum hit) or {@code note_or_hit}.
 *
 * <p>{@code --controls} (issue 26, 20 minutes unless {@code --minutes} says otherwise) trains the LSTM with controls,
 * labels from {@code DIR/metadata.csv} ({@code file} and {@code composer}), measures how well it follows them
 * ({@link ControlMeasures}; {@code --control-samples F} scales its sample counts, {@code --excerpt-seconds} and
 * {@code --long-seconds} its lengths, {@code --label-min-pieces} which labels it measures), writes its tables, piano
 * rolls and the learning curve into {@code --out DIR} (default {@code benchmarks/target/controls-TIME}), and ends
 * instead with {@code result lstm_bits_per_note=X ngram_bits_per_note=Y key_accuracy=K density_error=D
 * label_accuracy_samples=S label_accuracy_real=R pitch_class_distance=P real_pitch_class_distance_p5=Q
 * key_kept_samples=A key_kept_real=B}.
 */
public final class TrainingBenchmark {

    private static final int MAX_ORDER = 5;
    private static final int COPY_NGRAM = 8;

    private TrainingBenchmark() {
    }

    /** Whole pieces of one split: their ids, their note counts and their notes. */
    private record Split(String name, List<int[]> ids, List<Integer> notes, List<Score> scores, List<String> files) {
        long noteCount() {
            return notes.stream().mapToLong(Integer::longValue).sum();
        }

        /**
         * What "a note" of the bits per note is here: {@code note} for piano alone, {@code drum_hit} for drums alone,
         * {@code note_or_hit} for both (a drum hit counts as one note).
         */
        String unit() {
            long hits = scores.stream().mapToLong(DrumKit::hits).sum();
            return hits == 0 ? "note" : hits == noteCount() ? "drum_hit" : "note_or_hit";
        }
    }

    /** @param labels a label per piece by file name, {@link PieceLabels#none()} without metadata */
    private record Data(String name, Encoding encoding, List<int[]> trainWindows, int windowLength, Split train,
                        Split valid, Split report, PieceLabels labels) {

        /** The label of each piece of {@code split}, null where it has none. */
        List<String> labelsOf(Split split) {
            return split.files().stream().map(f -> labels.labelOf(f).orElse(null)).toList();
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        Map<String, String> lstmOverrides = new HashMap<>();
        Map<String, String> ganOverrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--controls")) {
                options.put("controls", "true"); // a flag: takes no value
            } else if (args[i].startsWith("--")) {
                options.put(args[i].substring(2), args[++i]);
            } else if (args[i].startsWith("gan.")) {
                String[] kv = args[i].substring(4).split("=", 2);
                ganOverrides.put(kv[0], kv[1]);
            } else {
                String[] kv = args[i].split("=", 2);
                lstmOverrides.put(kv[0], kv[1]);
            }
        }
        boolean controls = options.containsKey("controls");
        // issue 26's measures are on the 20-minute budget of the piano-midi figures
        double minutes = Double.parseDouble(options.getOrDefault("minutes", controls ? "20" : "3"));
        String encodingName = Encodings.checkName(options.get("encoding"));
        String which = options.getOrDefault("model", "lstm");
        int samples = Integer.parseInt(options.getOrDefault("samples", "24"));
        double temperature = Double.parseDouble(options.getOrDefault("temperature", "1.0"));
        // the generator service's defaults: a 16-id prompt from the training windows, temperature 1, nucleus 0.95
        double topP = Double.parseDouble(options.getOrDefault("top-p", "0.95"));
        int prompt = Integer.parseInt(options.getOrDefault("prompt", "16"));
        Device device = "gpu".equals(options.get("device")) ? Device.gpu() : Device.cpu();
        if (controls && !Encodings.PERFORMANCE.equals(encodingName)) {
            throw new IllegalArgumentException("--controls needs the performance encoding (controls are measured "
                    + "on its event times), not " + encodingName);
        }
        Path out = options.containsKey("out") ? Path.of(options.get("out")) : controls
                ? Path.of("benchmarks", "target", "controls-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))) : null;
        CorpusOptions corpusOptions = CorpusOptions.of(encodingName);

        Data data = options.containsKey("corpus")
                ? fromDirectory(Path.of(options.get("corpus")), corpusOptions)
                : synthetic(Integer.parseInt(options.getOrDefault("synthetic", "60")), corpusOptions);
        Encoding encoding = data.encoding();
        System.out.printf(Locale.ROOT, "# engine %s %s, device %s, %d cores; corpus %s, encoding %s (%d ids); "
                        + "train %d pieces, %d notes, %d ids, %d windows of %d ids; valid %d pieces; %s %d pieces, "
                        + "%d notes, %d ids%n", Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(),
                device, Runtime.getRuntime().availableProcessors(), data.name(), encoding.name(), encoding.size(),
                data.train().ids().size(), data.train().noteCount(), total(data.train().ids()),
                data.trainWindows().size(), data.windowLength(), data.valid().ids().size(), data.report().name(),
                data.report().ids().size(), data.report().noteCount(), total(data.report().ids()));

        if (which.equals("gan")) {
            // the GAN trains on the pieces' notes: token baselines do not apply to it
            double seedMinutes = Double.parseDouble(options.getOrDefault("seed-minutes",
                    Double.toString(Math.min(minutes, 5))));
            System.out.println(GanBenchmark.run(ganPieces(data), device, minutes, seedMinutes, ganOverrides,
                    options.containsKey("images") ? Path.of(options.get("images")) : null));
            return;
        }
        double unkShare = unknownShare(encoding, data.report().ids());
        long t0 = System.nanoTime();
        UnigramModel unigram = new UnigramModel(encoding.size()).fit(data.train().ids());
        NgramModel.OrderSelection choice = NgramModel.bestOrder(encoding.size(), data.train().ids(), data.valid().ids(),
                MAX_ORDER);
        double unigramBits = bitsPerNote(unigram, data.report());
        double ngramBits = bitsPerNote(choice.model(), data.report());
        System.out.printf(Locale.ROOT, "baselines unigram_bits_per_note=%.4f ngram_order=%d ngram_bits_per_note=%.4f "
                        + "validation_cross_entropy_by_order=%s unk_share=%.4f (%.1f s)%n", unigramBits, choice.order(),
                ngramBits, describe(choice.validationCrossEntropy()), unkShare, (System.nanoTime() - t0) / 1e9);

        double lstmBits = Double.NaN;
        double tokensPerSecond = Double.NaN;
        SampleSettings sampleSettings = new SampleSettings(samples, temperature, topP, prompt);
        ControlMeasures.Result measured = null;
        if (!which.equals("gan")) {
            ControlMeasures.Result[] holder = new ControlMeasures.Result[1];
            AfterTraining after = controls
                    ? model -> holder[0] = measureControls(model, data, sampleSettings, controlSettings(options), out)
                    : model -> { };
            double[] lstm = lstm(data, device, minutes, sampleSettings, lstmOverrides,
                    options.get("save-model"), options.get("load-model"), out, after, controls);
            measured = holder[0];
            lstmBits = lstm[0];
            tokensPerSecond = lstm[1];
        }
        String gan = "";
        if (which.equals("both")) {
            double seedMinutes = Double.parseDouble(options.getOrDefault("seed-minutes",
                    Double.toString(Math.min(minutes, 5))));
            gan = GanBenchmark.run(ganPieces(data), device, minutes, seedMinutes, ganOverrides,
                    options.containsKey("images") ? Path.of(options.get("images")) : null).replace("result ", " ");
        }
        if (measured != null) {
            // issue 26's line: the training figures above, the controls' after them
            System.out.printf(Locale.ROOT, "training encoding=%s ngram_order=%d unigram_bits_per_note=%.4f "
                            + "unk_share=%.4f lstm_tokens_per_s=%.0f real_pitch_class_distance_p95=%.4f out=%s%n",
                    encoding.name(), choice.order(), unigramBits, unkShare, tokensPerSecond,
                    measured.realPitchClassDistanceP95(), out);
            System.out.printf(Locale.ROOT, "result lstm_bits_per_note=%.4f ngram_bits_per_note=%.4f %s%n", lstmBits,
                    ngramBits, measured.line());
            return;
        }
        System.out.printf(Locale.ROOT, "result encoding=%s lstm_bits_per_note=%.4f ngram_bits_per_note=%.4f "
                        + "ngram_order=%d unigram_bits_per_note=%.4f unk_share=%.4f lstm_tokens_per_s=%.0f unit=%s%s%n",
                encoding.name(), lstmBits, ngramBits, choice.order(), unigramBits, unkShare, tokensPerSecond,
                data.report().unit(), gan);
    }

    /** What runs on the best parameters once training is done, before the model is closed. */
    @FunctionalInterface
    private interface AfterTraining {
        void accept(LstmModel model) throws IOException;
    }

    /** Sample counts and lengths of the controls' measures; {@code --control-samples N} scales the sample counts. */
    private static ControlMeasures.Settings controlSettings(Map<String, String> options) {
        ControlMeasures.Settings d = ControlMeasures.Settings.defaults();
        double scale = Double.parseDouble(options.getOrDefault("control-samples", "1"));
        return new ControlMeasures.Settings(
                Double.parseDouble(options.getOrDefault("excerpt-seconds", Double.toString(d.excerptSeconds()))),
                Double.parseDouble(options.getOrDefault("long-seconds", Double.toString(d.longSeconds()))),
                Math.max(1, (int) Math.round(d.samplesPerKey() * scale)),
                Math.max(1, (int) Math.round(d.samplesPerLevel() * scale)),
                Math.max(1, (int) Math.round(d.samplesPerLabel() * scale)),
                Math.max(1, (int) Math.round(d.longSamples() * scale)),
                Integer.parseInt(options.getOrDefault("label-min-pieces", Integer.toString(d.minLabelPieces()))),
                d.rolls());
    }

    private static ControlMeasures.Result measureControls(LstmModel model, Data data, SampleSettings samples,
                                                          ControlMeasures.Settings settings, Path out)
            throws IOException {
        long seconds = 0;
        long notes = 0;
        long events = 0;
        for (int i = 0; i < data.train().scores().size(); i++) {
            seconds += data.train().scores().get(i).lengthSeconds();
            notes += data.train().notes().get(i);
            events += data.train().ids().get(i).length;
        }
        ControlledSampler sampler = new ControlledSampler(model, data.encoding(), data.trainWindows(),
                samples.temperature(), samples.topP(), samples.prompt(), (double) events / seconds,
                (double) notes / seconds);
        ControlMeasures.Corpus corpus = new ControlMeasures.Corpus(data.train().scores(), data.labelsOf(data.train()),
                data.report().scores(), data.labelsOf(data.report()));
        return new ControlMeasures(corpus, settings, sampler, out, System.out).run();
    }

    private static GanBenchmark.Pieces ganPieces(Data data) {
        return new GanBenchmark.Pieces(data.train().scores(), data.valid().scores(), data.report().scores(),
                data.encoding(), data.trainWindows(), data.windowLength(), total(data.train().ids()));
    }

    private static String describe(List<Double> crossEntropies) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < crossEntropies.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(i + 1).append(':').append(String.format(Locale.ROOT, "%.4f",
                    crossEntropies.get(i)));
        }
        return sb.toString();
    }

    private static long total(List<int[]> pieces) {
        return pieces.stream().mapToLong(p -> p.length).sum();
    }

    private static double unknownShare(Encoding encoding, List<int[]> pieces) {
        long unknown = 0;
        for (int[] p : pieces) {
            for (int id : p) {
                if (encoding.isUnknown(id)) {
                    unknown++;
                }
            }
        }
        return (double) unknown / Math.max(1, total(pieces));
    }

    private static double bitsPerNote(TokenLanguageModel model, Split split) {
        double bits = 0;
        for (int[] piece : split.ids()) {
            bits -= model.log2Likelihood(piece);
        }
        return bits / split.noteCount();
    }

    private static double bitsPerNote(LstmModel model, Split split) {
        double bits = 0;
        for (double l : new PieceScorer(model).log2Likelihoods(split.ids())) {
            bits -= l;
        }
        return bits / split.noteCount();
    }

    /** Trains for the budget; returns the best epoch's bits per note on the report split and the token rate. */
    /** How many samples to draw after training, and how: each continues the first {@code prompt} ids of a window. */
    private record SampleSettings(int count, double temperature, double topP, int prompt) {
    }

    private static double[] lstm(Data data, Device device, double minutes, SampleSettings samples,
                                 Map<String, String> overrides, String saveTo, String loadFrom, Path out,
                                 AfterTraining after, boolean controls) throws IOException {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("sequenceLength", Integer.toString(data.windowLength()));
        if (loadFrom != null) {
            all.put("epochs", "1"); // no training: the parameters come from the file
        } else if (!all.containsKey("epochs")) {
            // the learning-rate schedule spans the epochs: fit them to the budget from a short probe of the rate
            all.put("epochs", Integer.toString(epochsInBudget(LstmConfig.fromMap(all, LstmConfig.defaults()), data,
                    device, minutes)));
        }
        LstmConfig config = LstmConfig.fromMap(all, LstmConfig.defaults());
        List<String> pieceLabels = null;
        if (controls) {
            // the model reads controls and knows every label of the training pieces, as the trainer's models do
            pieceLabels = data.labelsOf(data.train());
            config = config.withControls(pieceLabels.stream().filter(Objects::nonNull).distinct().sorted().toList());
        }
        // the windows of the training pieces with their controls, transposed and stretched anew each epoch if asked
        LstmCorpus corpus = new LstmCorpus(data.encoding(), data.train().scores(), pieceLabels, data.windowLength(),
                config.augmentation(), config.seed());
        long start = System.nanoTime();
        long deadline = start + (long) (minutes * 60e9);
        try (LstmModel model = LstmModel.create(config, data.encoding().size(), device);
             LstmTrainer trainer = new LstmTrainer(model)) {
            System.out.printf(Locale.ROOT, "lstm parameters=%d flops_per_token_training=%.0f config=%s%n",
                    model.parameterCount(), model.trainingFlopsPerToken(), config);
            double best = Double.MAX_VALUE;
            // the budget also ends an epoch part-way: a short budget (a smoke run) must not wait out a 13-minute epoch
            ProgressListener untilDeadline = new ProgressListener() {
                @Override
                public void onStep(StepProgress progress) {
                }

                @Override
                public boolean stopRequested() {
                    return System.nanoTime() > deadline;
                }
            };
            StringBuilder curve = new StringBuilder("epoch,train_loss,valid_bits_per_note,tokens_per_s,elapsed_s\n");
            byte[] bestParameters = null;
            int bestEpoch = 0;
            long tokens = 0;
            double seconds = 0;
            if (loadFrom != null) {
                bestParameters = Files.readAllBytes(Path.of(loadFrom));
                model.loadParameters(bestParameters);
                best = Double.NaN; // scored when it was trained
            }
            for (int epoch = 1; loadFrom == null && epoch <= config.epochs() && System.nanoTime() < deadline;
                    epoch++) {
                EpochResult result = trainer.trainEpoch(corpus.forEpoch(epoch), new Random(epoch), untilDeadline);
                tokens += result.metric("tokens");
                seconds += result.seconds();
                double validBits = bitsPerNote(model, data.valid());
                if (validBits < best) {
                    best = validBits;
                    bestParameters = model.saveParameters();
                    bestEpoch = epoch;
                }
                System.out.printf(Locale.ROOT, "lstm epoch=%d train_loss=%.4f valid_bits_per_note=%.4f tokens_per_s=%.0f "
                                + "elapsed_s=%.0f rss_mb=%d%n", epoch, result.metric("trainLoss"), validBits,
                        result.throughput(), (System.nanoTime() - start) / 1e9, residentMegabytes());
                curve.append(String.format(Locale.ROOT, "%d,%.5f,%.5f,%.0f,%.0f%n", epoch, result.metric("trainLoss"),
                        validBits, result.throughput(), (System.nanoTime() - start) / 1e9));
            }
            if (out != null && loadFrom == null) {
                Files.createDirectories(out);
                Files.writeString(out.resolve("learning-curve.csv"), curve);
                System.out.println("lstm learning curve in " + out.resolve("learning-curve.csv"));
            }
            model.loadParameters(bestParameters);
            if (saveTo != null) {
                Files.write(Path.of(saveTo), bestParameters);
            }
            double reportBits = bitsPerNote(model, data.report());
            double rate = tokens / seconds;
            System.out.printf(Locale.ROOT, "lstm summary best_epoch=%d valid_bits_per_note=%.4f %s_bits_per_note=%.4f "
                    + "tokens_per_s=%.0f%n", bestEpoch, best, data.report().name(), reportBits, rate);
            samples(model, data, samples);
            after.accept(model);
            return new double[] {reportBits, rate};
        }
    }

    /** Epochs that fit in the budget at the rate of a few training steps (the evaluation takes its share too). */
    private static int epochsInBudget(LstmConfig config, Data data, Device device, double minutes) {
        int probe = Math.min(data.trainWindows().size(), config.batchSize() * 6);
        List<LstmWindow> windows = LstmWindow.plain(data.trainWindows());
        try (LstmModel model = LstmModel.create(config, data.encoding().size(), device);
             LstmTrainer trainer = new LstmTrainer(model)) {
            trainer.trainEpoch(windows.subList(0, config.batchSize()), new Random(0), ProgressListener.NONE);
            EpochResult r = trainer.trainEpoch(windows.subList(0, probe), new Random(0), ProgressListener.NONE);
            double epochSeconds = data.trainWindows().size() * (data.windowLength() - 1) / r.throughput() * 1.1;
            // rounded up: the deadline ends the last epoch part-way, so the whole budget trains (rounded down, a budget
            // of 1.7 epochs trained 1 and left 40 % of its time unused)
            int epochs = (int) Math.max(1, Math.ceil(minutes * 60 / epochSeconds));
            System.out.printf(Locale.ROOT, "lstm probe tokens_per_s=%.0f epoch_s=%.0f epochs_in_budget=%d%n",
                    r.throughput(), epochSeconds, epochs);
            return epochs;
        }
    }

    /**
     * Samples as long as a training window against real excerpts of the report split of the same length: the mean
     * of each statistic over the samples inside the real excerpts' spread, and the share of copied 8-note runs.
     */
    private static void samples(LstmModel model, Data data, SampleSettings settings) {
        int count = settings.count();
        if (count <= 0) {
            return;
        }
        int length = data.windowLength();
        Random random = new Random(7);
        ExcerptStatistics statistics = new ExcerptStatistics(data.report().scores());
        List<Map<String, Double>> real = new ArrayList<>();
        List<int[]> reportPieces = data.report().ids().stream().filter(p -> p.length > length).toList();
        for (int i = 0; i < 4 * count && !reportPieces.isEmpty(); i++) {
            int[] piece = reportPieces.get(random.nextInt(reportPieces.size()));
            int from = random.nextInt(piece.length - length);
            real.add(statistics.of(data.encoding().decode(java.util.Arrays.copyOfRange(piece, from, from + length))));
        }
        long t0 = System.nanoTime();
        int[][] prompts = new int[count][];
        for (int i = 0; i < count; i++) {
            int[] window = data.trainWindows().get(random.nextInt(data.trainWindows().size()));
            prompts[i] = java.util.Arrays.copyOf(window, Math.max(1, Math.min(settings.prompt(), window.length)));
        }
        SamplingParams[] params = new SamplingParams[count];
        for (int i = 0; i < count; i++) {
            params[i] = new SamplingParams(settings.temperature(), 0, settings.topP(), 11 + i);
        }
        int[][] generated = TokenSampler.generate(model, prompts, length - 1, params, data.encoding()::grammar);
        Set<String> trainingRuns = ExcerptStatistics.noteNgrams(data.train().scores(), COPY_NGRAM);
        List<Map<String, Double>> generatedStats = new ArrayList<>();
        double copied = 0;
        int copiedCount = 0;
        for (int[] ids : generated) {
            Score score = data.encoding().decode(ids);
            generatedStats.add(statistics.of(score));
            double c = ExcerptStatistics.copiedShare(score, trainingRuns, COPY_NGRAM);
            if (!Double.isNaN(c)) {
                copied += c;
                copiedCount++;
            }
        }
        double realCopied = 0;
        for (int i = 0; i < Math.min(count, real.size()); i++) {
            int[] piece = reportPieces.get(random.nextInt(reportPieces.size()));
            int from = random.nextInt(piece.length - length);
            double c = ExcerptStatistics.copiedShare(data.encoding().decode(
                    java.util.Arrays.copyOfRange(piece, from, from + length)), trainingRuns, COPY_NGRAM);
            realCopied += Double.isNaN(c) ? 0 : c / Math.min(count, real.size());
        }
        Map<String, Boolean> inside = ExcerptStatistics.inside(generatedStats, real);
        System.out.printf(Locale.ROOT, "samples n=%d length=%d prompt=%d temperature=%.2f top_p=%.2f "
                + "generation_s=%.1f%n", count, length, settings.prompt(), settings.temperature(), settings.topP(),
                (System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "samples lstm_mean=%s%n", ExcerptStatistics.mean(generatedStats));
        System.out.printf(Locale.ROOT, "samples real_mean=%s%n", ExcerptStatistics.mean(real));
        StringBuilder spread = new StringBuilder();
        ExcerptStatistics.spread(real).forEach((name, range) -> spread.append(spread.isEmpty() ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s=%.3f..%.3f", name, range[0], range[1])));
        System.out.printf(Locale.ROOT, "samples real_spread={%s}%n", spread);
        System.out.printf(Locale.ROOT, "samples inside_real_spread=%s (%d/%d) copied_8_note_share=%.4f "
                        + "real_excerpts_copied_8_note_share=%.4f%n", inside,
                inside.values().stream().filter(b -> b).count(), inside.size(),
                copiedCount == 0 ? Double.NaN : copied / copiedCount, realCopied);
    }

    /** The process's resident memory (heap and the engine's native memory), to see that it stays flat. */
    static long residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return -1;
    }

    /** A MIDI file as read: its name (for its label) and its bytes. */
    private record MidiFile(String name, byte[] bytes) {
    }

    /**
     * Synthetic pieces split 70/15/15 by piece, labelled by their mode ({@code major}, {@code minor}: a label the
     * music shows, for trying the controls' measures on a corpus of the project's own).
     */
    private static Data synthetic(int pieces, CorpusOptions options) {
        List<MidiFile> all = new SyntheticCorpus(1).generate(pieces).stream()
                .map(p -> new MidiFile(p.fileName(), p.midi())).toList();
        int valid = Math.max(1, pieces * 15 / 100);
        StringBuilder csv = new StringBuilder("file,label\n");
        for (MidiFile f : all) {
            csv.append(f.name()).append(',').append(f.name().contains("minor") ? "minor" : "major").append('\n');
        }
        return build("synthetic(" + pieces + ")", options, all.subList(0, pieces - 2 * valid),
                all.subList(pieces - 2 * valid, pieces - valid), all.subList(pieces - valid, pieces),
                PieceLabels.fromMetadataCsv(csv.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code train/}, {@code valid/} and {@code test/} of {@code dir}, labelled by its {@code metadata.csv} if any. */
    private static Data fromDirectory(Path dir, CorpusOptions options) throws IOException {
        Path metadata = dir.resolve(PieceLabels.METADATA_FILE);
        PieceLabels labels = Files.isRegularFile(metadata)
                ? PieceLabels.fromMetadataCsv(Files.readAllBytes(metadata)) : PieceLabels.none();
        return build(dir.toString(), options, files(dir, "train"), files(dir, "valid"), files(dir, "test"), labels);
    }

    private static List<MidiFile> files(Path corpus, String split) throws IOException {
        Path dir = corpus.resolve(split);
        List<MidiFile> files = new ArrayList<>();
        for (Path path : CorpusFiles.under(dir, CorpusFiles.MIDI)) {
            files.add(new MidiFile(dir.relativize(path).toString(), Files.readAllBytes(path)));
        }
        return files;
    }

    private static Data build(String name, CorpusOptions options, List<MidiFile> train, List<MidiFile> valid,
                              List<MidiFile> test, PieceLabels labels) {
        CorpusBuilder builder = new CorpusBuilder(options);
        for (MidiFile f : train) {
            builder.add(f.name(), f.bytes());
        }
        CorpusDataset dataset = builder.build();
        Encoding encoding = dataset.encoding();
        List<int[]> trainIds = new ArrayList<>();
        List<Integer> trainNotes = new ArrayList<>();
        for (Score s : dataset.pieces()) {
            trainIds.add(encoding.encode(s));
            trainNotes.add(s.notes().size());
        }
        Split trainSplit = new Split("train", trainIds, trainNotes, dataset.pieces(),
                dataset.sources().stream().map(SourceFile::fileName).toList());
        Split validSplit = encode("valid", valid, encoding);
        Split report = test.isEmpty() ? validSplit : encode("test", test, encoding);
        return new Data(name, encoding, dataset.sequences().sequences(), dataset.sequences().sequenceLength(),
                trainSplit, validSplit, report, labels);
    }

    private static Split encode(String name, List<MidiFile> files, Encoding encoding) {
        // the held-out pieces are read as the training ones are: with their drum hits when the encoding keeps drums
        MidiReader reader = Encodings.hasDrums(encoding.name()) ? MidiReader.sounding().withDrums()
                : MidiReader.sounding();
        List<int[]> ids = new ArrayList<>();
        List<Integer> notes = new ArrayList<>();
        List<Score> scores = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (MidiFile file : files) {
            try {
                Score score = reader.read(file.bytes());
                ids.add(encoding.encode(score));
                notes.add(score.notes().size());
                scores.add(score);
                names.add(file.name());
            } catch (MidiFormatException e) {
                System.out.println("# skipped an unreadable " + name + " file: " + e.getMessage());
            }
        }
        return new Split(name, ids, notes, scores, names);
    }
}
