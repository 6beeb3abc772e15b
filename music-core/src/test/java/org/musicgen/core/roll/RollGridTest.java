package org.musicgen.core.roll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

class RollGridTest {
    private static final int TPB = 480;

    /** A note on the grid of sixteenths at 120 bpm (120 ticks, 0.125 s a step). */
    private static Note note(int pitch, int startStep, int steps) {
        return new Note(pitch, 64, 0, startStep * 120L, steps * 120L, startStep * 0.125, steps * 0.125);
    }

    @Test
    void notesLandOnTheNearestStepsAndHeldFramesJoinIntoNotes() {
        Score score = new Score(TPB, List.of(note(60, 0, 4), note(64, 4, 2),
                // 50 ticks late (rounds to step 8) and 50 ticks long: still one whole step
                new Note(67, 64, 0, 8 * 120 + 50, 50, 1.0, 0.05),
                // outside the piano: dropped
                new Note(10, 64, 0, 0, 120, 0, 0.125)));
        PianoRoll roll = RollGrid.fourBars().roll(score);
        assertEquals(9, roll.frames());
        assertTrue(roll.isOn(0, 60 - PianoRoll.LOWEST_PITCH));
        assertTrue(roll.isOn(3, 60 - PianoRoll.LOWEST_PITCH));
        assertFalse(roll.isOn(4, 60 - PianoRoll.LOWEST_PITCH));
        List<int[]> notes = roll.notes();
        assertEquals(3, notes.size());
        assertArrayEquals(new int[] {60 - 21, 0, 4}, notes.get(0));
        assertArrayEquals(new int[] {64 - 21, 4, 2}, notes.get(1));
        assertArrayEquals(new int[] {67 - 21, 8, 1}, notes.get(2));
    }

    @Test
    void phrasesStartEveryHopAndSkipSilence() {
        List<Note> notes = new ArrayList<>();
        // 10 bars of 4/4: a note in every bar except bars 4 to 7
        for (int bar = 0; bar < 10; bar++) {
            if (bar < 4 || bar > 7) {
                // the last bar's note lasts to the bar's end, so the last phrase is whole
                notes.add(note(60 + bar, bar * 16, bar == 9 ? 16 : 4));
            }
        }
        RollGrid grid = new RollGrid(4, 4, 2);
        List<PianoRoll> phrases = grid.phrases(new Score(TPB, notes), 2);
        // phrases at bars 0, 2, (4 and 6 silent), 8
        assertEquals(3, phrases.size());
        for (PianoRoll p : phrases) {
            assertEquals(32, p.frames());
        }
        assertEquals(List.of(60, 61), phrases.get(0).notes().stream().map(n -> n[0] + 21).toList());
        assertEquals(List.of(68, 69), phrases.get(2).notes().stream().map(n -> n[0] + 21).toList());
        assertThrows(IllegalArgumentException.class, () -> grid.phrases(new Score(TPB, notes), 0));
    }

    @Test
    void aRollBecomesMidiThatReadsBackAsTheSameRoll() throws MidiFormatException {
        PianoRoll roll = new PianoRoll(16, new int[] {39, 43, 46, 88 + 39, 88 + 43, 88 + 46, 5 * 88 + 50,
                15 * 88 + 87});
        Score score = roll.toScore(4, 0.5, 80);
        assertEquals(5, score.notes().size());
        Score back = MidiReader.sounding().read(new MidiWriter().write(score));
        assertEquals(roll, RollGrid.slice(RollGrid.fourBars().roll(back), 0, 16));
    }

    @Test
    void denseValuesThresholdAndConcatShiftsFrames() {
        float[] values = new float[2 * PianoRoll.KEYS];
        values[3] = 0.7f;
        values[PianoRoll.KEYS + 5] = 0.5f;
        values[PianoRoll.KEYS + 6] = 0.49f;
        PianoRoll roll = PianoRoll.fromDense(values, 0, 2, 0.5f);
        assertArrayEquals(new int[] {3, PianoRoll.KEYS + 5}, roll.cells());
        PianoRoll two = PianoRoll.concat(List.of(roll, roll));
        assertEquals(4, two.frames());
        assertTrue(two.isOn(2, 3) && two.isOn(3, 5));
        float[] dense = new float[4 * PianoRoll.KEYS];
        two.fill(dense, 0);
        assertEquals(4, (int) Math.round(sum(dense)));
        assertThrows(IllegalArgumentException.class, () -> new PianoRoll(1, new int[] {5, 3}));
        assertThrows(IllegalArgumentException.class, () -> new PianoRoll(1, new int[] {PianoRoll.KEYS}));
    }

    @Test
    void hysteresisKeepsAWaveringNoteWhole() {
        int key = 40;
        float[] wavering = {0.1f, 0.6f, 0.3f, 0.45f, 0.25f, 0.1f, 0.35f, 0.55f};
        float[] values = new float[wavering.length * PianoRoll.KEYS];
        for (int f = 0; f < wavering.length; f++) {
            values[f * PianoRoll.KEYS + key] = wavering[f];
        }
        List<int[]> plain = PianoRoll.fromDense(values, 0, wavering.length, 0.5f).notes();
        assertEquals(2, plain.size(), "plain thresholding keeps frames 1 and 7 only");
        List<int[]> held = PianoRoll.fromDense(values, 0, wavering.length, 0.5f, 0.2f).notes();
        assertEquals(2, held.size());
        assertArrayEquals(new int[] {key, 1, 4}, held.get(0), "started at 0.6, held while at least 0.2");
        assertArrayEquals(new int[] {key, 7, 1}, held.get(1), "0.35 after a rest does not start a note");
        assertThrows(IllegalArgumentException.class, () -> PianoRoll.fromDense(values, 0, 1, 0.3f, 0.5f));
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
