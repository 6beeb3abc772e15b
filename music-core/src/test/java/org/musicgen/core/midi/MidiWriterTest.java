package org.musicgen.core.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MidiWriterTest {

    private static Note note(int pitch, long on, long length) {
        return new Note(pitch, 80, 0, on, length, 0, 0);
    }

    private static List<long[]> shape(Score s) {
        return s.notes().stream().map(n -> new long[] {n.pitch(), n.onsetTick(), n.durationTicks()}).toList();
    }

    private static void assertSameShape(Score expected, Score actual) {
        assertEquals(expected.notes().size(), actual.notes().size());
        for (int i = 0; i < expected.notes().size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(shape(expected).get(i), shape(actual).get(i), "note " + i);
        }
    }

    @Test
    void writesFormat1ThatReadsBackWithSameNotesAndTempo120() throws Exception {
        Score score = new Score(96, List.of(note(60, 0, 96), note(64, 0, 192), note(67, 96, 48), note(60, 96, 96)));

        byte[] smf = new MidiWriter().write(score);
        Score back = new MidiReader().read(smf);

        assertEquals(1, smf[9]); // format 1
        assertEquals(2, smf[11]); // tempo track + note track
        assertEquals(96, back.ticksPerBeat());
        assertSameShape(score, back);
        assertEquals(0.5, back.notes().get(0).durationSeconds(), 1e-9);
    }

    @Test
    void explicitTempoIsWritten() throws Exception {
        Score score = new Score(480, List.of(note(60, 480, 480)));

        Score back = new MidiReader().read(new MidiWriter().write(score, 60));

        assertEquals(1.0, back.notes().get(0).onsetSeconds(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new MidiWriter().write(score, 0));
    }

    @Test
    void samePitchNotesTouchingAndNestedSurviveTheRoundTrip() throws Exception {
        // a held note with a shorter same-pitch note inside it, and a note starting where another ends:
        // MIDI cannot tell these apart on one channel, so the writer must separate them
        Score score = new Score(4, List.of(note(60, 0, 16), note(60, 4, 4), note(62, 0, 4), note(62, 4, 4)));

        Score back = new MidiReader().read(new MidiWriter().write(score));

        assertSameShape(score, back);
    }

    @Test
    void drumChannelNotesStayOnChannelTenAsDrumHits() throws Exception {
        // before drums the writer moved them off channel 10 so that they survived as piano notes; now they are hits
        Score score = new Score(96, List.of(new Note(38, 80, 9, 0, 96, 0, 0.5), note(60, 0, 96)));

        Score back = new MidiReader().withDrums().read(new MidiWriter().write(score));

        assertEquals(2, back.notes().size());
        assertEquals(List.of(new Note(38, 80, 9, 0, 1, 0, back.drums().notes().get(0).durationSeconds())),
                back.drums().notes(), "a hit on channel 10, its length one tick");
        assertEquals(60, back.piano().notes().get(0).pitch());
        assertEquals(1, new MidiReader().read(new MidiWriter().write(score)).notes().size(),
                "a reader without drums leaves the hit out");
    }

    @Test
    void zeroLengthNotesAreWrittenAsOneTick() throws Exception {
        Score back = new MidiReader().read(new MidiWriter().write(new Score(96, List.of(note(60, 10, 0)))));

        assertEquals(1, back.notes().get(0).durationTicks());
    }
}
