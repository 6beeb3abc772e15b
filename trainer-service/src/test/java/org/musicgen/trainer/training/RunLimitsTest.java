package org.musicgen.trainer.training;

import org.junit.jupiter.api.Test;
import org.musicgen.trainer.run.EpochMetrics;
import org.musicgen.trainer.run.RunLimits;
import org.musicgen.trainer.run.RunSpec;
import org.musicgen.trainer.run.StopReason;
import org.musicgen.trainer.run.TrainingRun;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stop rules and the ETA, decided from the run record alone (so that a resumed run decides the same). */
class RunLimitsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void limitsAreReadFromTheHyperParametersAndKeptApartFromTheModels() {
        RunLimits limits = RunLimits.of(Map.of("maxMinutes", "1.5", "patience", "3", "minDelta", "0.01",
                "hiddenSize", "64"));
        assertEquals(new RunLimits(1.5, 3, 0.01), limits);
        assertEquals(90, limits.budgetSeconds(), 1e-9);
        assertEquals(Map.of("hiddenSize", "64"), RunLimits.modelParameters(Map.of("maxMinutes", "1.5",
                "patience", "3", "minDelta", "0.01", "hiddenSize", "64")));
        assertEquals(RunLimits.NONE, RunLimits.of(Map.of("epochs", "4")));
        assertTrue(Double.isInfinite(RunLimits.NONE.budgetSeconds()));
    }

    @Test
    void invalidLimitsAreRefusedWithAReason() {
        assertEquals("maxMinutes must be a number of minutes above 0 and at most 525600, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> RunLimits.of(Map.of("maxMinutes", "0"))).getMessage());
        assertEquals("maxMinutes must be a number of minutes above 0, got 'soon'",
                assertThrows(IllegalArgumentException.class, () -> RunLimits.of(Map.of("maxMinutes", "soon"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunLimits.of(Map.of("maxMinutes", "NaN")));
        assertEquals("patience must be a number of epochs in [1, 100000], got 0",
                assertThrows(IllegalArgumentException.class, () -> RunLimits.of(Map.of("patience", "0"))).getMessage());
        assertEquals("patience must be a whole number of epochs, got '2.5'",
                assertThrows(IllegalArgumentException.class, () -> RunLimits.of(Map.of("patience", "2.5"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunLimits.of(Map.of("minDelta", "-0.1")));
    }

    @Test
    void aRunStopsAtItsEpochs() {
        TrainingRun run = run(3, Map.of());
        run = epoch(run, 1, 2.0, 10);
        run = epoch(run, 2, 1.0, 20);
        assertNull(RunLimits.NONE.stopReason(run));
        run = epoch(run, 3, 0.5, 30);
        assertEquals(StopReason.EPOCHS, RunLimits.NONE.stopReason(run));
    }

    @Test
    void patienceCountsEpochsWithoutAnImprovementBeyondMinDelta() {
        RunLimits limits = new RunLimits(null, 2, 0.1);
        TrainingRun run = run(50, Map.of());
        run = epoch(run, 1, 2.0, 10);
        run = epoch(run, 2, 1.5, 20);   // improves
        run = epoch(run, 3, 1.45, 30);  // better, but by less than minDelta: counts as no improvement
        assertEquals(1, run.epochsWithoutImprovement(0.1));
        assertNull(limits.stopReason(run));
        run = epoch(run, 4, 1.6, 40);
        assertEquals(StopReason.PATIENCE, limits.stopReason(run));
        assertEquals(3, run.bestEpoch().epoch(), "the best checkpoint is still the lowest loss");
    }

    @Test
    void theBudgetCountsTimeSpentBeforeAResumeAndKeepsBackAnEpochsEvaluation() {
        RunLimits limits = new RunLimits(1.0, null, 0);
        TrainingRun run = run(100, Map.of());
        run = epoch(run, 1, 2.0, 20);   // 20 s so far, 10 s of them training: 10 s per epoch of evaluation
        run = epoch(run, 2, 1.9, 40);
        assertNull(limits.stopReason(run));
        // what a restarted service reads back: the same record, so the same decision
        run = epoch(run, 3, 1.8, 55);
        assertEquals(StopReason.BUDGET, limits.stopReason(run), "55 s spent + about 8 s per epoch besides training");
    }

    @Test
    void anEpochEndedEarlyByTheBudgetEndsTheRun() {
        TrainingRun run = run(100, Map.of());
        run = run.epochDone(new EpochMetrics(1, 2.0, 2.0, Math.exp(2.0), null, null, null, 3, 100, true),
                "k1", 61, null, NOW);
        assertEquals(StopReason.BUDGET, new RunLimits(1.0, null, 0).stopReason(run));
        assertEquals(StopReason.BUDGET, RunLimits.NONE.stopReason(run));
    }

    @Test
    void etaIsTheRemainingEpochsAtTheMeanPaceButNeverBeyondTheBudget() {
        TrainingRun run = run(10, Map.of());
        assertNull(TrainingRunner.etaBetweenEpochs(run, RunLimits.NONE), "nothing measured, no budget");
        assertEquals(600.0, TrainingRunner.etaBetweenEpochs(run, new RunLimits(10.0, null, 0)));
        run = epoch(run, 1, 2.0, 20);
        run = epoch(run, 2, 1.9, 40);
        assertEquals(160.0, TrainingRunner.etaBetweenEpochs(run, RunLimits.NONE), 1e-9);
        assertEquals(160.0, TrainingRunner.etaBetweenEpochs(run, new RunLimits(10.0, null, 0)), 1e-9);
        assertEquals(20.0, TrainingRunner.etaBetweenEpochs(run, new RunLimits(1.0, null, 0)), 1e-9);
        assertEquals(0.0, TrainingRunner.etaBetweenEpochs(run, new RunLimits(0.5, null, 0)), "it stops now");
    }

    private static TrainingRun run(int epochs, Map<String, String> hyperParameters) {
        Map<String, String> settings = new java.util.HashMap<>(hyperParameters);
        settings.put("epochs", Integer.toString(epochs));
        return TrainingRun.queued("run", "corpus", RunSpec.parse("lstm", "default", settings), "default", settings,
                "cpu", NOW);
    }

    /** An epoch of 10 s training, ending {@code elapsed} seconds into the run. */
    private static TrainingRun epoch(TrainingRun run, int epoch, double validationLoss, double elapsed) {
        EpochMetrics metrics = new EpochMetrics(epoch, validationLoss + 0.1, validationLoss, Math.exp(validationLoss),
                null, null, null, 10, 1000, null);
        return run.epochDone(metrics, "key-" + epoch, elapsed, null, NOW);
    }
}
