package org.musicgen.bench;

import org.musicgen.core.model.gan.token.TokenGanConfig;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.gan.token.TokenGanTrainer;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import org.musicgen.core.model.lstm.LstmTrainer;
import org.musicgen.core.model.lstm.LstmWindow;
import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.musicgen.core.dataset.CorpusBuilder;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.dataset.CorpusOptions;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.localstack.LocalStack;
import org.musicgen.platform.events.ModelTrained;
import org.musicgen.platform.events.Topics;
import org.musicgen.testing.TestDatasets;
import org.musicgen.testing.TestModels;

import java.util.Map;
import java.util.Random;

/**
 * Models with the trainer's default architectures ({@link LstmConfig#defaults()}, {@link GanConfig#defaults()}),
 * trained briefly in this JVM, stored as the trainer stores its checkpoints and announced on {@code models.trained}
 * as the trainer announces them. Latency depends on the architecture, not on how well the model learned, so a few
 * epochs are enough.
 */
final class BenchModels {

    private static final ObjectMapper EVENTS = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private BenchModels() {
    }

    /** A trained model: its announcement, and the model itself, still open, for in-process measurements. */
    record Trained<M extends AutoCloseable>(ModelTrained event, M model, double trainingSeconds)
            implements AutoCloseable {

        String runId() {
            return event.runId();
        }

        @Override
        public void close() throws Exception {
            model.close();
        }
    }

    /**
     * The synthetic corpus the main job submits by default (seed 1), encoded and segmented as ingest does with the
     * given encoding ({@code performance} or {@code seed}).
     */
    static CorpusDataset syntheticCorpus(int pieces, String encoding) {
        SyntheticCorpus corpus = new SyntheticCorpus(1);
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.of(encoding));
        for (int i = 0; i < pieces; i++) {
            GeneratedPiece piece = corpus.piece(i);
            builder.add(piece.fileName(), piece.midi());
        }
        return builder.build();
    }

    /** Stores the dataset the way ingest does; returns the corpus id. */
    static String publishDataset(LocalStack stack, CorpusDataset dataset) {
        return TestDatasets.publish(stack, dataset);
    }

    static Trained<LstmModel> trainLstm(LocalStack stack, String corpusId, CorpusDataset dataset, int epochs) {
        LstmConfig config = LstmConfig.defaults().withEpochs(epochs)
                .withSequenceLength(dataset.sequences().sequenceLength());
        LstmModel model = LstmModel.create(config, dataset.encoding().size(), Device.cpu());
        long t0 = System.nanoTime();
        try (LstmTrainer trainer = new LstmTrainer(model)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                trainer.trainEpoch(LstmWindow.plain(dataset.sequences().sequences()), new Random(config.seed() * 31 + epoch),
                        ProgressListener.NONE);
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ModelTrained event = TestModels.store(stack, corpusId, config, epochs, dataset,
                model.saveParameters());
        return new Trained<>(event, model, seconds);
    }

    static Trained<TokenGan> trainGan(LocalStack stack, String corpusId, CorpusDataset dataset, int epochs) {
        TokenGanConfig config = TokenGanConfig.fromMap(Map.of("epochs", Integer.toString(epochs),
                "sequenceLength", Integer.toString(dataset.sequences().sequenceLength())), TokenGanConfig.defaults());
        TokenGan model = TokenGan.create(config, dataset.encoding().size(), Device.cpu());
        long t0 = System.nanoTime();
        try (TokenGanTrainer trainer = new TokenGanTrainer(model)) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                trainer.trainEpoch(dataset.sequences().sequences(), new Random(config.seed() * 31 + epoch),
                        ProgressListener.NONE);
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ModelTrained event = TestModels.store(stack, corpusId, config, epochs, dataset,
                model.saveParameters());
        return new Trained<>(event, model, seconds);
    }

    /** Sends the event on {@code models.trained}, keyed by run id, as the trainer does. */
    static void announce(LocalStack stack, ModelTrained event) {
        try {
            stack.topics().send(Topics.MODELS_TRAINED, event.runId(), EVENTS.writeValueAsString(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
