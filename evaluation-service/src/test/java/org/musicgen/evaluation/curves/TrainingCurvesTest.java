package org.musicgen.evaluation.curves;

import org.junit.jupiter.api.Test;
import org.musicgen.platform.events.TrainingProgress;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TrainingCurvesTest {

    @Test
    void epochsBecomePointsOnceEachAndOlderStatusesDoNotWin() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        RunCurve curve = TrainingCurves.merge(null, progress("RUNNING", 0, null, null, t0));
        assertEquals(0, curve.points().size());
        curve = TrainingCurves.merge(curve, progress("RUNNING", 1, 3.2, 3.4, t0.plusSeconds(10)));
        curve = TrainingCurves.merge(curve, progress("RUNNING", 2, 2.5, 2.9, t0.plusSeconds(20)));
        // a redelivered epoch 1 replaces, never duplicates
        curve = TrainingCurves.merge(curve, progress("RUNNING", 1, 3.2, 3.4, t0.plusSeconds(10)));
        assertEquals(2, curve.points().size());
        assertEquals(1, curve.points().get(0).epoch());
        assertEquals(2.9, curve.points().get(1).validationLoss());
        assertNull(curve.points().get(1).generatorLoss());

        curve = TrainingCurves.merge(curve, progress("COMPLETED", 2, null, null, t0.plusSeconds(30)));
        curve = TrainingCurves.merge(curve, progress("RUNNING", 1, 3.2, 3.4, t0.plusSeconds(10)));
        assertEquals("COMPLETED", curve.status());
        assertEquals(10, curve.epochs());
    }

    @Test
    void aPianoRollGanCurveKeepsItsCollapseWatchBesideItsLosses() {
        Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
        RunCurve curve = null;
        for (int epoch = 1; epoch <= 2; epoch++) {
            curve = TrainingCurves.merge(curve, new TrainingProgress("g" + epoch, TrainingProgress.TYPE,
                    t0.plusSeconds(epoch), "run-2", "corpus-1", "gan", "RUNNING", epoch, 4, null, null, null, null,
                    null, 1.3, 0.8, 100.0, null, null, "performance", 0.2 * epoch, Double.NaN));
        }
        assertEquals(2, curve.points().size());
        assertEquals(0.4, curve.points().get(1).sampleDiversity(), 1e-12);
        assertNull(curve.points().get(1).realDiversity(), "a value that is not a number is left out");
        assertEquals(1.3, curve.points().get(0).discriminatorLoss(), 1e-12);
    }

    @Test
    void theRunKeepsItsEncodingAndItsEarliestEventAsItsStartWhateverTheOrderOfArrival() {
        Instant t0 = Instant.parse("2026-12-07T09:00:00Z");
        TrainingProgress epoch2 = new TrainingProgress("d2", TrainingProgress.TYPE, t0.plusSeconds(20), "run-d",
                "groove", "lstm", "RUNNING", 2, 4, null, null, 2.0, 2.1, null, null, null, null, null, null,
                "performance-drums");
        TrainingProgress started = new TrainingProgress("d0", TrainingProgress.TYPE, t0, "run-d", "groove", "lstm",
                "RUNNING", 0, 4, null, null, null, null, null, null, null, null, null, null, null);
        RunCurve curve = TrainingCurves.merge(TrainingCurves.merge(null, epoch2), started);
        assertEquals("performance-drums", curve.encoding(), "an event that names no encoding does not erase it");
        assertEquals(t0, curve.startedAt());
        assertEquals(t0.plusSeconds(20), curve.statusAt());
        RunCurve otherOrder = TrainingCurves.merge(TrainingCurves.merge(null, started), epoch2);
        assertEquals(curve, otherOrder, "replicas that read the events in another order agree");
    }

        private static TrainingProgress progress(String status, int epoch, Double train, Double validation, Instant at) {
        return new TrainingProgress("e" + epoch + status, TrainingProgress.TYPE, at, "run-1", "corpus-1", "lstm",
                status, epoch, 10, null, null, train, validation, null, null, null, null, null, null);
    }
}
