package org.musicgen.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.musicgen.core.encoding.EventGrammar;
import org.musicgen.core.encoding.PerformanceEncoding;

class LstmBatcherTest {

    private static final PerformanceEncoding ENCODING = new PerformanceEncoding();
    private static final int[] PROMPT = {PerformanceEncoding.NOTE_ON + 60, PerformanceEncoding.TIME_SHIFT + 9,
        PerformanceEncoding.NOTE_OFF + 60};

    @Test
    void aSequenceDependsOnItsSeedOnlyNotOnWhatElseShares() {
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), ENCODING.size(), Device.cpu());
             LstmBatcher batcher = new LstmBatcher(model, 4, "test")) {
            SamplingParams params = SamplingParams.defaults(7);
            int[] alone = batcher.generate(PROMPT, 120, params, ENCODING::grammar);
            assertEquals(120, alone.length);
            assertArrayEquals(alone, batcher.generate(PROMPT, 120, params, ENCODING::grammar));
            assertFalse(Arrays.equals(alone, batcher.generate(PROMPT, 120, params.withSeed(8), ENCODING::grammar)));

            // the same request among others that join earlier and later, with other prompts and lengths, and more
            // requests than rows, so that it lands in another row with neighbours half-way through theirs
            List<CompletableFuture<int[]>> others = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int[] prompt = {PerformanceEncoding.NOTE_ON + 40 + i, PerformanceEncoding.TIME_SHIFT + i};
                others.add(batcher.submit(prompt, 40 + 30 * i, params.withSeed(100 + i), ENCODING::grammar));
            }
            CompletableFuture<int[]> shared = batcher.submit(PROMPT, 120, params, ENCODING::grammar);
            others.add(batcher.submit(PROMPT, 10, params.withSeed(200), ENCODING::grammar));
            assertArrayEquals(alone, shared.join());
            for (int i = 0; i < 5; i++) {
                assertEquals(40 + 30 * i, others.get(i).join().length);
            }
        }
    }

    @Test
    void concurrentSequencesShareTheSteps() {
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), ENCODING.size(), Device.cpu());
             LstmBatcher batcher = new LstmBatcher(model, 4, "test")) {
            List<CompletableFuture<int[]>> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(batcher.submit(PROMPT, 100, SamplingParams.defaults(i), ENCODING::grammar));
            }
            all.forEach(CompletableFuture::join);
            // each needs 102 steps (3 prompt tokens, 100 events, the last drawn without a step after it): one after
            // the other they would take 4 x 102, together little more than one sequence
            long steps = batcher.steps();
            assertTrue(steps >= 102 && steps < 2 * 102, "steps: " + steps);
        }
    }

    @Test
    void samplesFollowTheEncodingsGrammar() {
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), ENCODING.size(), Device.cpu());
             LstmBatcher batcher = new LstmBatcher(model, 2, "test")) {
            CompletableFuture<int[]> a = batcher.submit(PROMPT, 1500, SamplingParams.defaults(1), ENCODING::grammar);
            CompletableFuture<int[]> b = batcher.submit(new int[] {PerformanceEncoding.NOTE_ON + 30}, 1500,
                    SamplingParams.defaults(2), ENCODING::grammar);
            for (int[][] run : new int[][][] {{PROMPT, a.join()}, {{PerformanceEncoding.NOTE_ON + 30}, b.join()}}) {
                EventGrammar grammar = ENCODING.grammar();
                Arrays.stream(run[0]).forEach(grammar::accept);
                for (int i = 0; i < run[1].length; i++) {
                    assertTrue(grammar.allows(run[1][i]), "event " + i + " " + ENCODING.describe(run[1][i]));
                    grammar.accept(run[1][i]);
                }
                assertTrue(ENCODING.decode(run[1]).notes().size() > 20);
            }
        }
    }

    @Test
    void closingFinishesWhatWasAskedThenRefuses() {
        try (LstmModel model = LstmModel.create(LstmModelTest.small(), ENCODING.size(), Device.cpu())) {
            LstmBatcher batcher = new LstmBatcher(model, 1, "test");
            CompletableFuture<int[]> first = batcher.submit(PROMPT, 50, SamplingParams.defaults(1), ENCODING::grammar);
            CompletableFuture<int[]> second = batcher.submit(PROMPT, 50, SamplingParams.defaults(2),
                    ENCODING::grammar);
            batcher.close();
            assertEquals(50, first.join().length);
            assertEquals(50, second.join().length);
            assertThrows(IllegalStateException.class,
                    () -> batcher.submit(PROMPT, 5, SamplingParams.defaults(3), ENCODING::grammar));
            try (LstmBatcher empty = new LstmBatcher(model, 1, "empty")) {
                assertEquals(0, empty.generate(PROMPT, 0, SamplingParams.defaults(1), ENCODING::grammar).length);
            }
            assertThrows(IllegalArgumentException.class, () -> new LstmBatcher(model, 0, "none"));
        }
    }
}
