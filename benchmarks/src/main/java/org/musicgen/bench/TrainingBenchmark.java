package org.musicgen.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.musicgen.core.baseline.NgramModel;
import org.musicgen.core.baseline.UnigramModel;
import org.musicgen.core.dataset.CorpusBuilder;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.dataset.CorpusOptions;
import org.musicgen.core.dataset.SequenceSet;
import org.musicgen.core.dataset.TrainValidationSplit;
import org.musicgen.core.metrics.PitchClassHistogram;
import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.GanConfig;
import org.musicgen.core.model.GanEpochResult;
import org.musicgen.core.model.GanModel;
import org.musicgen.core.model.GanTrainer;
import org.musicgen.core.model.LstmConfig;
import org.musicgen.core.model.LstmModel;
import org.musicgen.core.model.LstmTrainer;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Training throughput and quality of both models within a fixed time budget, on CPU or GPU.
 *
 * <p>Usage: {@code TrainingBenchmark [--corpus DIR | --synthetic N] [--minutes M] [--model lstm|gan|both]
 * [--sequence-length L] [--stride S] [--device cpu|gpu] [name=value hyper-parameters...]}. With a corpus
 * directory holding {@code train/} and {@code valid/} (as the shared JSB chorales do), training uses
 * {@code train/} and perplexity is measured on {@code valid/}; otherwise pieces are split 85/15.
 */
public final class TrainingBenchmark {

