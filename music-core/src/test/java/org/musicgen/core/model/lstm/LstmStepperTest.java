package org.musicgen.core.model.lstm;

import org.musicgen.core.model.ToyCorpus;
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
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.encoding.EventGrammar;
import org.musicgen.core.encoding.PerformanceEncoding;
import org.musicgen.core.midi.Note;

class LstmStepperTest {
    static final int VOCAB = LstmModelTest.VOCAB;

    @Test
    void stepsGiveTheLogitsOfAFullForwardOverTheSameContext() {
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), VOCAB, Device.cpu())) {
            assertMatchesFullForward(model, 1);
            assertMatchesFullForward(model, 3);
        }
    }

    @Test
    void theSnapshotFollowsTrainingDoneBeforeTheStepperWasMade() {
        List<int[]> train = ToyCorpus.motifs(32, 20, VOCAB, 0.05, 1);
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), VOCAB, Device.cpu())) {
            try (LstmTrainer trainer = new LstmTrainer(model)) {
                trainer.trainEpoch(LstmWindow.plain(train), new Random(1), ProgressListener.NONE);
            }
            assertMatchesFullForward(model, 2);
        }
    }

    private static void assertMatchesFullForward(LstmModel model, int batch) {
        int promptLength = 5;
        int steps = 8;
        assertTrue(promptLength + steps <= model.contextWindow(), "the full forward must see the whole context");
        Random random = new Random(batch);
        int[][] sequences = new int[batch][promptLength + steps];
        for (int[] s : sequences) {
            for (int t = 0; t < s.length; t++) {
                s[t] = random.nextInt(VOCAB);
            }
        }
        try (LstmStepper stepper = new LstmStepper(model, batch)) {
            assertEquals(batch, stepper.batchSize());
            int[][] prompts = new int[batch][];
            for (int b = 0; b < batch; b++) {
                prompts[b] = Arrays.copyOf(sequences[b], promptLength);
            }
            float[][] logits = stepper.start(prompts);
            for (int t = promptLength; ; t++) {
                int end = t;
                int[][] contexts = new int[batch][];
                for (int b = 0; b < batch; b++) {
                    contexts[b] = Arrays.copyOf(sequences[b], end);
                }
                float[][] expected = model.logitsNext(contexts);
                for (int b = 0; b < batch; b++) {
                    assertArrayEquals(expected[b], logits[b], 1e-4f, "batch " + batch + " row " + b + " after " + end);
                    // each row on its own, too: rows of a batch do not see each other
                    assertArrayEquals(model.logitsNext(contexts[b]), logits[b], 1e-4f);
                }
                if (t == sequences[0].length) {
                    break;
                }
                int[] next = new int[batch];
                for (int b = 0; b < batch; b++) {
                    next[b] = sequences[b][t];
                }
                logits = stepper.step(next);
            }
            // start again: the states are reset, not carried over from the previous sequence
            float[][] again = stepper.start(prompts);
            int[][] contexts = new int[batch][];
            for (int b = 0; b < batch; b++) {
                contexts[b] = prompts[b];
            }
            float[][] expected = model.logitsNext(contexts);
            for (int b = 0; b < batch; b++) {
                assertArrayEquals(expected[b], again[b], 1e-4f);
            }
        }
    }

    @Test
    void rejectsBadInput() {
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), VOCAB, Device.cpu());
                LstmStepper stepper = new LstmStepper(model, 2)) {
            assertThrows(IllegalStateException.class, () -> stepper.step(new int[] {1, 2}));
            assertThrows(IllegalArgumentException.class, () -> stepper.start(new int[][] {{1, 2}}));
            assertThrows(IllegalArgumentException.class, () -> stepper.start(new int[][] {{1, 2}, {3}}));
            assertThrows(IllegalArgumentException.class, () -> stepper.start(new int[][] {{1, VOCAB}, {3, 4}}));
            stepper.start(new int[][] {{1, 2}, {3, 4}});
            assertThrows(IllegalArgumentException.class, () -> stepper.step(new int[] {1}));
            assertThrows(IllegalArgumentException.class, () -> stepper.step(new int[] {1, -1}));
            assertEquals(2, stepper.step(new int[] {5, 6}).length);
            assertThrows(IllegalArgumentException.class, () -> new LstmStepper(model, 0));
        }
    }

    @Test
    void aLongGenerationStaysInRangeAndHoldsNoMoreMemoryPerStep() {
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), VOCAB, Device.cpu())) {
            int[] sample = TokenSampler.generate(model, new int[] {1, 2, 3}, 2000, SamplingParams.defaults(7),
                    TokenSampler.EXCLUDE_NONE);
            assertEquals(2000, sample.length);
            for (int id : sample) {
                assertTrue(id >= 0 && id < VOCAB, "id " + id);
            }
            try (LstmStepper stepper = new LstmStepper(model, 2)) {
                stepper.start(new int[][] {{1, 2, 3}, {4, 5, 6}});
                int held = stepper.liveArrays();
                for (int i = 0; i < 200; i++) {
                    stepper.step(new int[] {i % VOCAB, (i * 7) % VOCAB});
                }
                assertEquals(held, stepper.liveArrays(), "arrays held after 200 steps");
            }
        }
    }

    @Test
    void generationIsDeterministicPerSeedAndTheBatchOfOneIsTheSinglePath() {
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), VOCAB, Device.cpu())) {
            int[] prompt = {3, 4, 5, 6};
            SamplingParams params = new SamplingParams(1.0, 0, 0.95, 11);
            int[] single = TokenSampler.generate(model, prompt, 60, params);
            assertArrayEquals(single, TokenSampler.generate(model, prompt, 60, params));
            assertFalse(Arrays.equals(single, TokenSampler.generate(model, prompt, 60, params.withSeed(12))));
            int[][] one = TokenSampler.generate(model, new int[][] {prompt}, 60, new SamplingParams[] {params});
            assertArrayEquals(single, one[0], "a batch of one row is the single path");

            // a batch of three: each row deterministic, rows with other seeds differ
            int[][] prompts = {prompt, {7, 8}, {9, 10, 11, 12, 13, 14}};
            SamplingParams[] each = {params, params.withSeed(20), params.withSeed(21)};
            int[][] batch = TokenSampler.generate(model, prompts, 60, each);
            assertEquals(3, batch.length);
            for (int r = 0; r < 3; r++) {
                assertEquals(60, batch[r].length);
                for (int id : batch[r]) {
                    assertTrue(id > TokenSampler.UNKNOWN && id < VOCAB, "id " + id);
                }
            }
            assertTrue(Arrays.deepEquals(batch, TokenSampler.generate(model, prompts, 60, each)));
            assertFalse(Arrays.equals(batch[0], batch[1]));
            // the first draw reads the same logits (up to rounding) however the batch is made up
            assertEquals(single[0], batch[0][0]);
            assertEquals(0, TokenSampler.generate(model, prompts, 0, each)[2].length);
        }
    }

    @Test
    void theFirstTokenIsDrawnFromTheLastWindowOfThePrompt() {
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), VOCAB, Device.cpu())) {
            int window = model.contextWindow();
            int[] longPrompt = new int[window + 10];
            for (int i = 0; i < longPrompt.length; i++) {
                longPrompt[i] = 1 + i % (VOCAB - 1);
            }
            SamplingParams greedy = new SamplingParams(1.0, 1, 1.0, 3);
            float[] logits = model.logitsNext(longPrompt);
            int expected = TokenSampler.sample(logits, greedy, new Random(0));
            assertEquals(expected, TokenSampler.generate(model, longPrompt, 1, greedy)[0]);
        }
    }

    @Test
    void excludedIdsAreNeverDrawn() {
        float[] logits = new float[VOCAB];
        logits[0] = 100f;
        logits[5] = 90f;
        Random random = new Random(1);
        SamplingParams params = new SamplingParams(1.0, 0, 1.0, 0);
        assertEquals(0, TokenSampler.sample(logits, params, random, TokenSampler.EXCLUDE_NONE));
        assertEquals(5, TokenSampler.sample(logits, params, random), "the default still excludes the unknown id");
        assertEquals(5, TokenSampler.sample(logits, params, random, TokenSampler.EXCLUDE_UNKNOWN));
        for (int i = 0; i < 200; i++) {
            int id = TokenSampler.sample(logits, params, random, id2 -> id2 % 2 == 0);
            assertTrue(id % 2 == 1, "id " + id);
        }
        assertThrows(IllegalArgumentException.class, () -> TokenSampler.sample(logits, params, random, id -> true));
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), VOCAB, Device.cpu())) {
            int[] sample = TokenSampler.generate(model, new int[] {1, 2}, 200, params, id -> id < 10);
            for (int id : sample) {
                assertTrue(id >= 10 && id < VOCAB, "id " + id);
            }
        }
    }

    @Test
    void performanceSamplesFollowTheEncodingsGrammar() {
        PerformanceEncoding encoding = new PerformanceEncoding();
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), encoding.size(), Device.cpu())) {
            // an untrained model draws events at random: the grammar alone keeps them well formed
            int[] prompt = {PerformanceEncoding.NOTE_ON + 60, PerformanceEncoding.TIME_SHIFT + 9};
            int[] sample = TokenSampler.generate(model, prompt, 3000, SamplingParams.defaults(3), encoding::grammar);
            EventGrammar grammar = encoding.grammar();
            for (int id : prompt) {
                grammar.accept(id);
            }
            for (int i = 0; i < sample.length; i++) {
                assertTrue(grammar.allows(sample[i]), "event " + i + " " + encoding.describe(sample[i]));
                grammar.accept(sample[i]);
            }
            List<Note> notes = encoding.decode(sample).notes();
            assertTrue(notes.size() > 50, "the sample plays notes: " + notes.size());
            double longest = notes.stream().mapToDouble(Note::durationSeconds).max().orElseThrow();
            assertTrue(longest <= PerformanceEncoding.MAX_HOLD_STEPS * PerformanceEncoding.STEP_SECONDS + 1e-9,
                    "longest note " + longest + " s");
        }
    }
}
