package org.musicgen.core.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.dataset.Checksums;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.DrumGrooves;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;

/** The encoding with drums keeps piano and drums through MIDI -> events -> MIDI; the piano-only one is unchanged. */
class PerformanceDrumsTest {

    private final PerformanceEncoding drums = PerformanceEncoding.withDrums();
    private final PerformanceEncoding piano = new PerformanceEncoding();
    private static final MidiReader WITH_DRUMS = MidiReader.sounding().withDrums();

    /**
     * Expressive piano (onsets off any grid, every velocity, one key at a time) over hits of every General MIDI drum
     * pitch a class is mapped to, off the grid too, with every velocity; at most one hit of a class per 20 ms.
     */
    private static Score pianoAndDrums(long seed) {
        Random random = new Random(seed);
        List<Note> notes = new ArrayList<>();
        double[] keyFreeAt = new double[128];
        double t = 0.23;
        for (int i = 0; i < 200; i++) {
            t += random.nextDouble() * 0.3;
            int pitch = 21 + random.nextInt(88);
            if (keyFreeAt[pitch] > t - 0.02) {
                continue;
            }
            double length = 0.02 + random.nextDouble() * 1.5;
            keyFreeAt[pitch] = t + length;
            notes.add(new Note(pitch, 1 + random.nextInt(127), 0, Math.round(t * 1000), Math.round(length * 1000), t,
                    length));
        }
        List<Integer> drumPitches = new ArrayList<>();
        for (int p = 0; p < 128; p++) {
            if (DrumKit.classOf(p) >= 0) {
                drumPitches.add(p);
            }
        }
        double[] classFreeAt = new double[DrumKit.CLASSES];
        double h = 0.31;
        for (int i = 0; i < 400; i++) {
            h += random.nextDouble() * 0.12;
            int pitch = drumPitches.get(random.nextInt(drumPitches.size()));
            int drumClass = DrumKit.classOf(pitch);
            if (classFreeAt[drumClass] > h) {
                continue;
            }
            classFreeAt[drumClass] = h + 0.02;
            notes.add(new Note(pitch, 1 + random.nextInt(127), DrumKit.CHANNEL, Math.round(h * 1000), 1, h, 0.001));
        }
        return new Score(500, notes);
    }

    /** Every hit's class, onset to the 10 ms step and velocity to its bin; the piano's notes likewise. */
    private static void assertSameMusic(Score original, Score decoded) {
        double shift = firstOnset(original) - firstOnset(decoded); // leading silence is dropped
        Comparator<Note> order = Comparator.comparingInt((Note n) -> DrumKit.isDrum(n) ? DrumKit.classOf(n.pitch())
                : n.pitch()).thenComparingDouble(Note::onsetSeconds);
        for (boolean drum : new boolean[] {true, false}) {
            List<Note> a = new ArrayList<>(drum ? original.drums().notes() : original.piano().notes());
            List<Note> b = new ArrayList<>(drum ? decoded.drums().notes() : decoded.piano().notes());
            a.sort(order);
            b.sort(order);
            assertEquals(a.size(), b.size(), drum ? "every drum hit survives" : "every piano note survives");
            for (int i = 0; i < a.size(); i++) {
                Note x = a.get(i);
                Note y = b.get(i);
                if (drum) {
                    assertEquals(DrumKit.classOf(x.pitch()), DrumKit.classOf(y.pitch()), "class of " + x);
                    assertEquals(DrumKit.pitchOf(DrumKit.classOf(x.pitch())), y.pitch(), "written as its class's pitch");
                    assertEquals(DrumKit.CHANNEL, y.channel(), "on MIDI channel 10");
                } else {
                    assertEquals(x.pitch(), y.pitch());
                    assertEquals(x.endSeconds(), y.endSeconds() + shift, 0.0101, "offset of " + x);
                    assertTrue(y.channel() != DrumKit.CHANNEL, "a piano note is never on the drum channel: " + y);
                }
                assertEquals(x.onsetSeconds(), y.onsetSeconds() + shift, 0.0101, "onset of " + x);
                assertEquals(PerformanceEncoding.velocityBin(x.velocity()), PerformanceEncoding.velocityBin(y.velocity()),
                        "velocity bin of " + x);
            }
        }
    }

    private static double firstOnset(Score score) {
        return score.notes().stream().mapToDouble(Note::onsetSeconds).min().orElse(0);
    }

