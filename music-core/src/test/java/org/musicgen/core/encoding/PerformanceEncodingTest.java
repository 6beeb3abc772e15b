package org.musicgen.core.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;

class PerformanceEncodingTest {

    private final PerformanceEncoding encoding = new PerformanceEncoding();

    /** Expressive playing: onsets off any grid, velocities everywhere, chords, long silences, no key twice at once. */
    private static Score expressive(long seed) {
        Random random = new Random(seed);
        List<Note> notes = new ArrayList<>();
        double t = 0.37;
        double[] keyFreeAt = new double[128];
        for (int i = 0; i < 400; i++) {
            t += random.nextInt(10) == 0 ? 1 + random.nextDouble() * 4 : random.nextDouble() * 0.3;
            int chord = 1 + random.nextInt(3);
            for (int c = 0; c < chord; c++) {
                int pitch = 21 + random.nextInt(88);
                if (keyFreeAt[pitch] > t - 0.02) {
                    continue;
                }
                double length = 0.02 + random.nextDouble() * (random.nextBoolean() ? 0.5 : 3);
                keyFreeAt[pitch] = t + length;
                long tick = Math.round(t * 1000);
                notes.add(new Note(pitch, 1 + random.nextInt(127), 0, tick, Math.round(length * 1000), t, length));
            }
        }
        return new Score(500, notes);
    }

    private static void assertSameWithinOneBin(Score original, Score decoded) {
        Comparator<Note> byPitchThenOnset = Comparator.comparingInt(Note::pitch).thenComparingDouble(Note::onsetSeconds);
        List<Note> a = new ArrayList<>(original.notes());
        List<Note> b = new ArrayList<>(decoded.notes());
        a.sort(byPitchThenOnset);
        b.sort(byPitchThenOnset);
        assertEquals(a.size(), b.size(), "every note survives");
        double shift = a.stream().mapToDouble(Note::onsetSeconds).min().orElse(0)
                - b.stream().mapToDouble(Note::onsetSeconds).min().orElse(0); // leading silence is dropped
        for (int i = 0; i < a.size(); i++) {
            Note x = a.get(i);
            Note y = b.get(i);
            assertEquals(x.pitch(), y.pitch());
            assertEquals(x.onsetSeconds(), y.onsetSeconds() + shift, 0.0101, "onset of " + x);
            assertEquals(x.endSeconds(), y.endSeconds() + shift, 0.0101, "offset of " + x);
            assertEquals(PerformanceEncoding.velocityBin(x.velocity()), PerformanceEncoding.velocityBin(y.velocity()),
                    "velocity bin of " + x);
        }
    }

    @Test
    void roundTripKeepsEveryNoteWithinOneBin() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            Score score = expressive(seed);
            int[] ids = encoding.encode(score);
            assertSameWithinOneBin(score, encoding.decode(ids));
            // and through a MIDI file, as the services store and read samples
            Score viaMidi = new MidiReader().read(new MidiWriter().write(encoding.decode(ids)));
            assertSameWithinOneBin(score, viaMidi);
        }
    }

    @Test
    void syntheticCorpusRoundTripsAndNeverNeedsAnUnknownEvent() throws Exception {
        for (GeneratedPiece piece : new SyntheticCorpus(3).generate(6)) {
            Score score = MidiReader.sounding().read(piece.midi());
            int[] ids = encoding.encode(score);
            for (int id : ids) {
                assertTrue(id >= 0 && id < PerformanceEncoding.SIZE);
                assertTrue(!encoding.isUnknown(id));
            }
            assertSameWithinOneBin(oneKeyOnceAtATime(score), encoding.decode(ids));
        }
    }

    /** The written music with doubled keys merged (the longer kept) and a restruck key cut, as a piano plays it. */
    private static Score oneKeyOnceAtATime(Score score) {
        List<Note> sorted = new ArrayList<>(score.notes());
        sorted.sort(Comparator.comparingInt(Note::pitch).thenComparingLong(n -> Math.round(n.onsetSeconds() * 100))
                .thenComparing(Comparator.comparingDouble(Note::endSeconds).reversed()));
        List<Note> out = new ArrayList<>();
        for (Note n : sorted) {
            Note prev = out.isEmpty() ? null : out.get(out.size() - 1);
            if (prev != null && prev.pitch() == n.pitch()) {
                if (Math.round(prev.onsetSeconds() * 100) == Math.round(n.onsetSeconds() * 100)) {
                    continue;
                }
                if (prev.endSeconds() > n.onsetSeconds()) {
                    out.set(out.size() - 1, new Note(prev.pitch(), prev.velocity(), 0, prev.onsetTick(), 0,
                            prev.onsetSeconds(), n.onsetSeconds() - prev.onsetSeconds()));
                }
            }
            out.add(n);
        }
        return new Score(score.ticksPerBeat(), out);
    }

    @Test
    void eventsOfOneStepAreOffsThenVelocityAndOnsByPitch() {
        Score score = new Score(500, List.of(
                new Note(64, 100, 0, 0, 500, 0.0, 0.5),
                new Note(60, 100, 0, 0, 500, 0.0, 0.5),
                new Note(67, 40, 0, 500, 2500, 0.5, 2.5)));
        int[] ids = encoding.encode(score);
        List<String> names = new ArrayList<>();
        for (int id : ids) {
            names.add(encoding.describe(id));
        }
        assertEquals(List.of("VELOCITY(24)", "NOTE_ON(60)", "NOTE_ON(64)", "TIME_SHIFT(500ms)",
                "NOTE_OFF(60)", "NOTE_OFF(64)", "VELOCITY(9)", "NOTE_ON(67)", "TIME_SHIFT(1000ms)",
                "TIME_SHIFT(1000ms)", "TIME_SHIFT(500ms)", "NOTE_OFF(67)"), names);
    }

    @Test
    void aKeyStruckAgainWhileSoundingIsEndedThere() {
        Score score = new Score(500, List.of(
                new Note(60, 80, 0, 0, 1000, 0.0, 1.0),
                new Note(60, 80, 0, 300, 300, 0.3, 0.3)));
        Score back = encoding.decode(encoding.encode(score));
        assertEquals(2, back.notes().size());
        assertEquals(0.3, back.notes().get(0).durationSeconds(), 1e-9);
        assertEquals(0.3, back.notes().get(1).durationSeconds(), 1e-9);
    }

    @Test
    void decodingIsLenientWithAnyIdSequence() {
        Random random = new Random(7);
        int[] ids = random.ints(2000, 0, PerformanceEncoding.SIZE).toArray();
        Score score = encoding.decode(ids);
        assertTrue(score.notes().size() > 100);
        assertTrue(score.notes().stream().allMatch(n -> n.durationTicks() > 0));
        assertThrows(IllegalArgumentException.class, () -> encoding.decode(new int[] {PerformanceEncoding.SIZE}));
        assertArrayEquals(new int[0], encoding.encode(new Score(480, List.of())));
    }

    @Test
    void storedFormNamesTheEncodingAndReadsBack() {
        byte[] stored = encoding.toBytes();
        assertEquals(encoding, Encodings.read(stored));
        assertEquals(PerformanceEncoding.SIZE, Encodings.read(stored).size());
        assertEquals("performance", Encodings.checkName(null));
        assertEquals("seed", Encodings.checkName(" Seed "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encodings.checkName("abc"));
        assertTrue(e.getMessage().contains("performance, performance-drums, seed"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Encodings.read("#encoding=performance\nNOTE_ON(0)\n".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> Encodings.read("#encoding=abc\nx\n".getBytes()));
    }
}
