package org.musicgen.evaluation.curves;

import org.junit.jupiter.api.Test;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.platform.events.TrainingProgress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DrumsComparisonTest {

    private static final Instant T0 = Instant.parse("2026-12-07T08:00:00Z");

    @Test
    void perModelTheLatestRunWithDrumsBesideTheLatestPianoRunAmongMixedEncodingsAndCorpora() {
        List<RunCurve> runs = new ArrayList<>(List.of(
                // LSTM, piano alone: an old performance run and a newer one in the seed encoding on another corpus
                run("lstm-piano-old", "piano-a", "lstm", "performance", 0, 3),
                run("lstm-piano-new", "piano-b", "lstm", "seed", 60, 2),
                // LSTM with drums: an older performance-drums run, then a newer run on the same corpus whose events
                // name no encoding (it counts as drums through its corpus), and the newest one with no epoch yet
                run("lstm-drums-old", "groove", "lstm", "performance-drums", 10, 4),
                run("lstm-drums-new", "groove", "lstm", null, 50, 3),
                run("lstm-drums-starting", "groove", "lstm", "performance-drums", 90, 0),
                // a run without encoding on a corpus no run reported drums for: piano alone (before encodings), older
                run("lstm-unknown", "old-corpus", "lstm", null, 30, 5),
                // GAN: piano alone only, the drums run has not finished an epoch
                run("gan-piano", "piano-a", "gan", "performance", 5, 2),
                run("gan-drums-starting", "groove", "gan", "performance-drums", 95, 0)));
        Collections.shuffle(runs, new Random(3));

        DrumsComparison figure = DrumsComparison.of(runs);

        assertEquals(List.of("groove"), figure.drumCorpora());
        assertEquals(List.of("lstm", "gan"), figure.panels().stream().map(DrumsComparison.Panel::model).toList());
        DrumsComparison.Panel lstm = figure.panel("lstm");
        assertEquals("lstm-drums-new", lstm.drums().runId());
        assertEquals("lstm-piano-new", lstm.piano().runId());
        assertNull(lstm.missing());
        assertEquals(3, lstm.drums().points().size());

        DrumsComparison.Panel gan = figure.panel("gan");
        assertNull(gan.drums(), "a drums run without a finished epoch does not take part");
        assertEquals("gan-piano", gan.piano().runId());
        assertTrue(gan.missing().startsWith("No GAN run on a corpus with drums"), gan.missing());
    }

    @Test
    void whatIsMissingIsSaidForEachSide() {
        DrumsComparison empty = DrumsComparison.of(List.of());
        assertTrue(empty.panel("lstm").missing().contains("neither on a corpus with drums nor on a piano-only"),
                empty.panel("lstm").missing());
        DrumsComparison drumsOnly = DrumsComparison.of(List.of(run("d", "groove", "gan", "performance-drums", 0, 2)));
        assertNotNull(drumsOnly.panel("gan").drums());
        assertTrue(drumsOnly.panel("gan").missing().startsWith("No GAN run on a piano-only corpus"),
                drumsOnly.panel("gan").missing());
        assertNull(drumsOnly.panel("lstm").drums());
    }

    @Test
    void theLatestRunIsTheOneThatBeganLastWhateverTheOrderItsEventsArrivedIn() {
        // the older run's last epoch arrives after the newer run's events: it reported last, but began first
        RunCurve older = run("a-older", "piano-a", "lstm", "performance", 0, 1);
        older = TrainingCurves.merge(older, epoch("a-older", "piano-a", "lstm", "performance", T0.plusSeconds(500), 2));
        RunCurve newer = run("b-newer", "piano-a", "lstm", "performance", 100, 1);
        assertEquals("b-newer", DrumsComparison.of(List.of(older, newer)).panel("lstm").piano().runId());
        assertEquals(T0, older.startedAt());
    }

    @Test
    void drumsAreWhatMusicCoreSaysOfEachOfItsEncodings() {
        for (String name : Encodings.NAMES) {
            assertEquals(Encodings.hasDrums(name), DrumsComparison.hasDrums(name), name);
        }
        assertEquals(false, DrumsComparison.hasDrums(null));
    }

    /** A run that began {@code startSeconds} after T0 and finished {@code epochs} epochs, folded from its events. */
    static RunCurve run(String id, String corpus, String model, String encoding, int startSeconds, int epochs) {
        Instant start = T0.plusSeconds(startSeconds);
        RunCurve curve = TrainingCurves.merge(null, new TrainingProgress(id + "-0", TrainingProgress.TYPE, start, id,
                corpus, model, "RUNNING", 0, 10, null, null, null, null, null, null, null, null, null, null, encoding));
        for (int e = 1; e <= epochs; e++) {
            curve = TrainingCurves.merge(curve, epoch(id, corpus, model, encoding, start.plusSeconds(e), e));
        }
        return curve;
    }

    private static TrainingProgress epoch(String id, String corpus, String model, String encoding, Instant at,
                                          int epoch) {
        boolean gan = "gan".equals(model);
        return new TrainingProgress(id + "-" + epoch, TrainingProgress.TYPE, at, id, corpus, model, "RUNNING", epoch,
                10, null, null, gan ? null : 4.0 / epoch, gan ? null : 4.2 / epoch, null, gan ? 1.2 : null,
                gan ? 0.9 : null, null, null, null, encoding);
    }
}