    @Test
    void handMadePianoAndDrumsSurviveMidiToEventsToMidi() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            Score made = pianoAndDrums(seed);
            Score read = WITH_DRUMS.read(new MidiWriter().write(made));
            assertEquals(DrumKit.hits(made), DrumKit.hits(read), "the reader with drums keeps every mapped hit");
            int[] ids = drums.encode(read);
            long drumIds = java.util.Arrays.stream(ids).filter(id -> id >= PerformanceEncoding.DRUM).count();
            assertEquals(DrumKit.hits(made), drumIds, "one DRUM event per hit");
            for (int id : ids) {
                assertTrue(id >= 0 && id < PerformanceEncoding.SIZE_WITH_DRUMS, "id " + id);
            }
            Score back = WITH_DRUMS.read(new MidiWriter().write(drums.decode(ids)));
            assertSameMusic(made, back);
            assertEquals(DrumKit.hits(made), new MidiReader().withDrums().read(new MidiWriter().write(drums.decode(ids)))
                    .drums().notes().size());
            assertFalse(MidiReader.sounding().read(new MidiWriter().write(drums.decode(ids))).hasDrums(),
                    "a reader without drums finds the hits on channel 10 and leaves them out");
        }
    }

    @Test
    void syntheticGroovesSurviveTheRoundTripWithEveryDrumClass() throws Exception {
        for (GeneratedPiece piece : new DrumGrooves(5).generate(3)) {
            Score read = WITH_DRUMS.read(piece.midi());
            assertTrue(DrumKit.hits(read) > 50, piece + " has a groove");
            int[] ids = drums.encode(read);
            boolean[] seen = new boolean[DrumKit.CLASSES];
            for (int id : ids) {
                if (id >= PerformanceEncoding.DRUM) {
                    seen[id - PerformanceEncoding.DRUM] = true;
                }
            }
            for (int c = 0; c < DrumKit.CLASSES; c++) {
                assertTrue(seen[c], piece + " plays the " + DrumKit.name(c));
            }
            Score back = WITH_DRUMS.read(new MidiWriter().write(drums.decode(ids)));
            assertEquals(DrumKit.hits(read), DrumKit.hits(back));
            assertSameDrums(read, back);
        }
    }

    private static void assertSameDrums(Score original, Score decoded) {
        double shift = firstOnset(original) - firstOnset(decoded);
        Comparator<Note> order = Comparator.comparingInt((Note n) -> DrumKit.classOf(n.pitch()))
                .thenComparingDouble(Note::onsetSeconds);
        List<Note> a = new ArrayList<>(original.drums().notes());
        List<Note> b = new ArrayList<>(decoded.drums().notes());
        a.sort(order);
        b.sort(order);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(DrumKit.classOf(a.get(i).pitch()), DrumKit.classOf(b.get(i).pitch()));
            assertEquals(a.get(i).onsetSeconds(), b.get(i).onsetSeconds() + shift, 0.0101);
            assertEquals(PerformanceEncoding.velocityBin(a.get(i).velocity()),
                    PerformanceEncoding.velocityBin(b.get(i).velocity()));
        }
    }

    /**
     * The piano-only encoding writes, id for id, what the code before drums wrote: the checksums were computed by that
     * code (commit 9cc4b5a, {@code MidiReader.sounding()} and {@code new PerformanceEncoding()}) over the synthetic
     * corpus of seed 7, 24 pieces, ids space-separated, a line per piece.
     */
    @Test
    void pianoOnlyEncodingIsTheSameIdForIdAsBeforeDrums() throws Exception {
        StringBuilder all = new StringBuilder();
        long count = 0;
        for (GeneratedPiece piece : new SyntheticCorpus(7).generate(24)) {
            int[] ids = piano.encode(MidiReader.sounding().read(piece.midi()));
            count += ids.length;
            for (int id : ids) {
                all.append(id).append(' ');
            }
            all.append('\n');
        }
        assertEquals(19455, count);
        assertEquals("da6e3fdafcad0eddcaacb44aa84851db9bc75e02bfd85cd79dc25d3d331811a6",
                Checksums.sha256(all.toString().getBytes(StandardCharsets.US_ASCII)));
        assertEquals("730ff132f1b22bd08a89c5cb0cbd49cf2a23d5a70ac4369a931e2af34ed6feb9",
                Checksums.sha256(piano.toBytes()), "the stored vocabulary of a performance corpus");
    }

    @Test
    void pianoOnlyEncodingIgnoresDrumsAndTheDrumsEncodingWritesThePianoAsBefore() throws Exception {
        for (int i = 0; i < 3; i++) {
            GeneratedPiece plain = new SyntheticCorpus(5).piece(i);
            GeneratedPiece grooved = new DrumGrooves(5).piece(i);
            Score plainScore = MidiReader.sounding().read(plain.midi());
            Score withHits = WITH_DRUMS.read(grooved.midi());
            assertTrue(withHits.hasDrums());
            int[] plainIds = piano.encode(plainScore);
            assertArrayEquals(plainIds, piano.encode(withHits), "the piano-only encoding reads no drum hit");
            assertArrayEquals(plainIds, piano.encode(MidiReader.sounding().read(grooved.midi())));
            int[] drumIds = drums.encode(withHits);
            assertArrayEquals(plainIds, drums.encode(plainScore), "without hits both encodings write the same");
            assertTrue(drumIds.length > plainIds.length);
        }
    }

    @Test
    void storedVocabulariesReadBackAsTheirEncodings() {
        Encoding readPiano = Encodings.read(piano.toBytes());
        Encoding readDrums = Encodings.read(drums.toBytes());
        assertInstanceOf(PerformanceEncoding.class, readPiano);
        assertInstanceOf(PerformanceEncoding.class, readDrums);
        assertEquals(Encodings.PERFORMANCE, readPiano.name());
        assertEquals(Encodings.PERFORMANCE_DRUMS, readDrums.name());
        assertFalse(((PerformanceEncoding) readPiano).hasDrums());
        assertTrue(((PerformanceEncoding) readDrums).hasDrums());
        assertEquals(388, readPiano.size());
        assertEquals(397, readDrums.size());
        assertArrayEquals(drums.toBytes(), readDrums.toBytes());
        assertFalse(java.util.Arrays.equals(piano.toBytes(), drums.toBytes()));
    }
}
