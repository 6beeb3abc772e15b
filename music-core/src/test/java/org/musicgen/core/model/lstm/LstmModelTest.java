package org.musicgen.core.model.lstm;

import org.musicgen.core.model.ToyCorpus;
import org.musicgen.core.model.gan.roll.RollGanConfig;
import org.musicgen.core.model.gan.token.TokenGanConfig;
import org.musicgen.core.model.EpochResult;

import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.generate.SamplingParams;
import org.musicgen.core.model.generate.TokenSampler;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

public class LstmModelTest {
    public static final int VOCAB = 30;

    public static LstmConfig small() {
        return new LstmConfig(16, 32, 2, 0.1, 16, 1e-2, 16, 1, 1.0, "adam", "constant", 0, 0.0, false, 20, 5L);
    }

    @Test
    void sameSeedSameParametersAndSaveLoadGivesIdenticalLogits() {
        int[] context = {1, 2, 3, 4, 5, 6, 7};
        List<int[]> train = ToyCorpus.motifs(32, 20, VOCAB, 0.05, 1);
        try (LstmModel a = LstmModel.create(small(), VOCAB, Device.cpu());
                LstmModel b = LstmModel.create(small(), VOCAB, Device.cpu())) {
            assertArrayEquals(a.logitsNext(context), b.logitsNext(context), "same seed, same initial network");
            try (LstmTrainer trainer = new LstmTrainer(a)) {
                trainer.trainEpoch(LstmWindow.plain(train), new Random(1), ProgressListener.NONE);
            }
            float[] trained = a.logitsNext(context);
            assertFalse(Arrays.equals(trained, b.logitsNext(context)), "training changed the parameters");
            byte[] saved = a.saveParameters();
            b.loadParameters(saved);
            assertArrayEquals(trained, b.logitsNext(context));
            try (LstmModel c = LstmModel.load(small(), VOCAB, Device.cpu(), saved)) {
                assertArrayEquals(trained, c.logitsNext(context));
            }
            assertTrue(a.parameterCount() > 0);
            assertTrue(a.flopsPerToken() > 2.0 * a.parameterCount() * 0.5);
        }
        byte[] saved = saveOf(small());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (LstmModel other = LstmModel.create(small(), VOCAB + 1, Device.cpu())) {
                other.loadParameters(saved);
            }
        });
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
    }

    @Test
    void aLoadedModelTrainsOnLikeTheOneItWasSavedFrom() {
        List<int[]> train = ToyCorpus.motifs(32, 20, VOCAB, 0.05, 1);
        byte[] saved;
        try (LstmModel first = LstmModel.create(small(), VOCAB, Device.cpu());
             LstmTrainer trainer = new LstmTrainer(first)) {
            trainer.trainEpoch(LstmWindow.plain(train), new Random(1), ProgressListener.NONE);
            saved = first.saveParameters();
        }
        int[] context = {1, 2, 3, 4, 5};
        try (LstmModel resumed = LstmModel.load(small(), VOCAB, Device.cpu(), saved);
             LstmTrainer trainer = new LstmTrainer(resumed)) {
            float[] before = resumed.logitsNext(context);
            trainer.resumeAfter(1);
            EpochResult second = trainer.trainEpoch(LstmWindow.plain(train), new Random(2), ProgressListener.NONE);
            assertTrue(Double.isFinite(second.metric("trainLoss")));
            assertFalse(Arrays.equals(before, resumed.logitsNext(context)), "the loaded parameters were trained");
        }
    }

    private static byte[] saveOf(LstmConfig config) {
        try (LstmModel m = LstmModel.create(config, VOCAB, Device.cpu())) {
            return m.saveParameters();
        }
    }

    @Test
    void samplingIsDeterministicPerSeedRespectsTopKAndNeverEmitsUnknown() {
        try (LstmModel model = LstmModel.create(small(), VOCAB, Device.cpu())) {
            int[] prompt = {3, 4, 5};
            SamplingParams params = new SamplingParams(1.0, 0, 1.0, 99);
            int[] first = TokenSampler.generate(model, prompt, 40, params);
            assertEquals(40, first.length);
            assertArrayEquals(first, TokenSampler.generate(model, prompt, 40, params));
            assertFalse(Arrays.equals(first, TokenSampler.generate(model, prompt, 40, params.withSeed(100))));
            for (int id : first) {
                assertTrue(id > 0 && id < VOCAB);
            }
        }
        // top-k on fixed logits: only the k best (excluding unknown) ever appear
        float[] logits = new float[VOCAB];
        logits[0] = 100f; // unknown token is the most likely, yet never emitted
        for (int i = 1; i < VOCAB; i++) {
            logits[i] = i * 0.1f;
        }
        Random random = new Random(1);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            seen.add(TokenSampler.sample(logits, new SamplingParams(5.0, 3, 1.0, 0), random));
        }
        assertEquals(Set.of(VOCAB - 1, VOCAB - 2, VOCAB - 3), seen);
        // top-p small enough keeps only the best token
        float[] peaked = new float[VOCAB];
        peaked[7] = 10f;
        for (int i = 0; i < 200; i++) {
            assertEquals(7, TokenSampler.sample(peaked, new SamplingParams(1.0, 0, 0.5, 0), random));
        }
    }

    @Test
    void invalidConfigsThrowClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LstmConfig.fromMap(Map.of("hiddenSize", "0"), LstmConfig.defaults()));
        assertTrue(e.getMessage().contains("hiddenSize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LstmConfig.fromMap(Map.of("optimizer", "adagrad"), null));
        assertTrue(e.getMessage().contains("optimizer must be one of"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LstmConfig.fromMap(Map.of("learningRate", "fast"), null));
        assertTrue(e.getMessage().contains("learningRate must be a finite number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LstmConfig.fromMap(Map.of("hidden", "3"), null));
        assertTrue(e.getMessage().contains("unknown LSTM hyper-parameter 'hidden'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LstmConfig.fromMap(Map.of("dropout", "1.0"), null));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        LstmConfig c = LstmConfig.fromMap(Map.of("hiddenSize", "128", "lrSchedule", "STEP", "predictLastOnly", "true"),
                LstmConfig.defaults());
        assertEquals(128, c.hiddenSize());
        assertEquals("step", c.lrSchedule());
        assertTrue(c.predictLastOnly());
        assertEquals(3, LstmConfig.studyPreset().layers());
        assertEquals(512, LstmConfig.studyPreset().hiddenSize());

        e = assertThrows(IllegalArgumentException.class,
                () -> TokenGanConfig.fromMap(Map.of("formulation", "wgan"), TokenGanConfig.defaults()));
        assertTrue(e.getMessage().contains("formulation must be") && e.getMessage().contains("gumbel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TokenGanConfig.fromMap(Map.of("generatorHidden", "256,x"), TokenGanConfig.defaults()));
        assertTrue(e.getMessage().contains("generatorHidden"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TokenGanConfig.fromMap(Map.of("gumbelTemperatureMin", "5"), TokenGanConfig.defaults()));
        assertTrue(e.getMessage().contains("gumbelTemperatureMin"), e.getMessage());
        assertEquals(List.of(64, 128), RollGanConfig.fromMap(Map.of("generatorHidden", "64, 128"), RollGanConfig.defaults()).generatorHidden());
        for (String scales : List.of("3", "1,1", "32", "0", "")) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> RollGanConfig.fromMap(Map.of("timeScales", scales), RollGanConfig.defaults()), scales);
            assertTrue(e.getMessage().contains("timeScales"), e.getMessage());
        }
        assertEquals(List.of(1, 4), RollGanConfig.fromMap(Map.of("timeScales", "1,4"), RollGanConfig.defaults()).timeScales());
        for (String hold : List.of("0", "0.6", "x")) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> RollGanConfig.fromMap(Map.of("holdThreshold", hold), RollGanConfig.defaults()), hold);
            assertTrue(e.getMessage().contains("holdThreshold"), e.getMessage());
        }
        for (String average : List.of("1", "-0.1", "NaN")) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> RollGanConfig.fromMap(Map.of("generatorAverage", average), RollGanConfig.defaults()), average);
            assertTrue(e.getMessage().contains("generatorAverage"), e.getMessage());
        }
        assertEquals("study", TokenGanConfig.studyPreset().formulation());

        e = assertThrows(IllegalArgumentException.class, () -> new SamplingParams(0, 0, 1, 1));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, 0, 0, 1));
        assertTrue(e.getMessage().contains("topP"), e.getMessage());
        try (LstmModel model = LstmModel.create(small(), VOCAB, Device.cpu());
                LstmTrainer trainer = new LstmTrainer(model)) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> trainer.trainEpoch(LstmWindow.plain(List.of(new int[5])), new Random(1), null));
            assertTrue(e.getMessage().contains("does not match sequenceLength 20"), e.getMessage());
        }
    }

    @Test
    void predictLastOnlyTrains() {
        LstmConfig c = new LstmConfig(16, 32, 2, 0.0, 16, 1e-2, 16, 3, 1.0, "rmsprop", "step", 2, 1e-4, true, 20, 5L);
        List<int[]> train = ToyCorpus.motifs(64, 20, VOCAB, 0.0, 1);
        try (LstmModel model = LstmModel.create(c, VOCAB, Device.cpu()); LstmTrainer trainer = new LstmTrainer(model)) {
            double before = trainer.evaluate(LstmWindow.plain(train));
            for (int e = 0; e < 3; e++) {
                EpochResult r = trainer.trainEpoch(LstmWindow.plain(train), new Random(e), null);
                assertEquals(64, r.metric("tokens"), "one predicted token per sequence");
            }
            double after = trainer.evaluate(LstmWindow.plain(train));
            System.out.printf("predictLastOnly (rmsprop, step): loss %.3f -> %.3f%n", before, after);
            assertTrue(after < before);
        }
        LstmConfig sgd = LstmConfig.fromMap(java.util.Map.of("optimizer", "sgd", "learningRate", "0.1"), c);
        try (LstmModel model = LstmModel.create(sgd, VOCAB, Device.cpu()); LstmTrainer trainer = new LstmTrainer(model)) {
            double before = trainer.evaluate(LstmWindow.plain(train));
            for (int e = 0; e < 3; e++) {
                trainer.trainEpoch(LstmWindow.plain(train), new Random(e), null);
            }
            double after = trainer.evaluate(LstmWindow.plain(train));
            System.out.printf("predictLastOnly (sgd): loss %.3f -> %.3f%n", before, after);
            assertTrue(after < before);
        }
    }
}
