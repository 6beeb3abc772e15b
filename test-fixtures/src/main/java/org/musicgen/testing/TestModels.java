package org.musicgen.testing;

import org.musicgen.core.model.ModelConfig;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.gan.roll.PianoRollGan;
import org.musicgen.core.model.gan.roll.PianoRollGanTrainer;
import org.musicgen.core.model.gan.roll.RollPhrase;
import org.musicgen.core.model.gan.roll.RollGanConfig;
import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.gan.token.TokenGanConfig;
import org.musicgen.core.model.gan.token.TokenGanTrainer;
import org.musicgen.core.model.kind.ModelKind;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import org.musicgen.core.model.lstm.LstmTrainer;
import org.musicgen.core.model.lstm.LstmWindow;
import org.musicgen.core.model.lstm.LstmCorpus;
import org.musicgen.core.dataset.Augmentation;
import org.musicgen.core.dataset.SourceFile;
import ai.djl.Device;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.localstack.LocalStack;
import org.musicgen.platform.events.ModelTrained;
import org.musicgen.platform.events.RunKeys;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Small models trained in a few seconds and stored the way the trainer stores them, with the {@code models.trained}
 * event the trainer would send: downstream tests get real checkpoints without a trainer service.
 */
public final class TestModels {

    private TestModels() {
    }

    /**
     * A small LSTM trained for {@code epochs} on the dataset, stored as epoch {@code epochs} of a new run: it reads
     * controls and knows the dataset's labels, as the trainer's would.
     */
    public static ModelTrained trainLstm(LocalStack stack, String corpusId, CorpusDataset dataset, int epochs) {
        return trainLstm(stack, corpusId, dataset, epochs, true);
    }

    /** The small LSTM of {@link #trainLstm} trained without controls, as every LSTM was before them. */
    public static ModelTrained trainPlainLstm(LocalStack stack, String corpusId, CorpusDataset dataset, int epochs) {
        return trainLstm(stack, corpusId, dataset, epochs, false);
    }

