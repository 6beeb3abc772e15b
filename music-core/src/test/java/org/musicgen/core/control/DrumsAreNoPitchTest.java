package org.musicgen.core.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.encoding.PerformanceEncoding;
import org.musicgen.core.metrics.ExcerptStatistics;
import org.musicgen.core.metrics.PitchClassHistogram;
import org.musicgen.core.metrics.SampleMetrics;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.DrumGrooves;
import org.musicgen.core.synth.SyntheticCorpus;

/**
 * A drum's pitch names the drum, not a key: keys, pitch-class controls, style features and pitch metrics of a piece
 * with a groove are those of its piano alone, and a groove alone has no key.
 */
class DrumsAreNoPitchTest {

    private static final PerformanceEncoding PIANO = new PerformanceEncoding();
    private static final PerformanceEncoding DRUMS = PerformanceEncoding.withDrums();

    @Test
    void aGrooveUnderThePianoChangesNoPitchMeasure() throws Exception {
        for (int i = 0; i < 3; i++) {
            Score piano = MidiReader.sounding().read(new SyntheticCorpus(9).piece(i).midi());
            Score both = MidiReader.sounding().withDrums().read(new DrumGrooves(9).piece(i).midi());
            assertTrue(both.drums().notes().size() > 50);
            assertEquals(piano.notes(), both.piano().notes(), "the same piano part");

            Controls a = Controls.of(piano);
            Controls b = Controls.of(both);
            assertArrayEquals(a.pitchClasses(), b.pitchClasses(), 1e-12, "pitch-class controls");
            assertEquals(a.notesPerSecond(), b.notesPerSecond(), 1e-9, "density counts the piano's notes");
            assertEquals(KeyFinder.estimate(piano), KeyFinder.estimate(both));
            assertArrayEquals(StyleFeatures.of(piano), StyleFeatures.of(both), 1e-12, "style features");

            int[] pianoIds = PIANO.encode(piano);
            int[] drumIds = DRUMS.encode(both);
            assertArrayEquals(PitchClassHistogram.of(List.of(pianoIds), PIANO).shares(),
                    PitchClassHistogram.of(List.of(drumIds), DRUMS).shares(), 1e-12);
            SampleMetrics.Values x = new SampleMetrics().of(pianoIds, PIANO);
            SampleMetrics.Values y = new SampleMetrics().of(drumIds, DRUMS);
            assertEquals(x.pitchRange(), y.pitchRange());
            assertEquals(x.distinctPitchClasses(), y.distinctPitchClasses());
            assertEquals(x.pitchClassEntropy(), y.pitchClassEntropy(), 1e-12);
            assertEquals(x.scaleConsistency(), y.scaleConsistency(), 1e-12);
            ExcerptStatistics statistics = new ExcerptStatistics(List.of(piano));
            assertEquals(statistics.of(piano).get("pitch_class_distance"),
                    new ExcerptStatistics(List.of(both)).of(both).get("pitch_class_distance"), 1e-12);
            assertEquals(statistics.of(piano).get("pitch_range"), statistics.of(both).get("pitch_range"));

            // the per-step track: the piano's key wherever the piano sounds, drum events or not
            ControlTrack track = ControlTrack.of(DRUMS, drumIds);
            ControlTrack plain = ControlTrack.of(PIANO, pianoIds);
            assertEquals(plain.key(0), track.key(0), "the opening window's key");
        }
    }

    @Test
    void aGrooveAloneHasNoKeyAndNoPitchClasses() {
        Score groove = DrumGrooves.grooveOnly(20, new Random(1));
        assertNull(Controls.of(groove).pitchClasses(), "no pitch sounds");
        assertNull(Controls.of(groove).notesPerSecond(), "no piano note");
        int[] ids = DRUMS.encode(groove);
        ControlTrack track = ControlTrack.of(DRUMS, ids);
        for (int step = 0; step < track.length(); step++) {
            assertNull(track.key(step), "step " + step);
            assertEquals(0, track.notesPerSecond(step), "step " + step);
        }
        assertEquals(0, new SampleMetrics().of(ids, DRUMS).distinctPitchClasses());
    }
}
