package org.musicgen.core.roll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

class RollGridDrumsTest {

    private static Note drum(int pitch, long tick) {
        return new Note(pitch, 90, DrumKit.CHANNEL, tick, 60, tick / 960.0, 60 / 960.0);
    }

    @Test
    void drumHitsBecomeDrumCellsOfTheirClassAtTheirNearestStepAndNotKeys() {
        Score score = new Score(480, List.of(
                new Note(60, 64, 0, 0, 480, 0, 0.5),
                drum(36, 0),            // kick, step 0
                drum(38, 480 + 40),     // snare 40 ticks late: step 4
                drum(42, 240 - 50),     // closed hat 50 ticks early: step 2
                drum(42, 240 + 10),     // the same hat on the same step: one hit
                drum(DrumKit.pitchOf(DrumKit.RIDE), 960)));
        PianoRoll roll = RollGrid.fourBars().roll(score);
        assertEquals(4, roll.notes().get(0)[2], "the piano note keeps its length");
        assertEquals(1, roll.notes().size(), "drum pitches are not piano keys");
        assertEquals(4, roll.drumHits());
        assertTrue(roll.isHit(0, DrumKit.KICK));
        assertTrue(roll.isHit(4, DrumKit.SNARE));
        assertTrue(roll.isHit(2, DrumKit.CLOSED_HAT));
        assertTrue(roll.isHit(8, DrumKit.RIDE));
        assertFalse(roll.isHit(1, DrumKit.CLOSED_HAT));
        assertEquals(9, roll.frames(), "the last hit's step ends the roll");
    }

    @Test
    void aRollWithDrumsIsSlicedJoinedAndWrittenWithItsHitsOnTheDrumChannel() throws MidiFormatException {
        PianoRoll bar = new PianoRoll(16, new int[] {39}, new int[] {DrumKit.KICK, 4 * PianoRoll.DRUMS + DrumKit.SNARE});
        PianoRoll two = PianoRoll.concat(List.of(bar, bar));
        assertEquals(4, two.drumHits());
        assertTrue(two.isHit(16, DrumKit.KICK) && two.isHit(20, DrumKit.SNARE));
        assertEquals(bar, RollGrid.slice(two, 16, 16));
        Score score = two.toScore(4, 0.5, 80);
        assertEquals(4, DrumKit.hits(score));
        assertEquals(2, score.piano().notes().size());
        Score back = MidiReader.sounding().withDrums().read(new MidiWriter().write(score));
        assertEquals(two, RollGrid.slice(new RollGrid(4, 4, 2).roll(back), 0, 32), "written and read back");
        // a phrase of drums alone is a phrase
        PianoRoll drumsOnly = new PianoRoll(16, new int[0], new int[] {15 * PianoRoll.DRUMS + DrumKit.KICK});
        assertEquals(1, new RollGrid(4, 4, 1).phrases(drumsOnly.toScore(4, 0.5, 80), 1).size());
        assertEquals(bar.withDrumCells(new int[0]), new PianoRoll(16, new int[] {39}));
        assertEquals(new PianoRoll(16, new int[] {39}).hashCode(), new PianoRoll(16, new int[] {39}, null).hashCode());
    }
}
