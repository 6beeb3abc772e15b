package org.musicgen.trainer.training;

import ai.djl.Device;
import org.musicgen.core.model.GanConfig;
import org.musicgen.core.model.GanModel;
import org.musicgen.core.model.GanTrainer;
import org.musicgen.core.model.LstmConfig;
import org.musicgen.core.model.LstmModel;
import org.musicgen.core.model.LstmTrainer;
import org.musicgen.core.model.ModelTrainer;
import org.musicgen.trainer.run.TrainingRun;

/**
 * The one place that knows each model kind: how a run's model is built (fresh, or from its last checkpoint's
 * parameters) and which trainer drives it. Everything else trains any {@link ModelTrainer} the same way, so a new
 * model kind is a new case here.
 */
final class Models {

    private Models() {
    }

    /** A model and its trainer, closed together. */
    record Opened(ModelTrainer trainer, AutoCloseable model) implements AutoCloseable {
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
    static Opened open(TrainingRun run, DatasetLoader.TrainingData data, Device[] devices, byte[] parameters) {
        int size = data.encoding().size();
        switch (run.model()) {
            case LSTM -> {
                LstmConfig config = ModelSettings.lstm(run.preset(), run.hyperParameters(), data.sequenceLength());
                LstmModel model = parameters == null ? LstmModel.create(config, size, devices[0])
                        : LstmModel.load(config, size, devices[0], parameters);
                return withTrainer(model, () -> new LstmTrainer(model, devices));
            }
            case GAN -> {
                GanConfig config = ModelSettings.gan(run.preset(), run.hyperParameters(), data.sequenceLength());
                GanModel model = parameters == null ? GanModel.create(config, size, devices[0])
                        : GanModel.load(config, size, devices[0], parameters);
                return withTrainer(model, () -> new GanTrainer(model, data.encoding()));
            }
            default -> throw new IllegalStateException("no trainer for model " + run.model());
        }
    }

    private static Opened withTrainer(AutoCloseable model, java.util.function.Supplier<ModelTrainer> trainer) {
        try {
            return new Opened(trainer.get(), model);
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
