package org.musicgen.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.musicgen.core.encoding.PerformanceEncoding;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Controls measured on pieces written by hand, where the right answer is known. */
class ControlsTest {

    /** {@code pitches} one after another, {@code seconds} each, starting at {@code start}. */
    private static List<Note> line(double start, double seconds, int... pitches) {
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < pitches.length; i++) {
            double on = start + i * seconds;
            notes.add(new Note(pitches[i], 80, 0, Math.round(on * 1000), Math.round(seconds * 1000), on, seconds));
        }
        return notes;
    }

    private static Score score(List<Note> notes) {
        return new Score(500, notes);
    }

    @Test
    void scalesAndTriadsFindTheirKeys() {
        // a C major scale up and down, the tonic held longest
        assertEquals(new MusicalKey(0, false), KeyFinder.estimate(score(line(0, 0.5,
                60, 62, 64, 65, 67, 69, 71, 72, 72, 67, 64, 60, 60))));
        // A harmonic minor, tonic and dominant weighted
        assertEquals(MusicalKey.parse("A minor"), KeyFinder.estimate(score(line(0, 0.5,
                57, 59, 60, 62, 64, 65, 68, 69, 69, 64, 60, 57, 57, 64, 68, 69))));
        // the same tune a whole tone up is in D major / B minor, never what it was
        MusicalKey d = KeyFinder.estimate(score(line(0, 0.5, 62, 64, 66, 67, 69, 71, 73, 74, 74, 69, 66, 62, 62)));
        assertEquals(MusicalKey.parse("D major"), d);
        // every one of the 24 profiles finds its own key
        for (MusicalKey key : MusicalKey.all()) {
            assertEquals(key, KeyFinder.estimate(key.profile()), key.displayName());
        }
    }

    @Test
    void keyNamesParseTheWaysPeopleWriteThem() {
        assertEquals(new MusicalKey(2, true), MusicalKey.parse("D minor"));
        assertEquals(new MusicalKey(2, true), MusicalKey.parse("d-minor"));
        assertEquals(new MusicalKey(2, true), MusicalKey.parse("Dm"));
        assertEquals(new MusicalKey(10, false), MusicalKey.parse("Bb major"));
        assertEquals(new MusicalKey(10, false), MusicalKey.parse("B flat"));
        assertEquals(new MusicalKey(6, true), MusicalKey.parse("F# minor"));
        assertEquals(new MusicalKey(11, false), MusicalKey.parse("B"));
        assertEquals(new MusicalKey(11, true), MusicalKey.parse("b minor"));
        assertEquals("Eb major", MusicalKey.parse("E flat major").displayName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MusicalKey.parse("H dorian"));
        assertTrue(e.getMessage().contains("H dorian"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MusicalKey.parse("C lydian"));
    }

    @Test
    void theTrackMeasuresTheFiveSecondsAheadOfEachStep() {
        // 10 s of C and G at 4 notes a second, then 10 s of a single E at 1 note a second
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            notes.addAll(line(i * 0.25, 0.25, i % 2 == 0 ? 60 : 67));
        }
        notes.addAll(line(10, 1.0, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64));
        PerformanceEncoding encoding = new PerformanceEncoding();
        int[] ids = encoding.encode(score(notes));
        ControlTrack track = ControlTrack.of(encoding, ids);
        double[] seconds = encoding.eventSeconds(ids);
        assertEquals(ids.length, track.length());
        int early = 0;
        int late = ids.length - 1;
        while (seconds[late] > 12) {
            late--;
        }
        assertEquals(0, seconds[early], 1e-9);
        assertEquals(4.0, track.notesPerSecond(early), 1e-6);
        assertEquals(0.5, track.pitchClassShare(early, 0), 0.01);
        assertEquals(0.5, track.pitchClassShare(early, 7), 0.01);
        assertEquals(0.0, track.pitchClassShare(early, 4), 1e-9);
        // after 12 s: only E ahead, one note a second (the last window is shorter than 5 s and still counts right)
        assertEquals(1.0, track.pitchClassShare(late, 4), 0.01);
        assertEquals(1.0, track.notesPerSecond(late), 0.25);
        // at 7.5 s the window holds 2.5 s of C/G at 4/s and 2.5 s of E at 1/s
        int middle = 0;
        while (seconds[middle] < 7.5) {
            middle++;
        }
        assertEquals(7.5, seconds[middle], 1e-9);
        assertEquals((10 + 3) / 5.0, track.notesPerSecond(middle), 0.21);
        assertEquals(0.5, track.pitchClassShare(middle, 4), 0.02);
    }

    @Test
    void densityVectorsStandForTheirRateAndAbsentGroupsAreZero() {
        ControlSpace space = new ControlSpace(List.of("Chopin", "Haydn"));
        assertEquals(12 + 12 + 2, space.size());
        for (double rate : new double[] {0.8, 1.0, 3.3, 5.0, 12.7, 30.0}) {
            float[] v = space.vector(Controls.none().withNotesPerSecond(rate));
            assertEquals(rate, ControlSpace.readDensity(v, 12), rate * 1e-4);
        }
        float[] none = space.vector(Controls.none());
        for (float x : none) {
            assertEquals(0f, x);
        }
        assertNull(ControlSpace.readDensity(none, 12));
        float[] haydn = space.vector(Controls.none().withLabel("Haydn"));
        assertEquals(1f, haydn[25]);
        assertEquals(0f, haydn[24]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> space.vector(Controls.none().withLabel("Brahms")));
        assertTrue(e.getMessage().contains("Brahms") && e.getMessage().contains("[Chopin, Haydn]"), e.getMessage());
    }

    @Test
    void aScoreReachesItsOwnControls() {
        Controls reached = Controls.of(score(line(0, 0.5, 62, 64, 65, 67, 69, 70, 73, 74, 74, 69, 65, 62, 62)));
        assertEquals(MusicalKey.parse("D minor"), reached.key());
        assertEquals(2.0, reached.notesPerSecond(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new Controls(new double[11], null, null));
        assertThrows(IllegalArgumentException.class, () -> new Controls(new double[12], null, null));
    }
}
