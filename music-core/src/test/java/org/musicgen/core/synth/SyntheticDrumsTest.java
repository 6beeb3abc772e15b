package org.musicgen.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/** The demo's drum part: beside the same piano, grooves on the pieces' beat, varied per piece. */
class SyntheticDrumsTest {

    private static final MidiReader READER = new MidiReader().withDrums();

    @Test
    void theDrumsJoinTheSamePianoPart() throws MidiFormatException {
        SyntheticCorpus plain = new SyntheticCorpus(1);
        SyntheticCorpus drums = plain.withDrums();
        for (int i = 0; i < 6; i++) {
            Score withDrums = READER.read(drums.piece(i).midi());
            Score without = READER.read(plain.piece(i).midi());
            assertFalse(without.hasDrums(), "the plain corpus has no drums");
            assertTrue(DrumKit.hits(withDrums) > 50, "piece " + i + " has a drum part");
            assertEquals(without.notes(), withDrums.piano().notes(), "piece " + i + "'s piano part is unchanged");
            assertEquals(drums.piece(i), drums.piece(i), "the same bytes every time");
        }
    }

    @Test
    void theGroovesFollowTheBeatAndVaryFromPieceToPiece() throws MidiFormatException {
        Set<String> grooves = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            Score score = READER.read(new SyntheticCorpus(1).withDrums().piece(i).midi());
            int beat = score.ticksPerBeat();
            Set<Long> barsWithKickOnOne = new HashSet<>();
            StringBuilder firstBar = new StringBuilder();
            for (Note n : score.drums().notes()) {
                int drum = DrumKit.classOf(n.pitch());
                assertTrue(drum >= 0, "every hit is one of the kit's drums: " + n);
                assertEquals(0, n.onsetTick() % (beat / 4), "every hit on the 16th grid: " + n);
                if (drum == DrumKit.KICK && n.onsetTick() % (4L * beat) == 0) {
                    barsWithKickOnOne.add(n.onsetTick() / (4L * beat));
                }
                if (n.onsetTick() < 4L * beat) {
                    firstBar.append(drum).append('@').append(n.onsetTick() / (beat / 4)).append(' ');
                }
            }
            long bars = score.piano().notes().stream().mapToLong(Note::endTick).max().orElseThrow() / (4L * beat);
            assertTrue(barsWithKickOnOne.size() >= bars, "a kick on beat 1 of each of the " + bars
                    + " bars of piece " + i + ": " + barsWithKickOnOne);
            grooves.add(firstBar.toString());
        }
        assertTrue(grooves.size() >= 3, "at least three different grooves in twelve pieces: " + grooves);
    }
}
