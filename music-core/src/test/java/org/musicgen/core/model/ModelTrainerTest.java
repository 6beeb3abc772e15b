package org.musicgen.core.model;

import org.musicgen.core.model.gan.token.TokenGanConfig;
import org.musicgen.core.model.kind.ModelKind;
import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.gan.token.TokenGanTrainer;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import org.musicgen.core.model.lstm.LstmTrainer;
import org.musicgen.core.model.lstm.LstmWindow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.musicgen.core.encoding.PerformanceEncoding;

/** What the one training loop relies on, for both trainers. */
class ModelTrainerTest {
    static final int VOCAB = PerformanceEncoding.SIZE;
    static final int LEN = 24;

    /** Stops after {@code steps} steps. */
    private static ProgressListener stopAfter(int steps) {
        return new ProgressListener() {
            private int seen;

            @Override
            public void onStep(StepProgress progress) {
                seen++;
            }

            @Override
            public boolean stopRequested() {
                return seen >= steps;
            }
        };
    }

    private static LstmConfig lstmConfig() {
        return new LstmConfig(16, 32, 1, 0.0, 0, 1e-2, 8, 5, 1.0, "adam", "cosine", 0, 0.0, false, LEN, 3L);
    }

    private static TokenGanConfig ganConfig() {
        return new TokenGanConfig(8, List.of(32), 8, 16, 1, 8, 1e-3, 1e-3, 8, 5, "gumbel", 1.0, 0.3, 0.9, true, LEN, 3L);
    }

    @Test
    void anLstmEpochEndsEarlyWhenAskedAndItsOptimiserStateIsFreedOnClose() {
        List<LstmWindow> train = LstmWindow.plain(ToyCorpus.lagged(80, LEN, VOCAB, 3, 0.1, 1));
        List<LstmWindow> valid = LstmWindow.plain(ToyCorpus.lagged(16, LEN, VOCAB, 3, 0.1, 2));
        try (LstmModel model = LstmModel.create(lstmConfig(), VOCAB, Device.cpu())) {
            int parameters = model.nativeArrayCount();
            try (ModelTrainer<LstmWindow> trainer = new LstmTrainer(model)) {
                EpochResult cut = trainer.trainEpoch(train, null, stopAfter(3));
                assertEquals(3, cut.steps(), "80 sequences are 10 steps; the listener stopped it after 3");
                assertEquals(1, cut.epoch());
                assertTrue(cut.metrics().get("trainLoss") > 0);
                EpochResult whole = trainer.trainEpoch(train, null, ProgressListener.NONE);
                assertEquals(10, whole.steps());
                assertEquals(2, trainer.epochsDone());
                Map<String, Double> heldOut = trainer.heldOutMetrics(valid);
                assertTrue(heldOut.containsKey(trainer.selectionMetric()));
                assertEquals(Math.exp(heldOut.get("validationLoss")), heldOut.get("validationPerplexity"), 1e-6);
                assertEquals("lstm", ModelKind.of(trainer.config()).wireName());
                assertEquals("5", trainer.config().values().get("epochs"));
                // Adam's two moment arrays per parameter live in the trainer's manager, not detached from all
                assertEquals(3 * parameters, model.nativeArrayCount());
            }
            assertEquals(parameters, model.nativeArrayCount(), "closing the trainer freed them");
        }
    }

    @Test
    void aGanEpochEndsEarlyWhenAskedAndItMeasuresPitchClassesOnHeldOutData() {
        List<int[]> train = ToyCorpus.lagged(40, LEN, VOCAB, 3, 0.1, 1);
        List<int[]> valid = ToyCorpus.lagged(16, LEN, VOCAB, 3, 0.1, 2);
        try (TokenGan model = TokenGan.create(ganConfig(), VOCAB, Device.cpu())) {
            int parameters = model.nativeArrayCount();
            try (ModelTrainer<int[]> trainer = new TokenGanTrainer(model, new PerformanceEncoding())) {
                EpochResult cut = trainer.trainEpoch(train, null, stopAfter(2));
                assertEquals(2, cut.steps());
                assertTrue(cut.metrics().containsKey("discriminatorLoss"));
                assertTrue(cut.metrics().containsKey("generatorLoss"));
                double distance = trainer.heldOutMetrics(valid).get(trainer.selectionMetric());
                assertTrue(distance >= 0 && distance <= 1, "total variation " + distance);
                assertEquals(distance, trainer.heldOutMetrics(valid).get("pitchClassDistance"), 1e-12,
                        "the same noise every time: epochs are compared on equal terms");
                assertTrue(model.nativeArrayCount() > parameters);
            }
            assertEquals(parameters, model.nativeArrayCount(), "closing the trainer freed its state");
            try (TokenGanTrainer blind = new TokenGanTrainer(model)) {
                assertThrows(IllegalStateException.class, () -> blind.heldOutMetrics(valid));
            }
        }
    }

    @Test
    void bothTrainersCheckTheirInputTheSameWay() {
        try (LstmModel lstm = LstmModel.create(lstmConfig(), VOCAB, Device.cpu());
                TokenGan gan = TokenGan.create(ganConfig(), VOCAB, Device.cpu());
                LstmTrainer a = new LstmTrainer(lstm);
                TokenGanTrainer b = new TokenGanTrainer(gan)) {
            List<Function<List<int[]>, IllegalArgumentException>> trainers = List.of(
                    windows -> assertThrows(IllegalArgumentException.class,
                            () -> a.trainEpoch(LstmWindow.plain(windows), null, null)),
                    windows -> assertThrows(IllegalArgumentException.class,
                            () -> b.trainEpoch(windows, null, null)));
            for (Function<List<int[]>, IllegalArgumentException> refusal : trainers) {
                assertEquals("training set is empty", refusal.apply(List.of()).getMessage());
                assertEquals("training sequence of length 3 does not match sequenceLength " + LEN,
                        refusal.apply(List.of(new int[3])).getMessage());
                int[] outside = new int[LEN];
                outside[5] = VOCAB;
                assertEquals("training token " + VOCAB + " outside vocabulary [0, " + VOCAB + ")",
                        refusal.apply(List.<int[]>of(outside)).getMessage());
            }
        }
    }
}