    private static ModelTrained trainLstm(LocalStack stack, String corpusId, CorpusDataset dataset, int epochs,
                                          boolean controls) {
        List<String> labels = dataset.sources().stream().map(SourceFile::label).toList();
        LstmConfig config = LstmConfig.fromMap(Map.of("embeddingSize", "32", "hiddenSize", "64", "layers", "1",
                "epochs", Integer.toString(epochs), "warmupSteps", "0", "controls", Boolean.toString(controls)),
                LstmConfig.defaults())
                .withSequenceLength(dataset.sequences().sequenceLength())
                .withLabels(List.copyOf(dataset.labelCounts().keySet()));
        int vocabularySize = dataset.encoding().size();
        List<LstmWindow> windows = new LstmCorpus(dataset.encoding(), dataset.pieces(),
                labels.size() == dataset.pieces().size() ? labels : null, config.sequenceLength(), Augmentation.none(),
                config.seed()).windows();
        byte[] parameters;
        try (LstmModel model = LstmModel.create(config, vocabularySize, Device.cpu());
             LstmTrainer trainer = new LstmTrainer(model)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                trainer.trainEpoch(windows, new Random(epoch), ProgressListener.NONE);
            }
            parameters = model.saveParameters();
        }
        return store(stack, corpusId, config, epochs, dataset, parameters);
    }

    /**
     * The small LSTM of {@link #trainLstm} made to read controls and to know {@code labels}, untrained, stored as epoch
     * 1 of a new run: a real conditioned checkpoint for tests of how controls are asked and recorded (whether a
     * trained one follows them is music-core's ConditionedLstmTest).
     */
    public static ModelTrained conditionedLstm(LocalStack stack, String corpusId, CorpusDataset dataset,
                                               List<String> labels) {
        LstmConfig config = LstmConfig.fromMap(Map.of("embeddingSize", "16", "hiddenSize", "32", "layers", "1",
                "epochs", "1", "warmupSteps", "0"), LstmConfig.defaults())
                .withSequenceLength(dataset.sequences().sequenceLength()).withControls(labels);
        byte[] parameters;
        try (LstmModel model = LstmModel.create(config, dataset.encoding().size(), Device.cpu())) {
            parameters = model.saveParameters();
        }
        return store(stack, corpusId, config, 1, dataset, parameters);
    }

    /**
     * A small piano-roll GAN (the default GAN) trained for {@code epochs} on two-bar phrases of the dataset's pieces,
     * stored as epoch {@code epochs} of a new run.
     */
    public static ModelTrained trainGan(LocalStack stack, String corpusId, CorpusDataset dataset, int epochs) {
        RollGanConfig config = smallGan(epochs, false);
        byte[] parameters;
        try (PianoRollGan model = PianoRollGan.create(config, Device.cpu());
             PianoRollGanTrainer trainer = new PianoRollGanTrainer(model)) {
            List<RollPhrase> phrases = RollPhrase.unlabelled(model.grid(), model.grid().phrases(dataset.pieces(), 1));
            // a GAN starts silent (its cells begin below the threshold): train on until each of its phrases has
            // notes, so that downstream tests get playable samples whatever seed they ask for
            int epoch = 0;
            while (epoch < epochs || model.sample(0, 8).stream().anyMatch(p -> p.soundingCells() == 0)) {
                if (++epoch > epochs + 200) {
                    throw new IllegalStateException("the test GAN still writes silence after " + epoch + " epochs");
                }
                trainer.trainEpoch(phrases, new Random(epoch), ProgressListener.NONE);
            }
            parameters = model.saveParameters();
        }
        return store(stack, corpusId, config, epochs, dataset, parameters);
    }

    /**
     * The small piano-roll GAN of {@link #trainGan} made to read controls, untrained, stored as epoch 1 of a new run: it
     * writes silence.
     */
    public static ModelTrained untrainedGan(LocalStack stack, String corpusId, CorpusDataset dataset) {
        RollGanConfig config = smallGan(1, true);
        byte[] parameters;
        try (PianoRollGan model = PianoRollGan.create(config, Device.cpu())) {
            parameters = model.saveParameters();
        }
        return store(stack, corpusId, config, 1, dataset, parameters);
    }

    private static RollGanConfig smallGan(int epochs, boolean controls) {
        return RollGanConfig.fromMap(Map.of("generatorHidden", "64", "noiseSize", "16",
                "discriminatorEmbedding", "16", "discriminatorHidden", "32", "discriminatorDense", "16", "bars", "2",
                "epochs", Integer.toString(epochs), "controls", Boolean.toString(controls)), RollGanConfig.defaults());
    }

    /** A small token GAN trained for {@code epochs} on the dataset's windows, stored as epoch {@code epochs}. */
    public static ModelTrained trainTokenGan(LocalStack stack, String corpusId, CorpusDataset dataset, int epochs) {
        TokenGanConfig config = TokenGanConfig.fromMap(Map.of("generatorHidden", "64", "noiseSize", "16",
                        "discriminatorHidden", "32", "epochs", Integer.toString(epochs),
                        "sequenceLength", Integer.toString(dataset.sequences().sequenceLength())),
                TokenGanConfig.defaults());
        byte[] parameters;
        try (TokenGan model = TokenGan.create(config, dataset.encoding().size(), Device.cpu());
             TokenGanTrainer trainer = new TokenGanTrainer(model)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                trainer.trainEpoch(dataset.sequences().sequences(), new Random(epoch), ProgressListener.NONE);
            }
            parameters = model.saveParameters();
        }
        return store(stack, corpusId, config, epochs, dataset, parameters);
    }

    /** A run record as the trainer keeps it while a run is still going (only its existence matters to readers). */
    public static String storeUnfinishedRun(LocalStack stack, String corpusId) {
        String runId = UUID.randomUUID().toString();
        TestObjects.of(stack).put(RunKeys.BUCKET, RunKeys.record(runId), ("{\"id\":\"" + runId
                + "\",\"corpusId\":\"" + corpusId + "\",\"status\":\"RUNNING\"}").getBytes());
        return runId;
    }

    /**
     * Stores trained parameters as epoch {@code epochs} of a new run, the way the trainer writes a checkpoint, and
     * returns the {@code models.trained} event that announces them.
     */
    public static ModelTrained store(LocalStack stack, String corpusId, ModelConfig config, int epochs,
                                     CorpusDataset dataset, byte[] parameters) {
        String runId = UUID.randomUUID().toString();
        String key = RunKeys.checkpoint(runId, epochs);
        TestObjects.of(stack).put(RunKeys.BUCKET, key, ModelKind.checkpoint(config, epochs,
                dataset.encoding().toBytes(), Map.of("model", parameters)).encode());
        return ModelTrained.of(runId, corpusId, ModelKind.of(config).family(), RunKeys.BUCKET, key, epochs, Map.of(),
                Instant.now());
    }
}
