package org.musicgen.trainer.training;

import ai.djl.Device;
import org.musicgen.core.model.ModelTrainer;
import org.musicgen.core.model.gan.roll.PianoRollGan;
import org.musicgen.core.model.gan.roll.PianoRollGanTrainer;
import org.musicgen.core.model.gan.roll.RollGanConfig;
import org.musicgen.core.model.gan.roll.RollPhrase;
import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.gan.token.TokenGanConfig;
import org.musicgen.core.model.gan.token.TokenGanTrainer;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import org.musicgen.core.model.lstm.LstmTrainer;
import org.musicgen.core.model.lstm.LstmCorpus;
import org.musicgen.core.model.lstm.LstmWindow;
import org.musicgen.core.dataset.Augmentation;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.roll.RollGrid;
import org.musicgen.trainer.run.RunSpec;
import org.musicgen.trainer.run.TrainingRun;

import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The one place in the trainer that knows each model kind: how a run's model is built (fresh, or from its last
 * checkpoint's parameters) and which trainer drives it. Everything else trains any {@link ModelTrainer} the same way,
 * so a new model kind is a new case here, beside its record in {@link RunSpec}.
 */
final class RunModelOpener {

    private RunModelOpener() {
    }

    /**
     * A model, its trainer, the examples each epoch trains on (the same every epoch, or augmented copies) and those it
     * is measured on; the model and trainer close together.
     */
    record Opened<E>(ModelTrainer<E> trainer, AutoCloseable model, IntFunction<List<E>> trainFor, List<E> validation)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                trainer.close();
            } finally {
                try {
                    model.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing the model: " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * @param parameters the last checkpoint's parameter block to resume from, or null for a fresh model
     */
    static Opened<?> open(TrainingRun run, DatasetLoader.TrainingData data, Device[] devices, byte[] parameters) {
        int size = data.encoding().size();
        List<int[]> windows = data.split().train();
        List<int[]> heldOutWindows = data.split().validation();
        RunSpec spec = run.requireSpec();
        if (spec instanceof RunSpec.Lstm lstm) {
            return openLstm(lstm.model(), data, devices, parameters);
        }
        if (spec instanceof RunSpec.TokenGan tokenGan) {
            TokenGanConfig config = tokenGan.model().withSequenceLength(data.sequenceLength());
            TokenGan model = parameters == null ? TokenGan.create(config, size, devices[0])
                    : TokenGan.load(config, size, devices[0], parameters);
            return withTrainer(model, () -> new TokenGanTrainer(model, data.encoding()), epoch -> windows,
                    heldOutWindows);
        }
        if (spec instanceof RunSpec.RollGan rollGan) {
            return openPianoRollGan(rollGan.model(), data, devices, parameters);
        }
        throw new IllegalStateException("no trainer for model kind " + spec.kind().wireName());
    }

    /**
     * The LSTM trains on windows cut from the pieces' notes, where the dataset has them: each with its steps'
     * controls and its piece's label, and, when the configuration asks, transposed and stretched anew every epoch.
     * A dataset without notes gives its stored windows, without controls.
     */
    private static Opened<LstmWindow> openLstm(LstmConfig asked, DatasetLoader.TrainingData data, Device[] devices,
                                               byte[] parameters) {
        LstmConfig config = asked.withSequenceLength(data.sequenceLength()).withLabels(data.labels());
        IntFunction<List<LstmWindow>> train;
        List<LstmWindow> validation;
        if (data.hasPieces()) {
            LstmCorpus trainCorpus = corpus(data.encoding(), data.trainPieces(), config, config.augmentation());
            train = trainCorpus::forEpoch;
            validation = corpus(data.encoding(), data.validationPieces(), config, Augmentation.none()).windows();
        } else {
            List<LstmWindow> windows = LstmWindow.plain(data.split().train());
            train = epoch -> windows;
            validation = LstmWindow.plain(data.split().validation());
        }
        int size = data.encoding().size();
        LstmModel model = parameters == null ? LstmModel.create(config, size, devices[0])
                : LstmModel.load(config, size, devices[0], parameters);
        return withTrainer(model, () -> new LstmTrainer(model, devices), train, validation);
    }

    private static LstmCorpus corpus(Encoding encoding, List<EncodedPiece> pieces, LstmConfig config,
                                     Augmentation augmentation) {
        return new LstmCorpus(encoding, pieces.stream().map(EncodedPiece::score).toList(),
                pieces.stream().map(EncodedPiece::label).toList(), config.sequenceLength(), augmentation,
                config.seed());
    }

    /**
     * The piano-roll GAN trains on phrases cut from the pieces' notes, whatever the corpus's token encoding. It writes
     * a drum track exactly when the corpus's encoding keeps drums ({@code performance-drums}): that encoding is the one
     * record of whether the stored pieces carry drum hits (the piano-only reader drops them at ingest, so a drum
     * track there could only learn silence), and a resumed run reads the same dataset, so its checkpoint's shapes
     * agree; like the labels, it is the corpus's fact, not a choice asked of the user.
     */
    private static Opened<RollPhrase> openPianoRollGan(RollGanConfig asked, DatasetLoader.TrainingData data,
                                                      Device[] devices, byte[] parameters) {
        RollGanConfig config = asked.withLabels(data.labels()).withDrums(Encodings.hasDrums(data.encoding().name()));
        if (!data.hasPieces()) {
            throw new IllegalArgumentException("the piano-roll GAN trains on the corpus's notes, which its dataset "
                    + "predates: upload the corpus again, or train the token GAN (model token-gan)");
        }
        RollGrid grid = new RollGrid(4, 4, config.bars());
        List<RollPhrase> train = RollPhrase.cut(grid, data.trainPieces().stream().map(EncodedPiece::score).toList(),
                data.trainPieces().stream().map(EncodedPiece::label).toList(), PianoRollGan.TRAINING_HOP_BARS);
        List<RollPhrase> validation = RollPhrase.cut(grid,
                data.validationPieces().stream().map(EncodedPiece::score).toList(),
                data.validationPieces().stream().map(EncodedPiece::label).toList(), grid.bars());
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("the corpus has " + train.size() + " training and " + validation.size()
                    + " held-out phrases of " + config.bars() + " bars; the piano-roll GAN needs both (fewer bars "
                    + "or a larger corpus)");
        }
        PianoRollGan model = parameters == null ? PianoRollGan.create(config, devices[0])
                : PianoRollGan.load(config, devices[0], parameters);
        return withTrainer(model, () -> new PianoRollGanTrainer(model), epoch -> train, validation);
    }

    private static <E> Opened<E> withTrainer(AutoCloseable model, Supplier<ModelTrainer<E>> trainer,
                                             IntFunction<List<E>> train, List<E> validation) {
        try {
            return new Opened<>(trainer.get(), model, train, validation);
        } catch (RuntimeException e) {
            try {
                model.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
