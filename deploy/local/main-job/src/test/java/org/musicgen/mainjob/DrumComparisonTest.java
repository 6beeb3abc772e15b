package org.musicgen.mainjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;

/** What the drum demo holds its models to: passed by pieces of the corpus, failed by hits at random. */
class DrumComparisonTest {

    @Test
    void piecesOfTheCorpusPassAndRandomHitsFail() throws Exception {
        MidiReader reader = new MidiReader().withDrums();
        List<Score> pieces = new ArrayList<>();
        for (GeneratedPiece piece : new SyntheticCorpus(1).withDrums().generate(24)) {
            pieces.add(reader.read(piece.midi()));
        }
        List<Score> held = new SyntheticCorpus(2).withDrums().generate(8).stream().map(p -> read(reader, p)).toList();
        List<Score> random = held.stream().map(DrumComparisonTest::randomDrums).toList();

        DrumComparison comparison = DrumComparison.of(Map.of("gan", held, "lstm", random), pieces);
        String table = String.join("\n", comparison.table());

        assertEquals(List.of(), comparison.failures("gan"), "unseen pieces of the same kind pass:\n" + table);
        List<String> failures = comparison.failures("lstm");
        assertFalse(failures.isEmpty(), "random drums fail:\n" + table);
        assertTrue(failures.stream().allMatch(f -> f.endsWith("outside the corpus's spread")), failures.toString());
    }

    private static Score read(MidiReader reader, GeneratedPiece piece) {
        try {
            return reader.read(piece.midi());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The piece with each drum hit given a drum at random, at a random sixteenth of its bar. */
    private static Score randomDrums(Score score) {
        Random random = new Random(7);
        long sixteenth = score.ticksPerBeat() / 4;
        List<Note> notes = new ArrayList<>(score.piano().notes());
        for (Note n : score.drums().notes()) {
            long tick = n.onsetTick() / (16 * sixteenth) * 16 * sixteenth + random.nextInt(16) * sixteenth;
            double seconds = n.onsetSeconds() * tick / Math.max(1, n.onsetTick());
            notes.add(new Note(DrumKit.pitchOf(random.nextInt(DrumKit.CLASSES)), n.velocity(), DrumKit.CHANNEL, tick,
                    1, n.onsetTick() == 0 ? 0 : seconds, n.durationSeconds()));
        }
        return new Score(score.ticksPerBeat(), notes);
    }
}