    private TrainingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        Map<String, String> lstmOverrides = new HashMap<>();
        Map<String, String> ganOverrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                options.put(args[i].substring(2), args[++i]);
            } else if (args[i].startsWith("gan.")) {
                String[] kv = args[i].substring(4).split("=", 2);
                ganOverrides.put(kv[0], kv[1]);
            } else {
                String[] kv = args[i].split("=", 2);
                lstmOverrides.put(kv[0], kv[1]);
            }
        }
        double minutes = Double.parseDouble(options.getOrDefault("minutes", "2"));
        int length = Integer.parseInt(options.getOrDefault("sequence-length", "100"));
        int stride = Integer.parseInt(options.getOrDefault("stride", "25"));
        String which = options.getOrDefault("model", "both");
        Device device = "gpu".equals(options.get("device")) ? Device.gpu() : Device.cpu();
        CorpusOptions corpusOptions = new CorpusOptions(length, stride, 4, 64, 4096, 1);

        Data data = options.containsKey("corpus")
                ? fromDirectory(Path.of(options.get("corpus")), corpusOptions)
                : synthetic(Integer.parseInt(options.getOrDefault("synthetic", "48")),
                Boolean.parseBoolean(options.getOrDefault("one-key", "false")), corpusOptions);
        System.out.printf(Locale.ROOT, "# engine %s %s, device %s, %d cores; corpus %s: vocabulary %d, %d train / %d "
                        + "validation sequences of %d tokens%n", Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(), device, Runtime.getRuntime().availableProcessors(), data.name,
                data.vocabularySize, data.train.size(), data.validation.size(), length);

        double unigram = new UnigramModel(data.vocabularySize).fit(data.train).perplexity(data.validation);
        double trigram = new NgramModel(data.vocabularySize, 3).fit(data.train).perplexity(data.validation);
        System.out.printf(Locale.ROOT, "baseline unigram_perplexity=%.2f trigram_kn_perplexity=%.2f%n", unigram, trigram);

        if (!which.equals("gan")) {
            lstm(data, length, device, minutes, lstmOverrides);
        }
        if (!which.equals("lstm")) {
            gan(data, length, device, minutes, ganOverrides);
        }
    }

    private static void lstm(Data data, int length, Device device, double minutes, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("sequenceLength", Integer.toString(length));
        all.putIfAbsent("epochs", "1000");
        LstmConfig config = LstmConfig.fromMap(all, LstmConfig.defaults());
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        try (LstmModel model = LstmModel.create(config, data.vocabularySize, device);
             LstmTrainer trainer = new LstmTrainer(model)) {
            System.out.printf(Locale.ROOT, "lstm parameters=%d flops_per_token_forward=%.0f flops_per_token_training=%.0f "
                    + "config=%s%n", model.parameterCount(), model.flopsPerToken(), model.trainingFlopsPerToken(), config);
            double best = Double.MAX_VALUE;
            long tokens = 0;
            double seconds = 0;
            for (int epoch = 1; epoch <= config.epochs() && System.nanoTime() < deadline; epoch++) {
                EpochResult result = trainer.trainEpoch(data.train, new Random(epoch), ProgressListener.NONE);
                double validation = trainer.evaluate(data.validation);
                best = Math.min(best, validation);
                tokens += result.tokens();
                seconds += result.seconds();
                System.out.printf(Locale.ROOT, "lstm epoch=%d train_loss=%.4f validation_loss=%.4f validation_perplexity=%.2f "
                                + "tokens_per_s=%.0f gflops=%.2f rss_mb=%d%n", epoch, result.trainLoss(), validation,
                        Math.exp(validation), result.tokensPerSecond(), result.gflops(), residentMegabytes());
            }
            double rate = tokens / seconds;
            System.out.printf(Locale.ROOT, "lstm summary tokens_per_s=%.0f achieved_gflops=%.2f best_validation_perplexity=%.2f%n",
                    rate, rate * model.trainingFlopsPerToken() / 1e9, Math.exp(best));
        }
    }

    /** The process's resident memory (heap and the engine's native memory), to see that it stays flat. */
    private static long residentMegabytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return -1;
    }

    private static void gan(Data data, int length, Device device, double minutes, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("sequenceLength", Integer.toString(length));
        all.putIfAbsent("epochs", "1000");
        GanConfig config = GanConfig.fromMap(all, GanConfig.defaults());
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        PitchClassHistogram corpus = PitchClassHistogram.of(data.train, data.vocabulary);
        try (GanModel model = GanModel.create(config, data.vocabularySize, device);
             GanTrainer trainer = new GanTrainer(model)) {
            System.out.printf(Locale.ROOT, "gan parameters=%d config=%s%n", model.parameterCount(), config);
            long sequences = 0;
            double seconds = 0;
            for (int epoch = 1; epoch <= config.epochs() && System.nanoTime() < deadline; epoch++) {
                GanEpochResult result = trainer.trainEpoch(data.train, new Random(epoch), ProgressListener.NONE);
                sequences += data.train.size();
                seconds += result.seconds();
                double distance = PitchClassHistogram.of(List.of(model.sample(1, 64)), data.vocabulary).distanceTo(corpus);
                System.out.printf(Locale.ROOT, "gan epoch=%d d_loss=%.4f g_loss=%.4f d_real=%.3f d_fake=%.3f "
                                + "sequences_per_s=%.1f pitch_class_distance=%.4f rss_mb=%d%n", epoch, result.dLoss(),
                        result.gLoss(), result.dRealScore(), result.dFakeScore(), result.sequencesPerSecond(), distance,
                        residentMegabytes());
            }
            Random random = new Random(1);
            List<int[]> uniform = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                uniform.add(random.ints(length, 1, data.vocabularySize).toArray());
            }
            System.out.printf(Locale.ROOT, "gan summary sequences_per_s=%.1f uniform_pitch_class_distance=%.4f%n",
                    sequences / seconds, PitchClassHistogram.of(uniform, data.vocabulary).distanceTo(corpus));
        }
    }

    private record Data(String name, org.musicgen.core.tokens.Vocabulary vocabulary, int vocabularySize,
                        List<int[]> train, List<int[]> validation) {
    }

    /** With {@code oneKey}, every twelfth piece, which the generator writes in one key. */
    private static Data synthetic(int pieces, boolean oneKey, CorpusOptions options) {
        CorpusBuilder builder = new CorpusBuilder(options);
        SyntheticCorpus corpus = new SyntheticCorpus(1);
        for (int i = 0; i < pieces; i++) {
            GeneratedPiece piece = corpus.piece(oneKey ? 12 * i : i);
            builder.add(piece.fileName(), piece.midi());
        }
        CorpusDataset dataset = builder.build();
        TrainValidationSplit split = TrainValidationSplit.byPiece(dataset.sequences(), 0.15, 1);
        return new Data("synthetic(" + pieces + ")", dataset.vocabulary(), dataset.vocabulary().size(),
                split.train(), split.validation());
    }

    /** Builds the vocabulary from train and valid together, then keeps the standard split by folder. */
    private static Data fromDirectory(Path dir, CorpusOptions options) throws IOException {
        CorpusBuilder builder = new CorpusBuilder(options);
        List<String> validationFiles = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                String name = path.toString();
                if (!name.toLowerCase(Locale.ROOT).matches(".*\\.midi?$") || name.contains("/test/")) {
                    continue;
                }
                if (builder.add(name, Files.readAllBytes(path)).accepted() && name.contains("/valid/")) {
                    validationFiles.add(name);
                }
            }
        }
        CorpusDataset dataset = builder.build();
        SequenceSet set = dataset.sequences();
        List<int[]> train = new ArrayList<>();
        List<int[]> validation = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            String source = dataset.sources().get(set.sourceOf(i)).fileName();
            (validationFiles.contains(source) ? validation : train).add(set.sequences().get(i));
        }
        return new Data(dir.toString(), dataset.vocabulary(), dataset.vocabulary().size(), train, validation);
    }
}
