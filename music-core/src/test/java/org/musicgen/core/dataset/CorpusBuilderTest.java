package org.musicgen.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.core.tokens.Segmenter;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.encoding.SeedEncoding;
import org.musicgen.core.tokens.Tokenizer;
import org.musicgen.core.tokens.Vocabulary;

class CorpusBuilderTest {

    private static final List<GeneratedPiece> PIECES = new SyntheticCorpus(11).generate(3);

    @Test
    void acceptsGoodFilesRejectsBadOnesAndBuildsSequences() throws Exception {
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.defaults());

        FileOutcome first = builder.add(PIECES.get(0).fileName(), PIECES.get(0).midi());
        FileOutcome junk = builder.add("notes.txt", "hello".getBytes());
        byte[] midi = PIECES.get(1).midi();
        FileOutcome cut = builder.add("cut.mid", Arrays.copyOf(midi, midi.length / 2));
        FileOutcome second = builder.add(PIECES.get(1).fileName(), midi);
        FileOutcome again = builder.add("copy.mid", PIECES.get(0).midi());

        assertTrue(first.accepted());
        assertNull(first.reason());
        assertEquals(Checksums.sha256(PIECES.get(0).midi()), first.sha256());
        assertEquals(64, first.sha256().length());
        assertTrue(first.notes() > 0);
        assertFalse(junk.accepted());
        assertEquals("not a Standard MIDI File: missing MThd header", junk.reason());
        assertFalse(cut.accepted());
        assertTrue(cut.reason().startsWith("truncated: track 2 declares"), cut.reason());
        assertTrue(second.accepted());
        assertFalse(again.accepted());
        assertTrue(again.reason().contains("duplicate"), again.reason());

        CorpusDataset data = builder.build();

        assertEquals(Encodings.PERFORMANCE, data.encoding().name());
        assertEquals(List.of(first.fileName(), second.fileName()),
                data.sources().stream().map(SourceFile::fileName).toList());
        int[] firstEvents = data.encoding().encode(MidiReader.sounding().read(PIECES.get(0).midi()));
        SourceFile s0 = data.sources().get(0);
        assertEquals(firstEvents.length, s0.tokens());
        assertEquals(0, s0.unknown());
        assertEquals(0.0, data.unknownShare());
        // a window holds 100 notes' worth of events of this corpus, and windows overlap by half
        long events = data.sources().stream().mapToLong(SourceFile::tokens).sum();
        long notes = data.sources().stream().mapToLong(SourceFile::notes).sum();
        int length = (int) Math.round(100.0 * events / notes);
        assertEquals(length, data.sequences().sequenceLength());
        assertEquals(new Segmenter(length, length / 2).count(firstEvents.length), s0.sequences());
        assertEquals(s0.sequences() + data.sources().get(1).sequences(), data.sequences().size());
        int[] sources = data.sequences().sourceIndex();
        assertEquals(0, sources[0]);
        assertEquals(1, sources[sources.length - 1]);
        assertArrayEquals(Arrays.copyOf(firstEvents, length), data.sequences().sequences().get(0));
        // the notes are kept as read, so another encoding needs no re-upload
        assertEquals(2, data.pieces().size());
        assertEquals(first.notes(), data.pieces().get(0).notes().size());
        assertEquals(data.pieces(), NotesCodec.decode(NotesCodec.encode(data.pieces())));
    }

    @Test
    void seedEncodingKeepsTheStudysTokensAndWindows() throws Exception {
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.of(Encodings.SEED));
        for (GeneratedPiece p : PIECES) {
            assertTrue(builder.add(p.fileName(), p.midi()).accepted());
        }

        CorpusDataset data = builder.build();

        assertEquals(Encodings.SEED, data.encoding().name());
        assertEquals(100, data.sequences().sequenceLength());
        Vocabulary vocabulary = ((SeedEncoding) data.encoding()).vocabulary();
        List<String> firstTokens = new Tokenizer().tokenize(new MidiReader().read(PIECES.get(0).midi()))
                .subList(0, 100).stream().map(t -> t.text()).toList();
        assertEquals(firstTokens, Arrays.stream(data.sequences().sequences().get(0))
                .mapToObj(vocabulary::tokenAt).toList());
        for (int[] seq : data.sequences().sequences()) {
            for (int id : seq) {
                assertTrue(id > 0 && id < vocabulary.size(), "nothing unknown with minTokenCount 1");
            }
        }
        assertEquals(data.encoding(), Encodings.read(data.encoding().toBytes()));
    }

    @Test
    void shortFileIsAcceptedButContributesNoSequence() {
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.of(Encodings.SEED));
        byte[] tiny = new MidiWriter().write(new Score(480, List.of(new Note(60, 80, 0, 0, 480, 0, 0.5))));

        FileOutcome outcome = builder.add("tiny.mid", tiny);
        CorpusDataset data = builder.build();

        assertTrue(outcome.accepted());
        assertEquals(1, data.sources().get(0).tokens());
        assertEquals(0, data.sequences().size());
        assertEquals(0, data.sources().get(0).sequences());
        assertEquals(2, data.encoding().size());
    }

    @Test
    void eachAcceptedPieceKeepsItsLabel() {
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.defaults());
        Score one = new Score(480, List.of(new Note(60, 80, 0, 0, 480, 0, 0.5)));
        Score two = new Score(480, List.of(new Note(62, 80, 0, 0, 480, 0, 0.5)));
        Score three = new Score(480, List.of(new Note(64, 80, 0, 0, 480, 0, 0.5)));
        builder.add("a.mid", new MidiWriter().write(one), " Chopin ");
        builder.add("b.mid", new MidiWriter().write(two), "");
        builder.add("c.mid", new MidiWriter().write(three), "Chopin");
        assertThrows(IllegalArgumentException.class, () -> builder.add("d.mid", new byte[0], "a|b"));

        CorpusDataset data = builder.build();

        assertEquals(List.of("Chopin", "none", "Chopin"),
                data.sources().stream().map(s -> s.label() == null ? "none" : s.label()).toList());
        assertEquals(java.util.Map.of("Chopin", 2), data.labelCounts());
        assertNull(new SourceFile("old.mid", "00", 1, 1, 0, 0).label(), "a piece without a label");
    }

    @Test
    void buildWithoutValidFileFails() {
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.defaults());
        assertFalse(builder.add("empty.mid", new byte[0]).accepted());
        assertFalse(builder.add("null.mid", null).accepted());

        IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
        assertEquals("no valid MIDI file in the corpus", e.getMessage());
    }

    @Test
    void optionsAreValidated() {
        assertEquals(new CorpusOptions("performance", 100, 0, 0, 4, 64, 4096, 1), CorpusOptions.defaults());
        assertEquals(350, CorpusOptions.defaults().windowLength(3500, 1000));
        assertEquals(175, CorpusOptions.defaults().strideFor(350));
        assertEquals(100, CorpusOptions.of("seed").windowLength(3500, 1000));
        assertThrows(IllegalArgumentException.class, () -> CorpusOptions.of("midi-like"));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(1, 50, 4, 64, 4096, 1));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(100, 0, 4, 64, 4096, 1));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(100, 50, 0, 64, 4096, 1));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(100, 50, 4, 0, 4096, 1));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(100, 50, 4, 64, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(100, 50, 4, 64, 4096, 0));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions("performance", 1, 0, 0, 4, 64, 4096, 1));
    }

    @Test
    void smallVocabularyMapsRareTokensToUnknownAndCodecCarriesTheResult() {
        CorpusBuilder builder = new CorpusBuilder(new CorpusOptions(16, 16, 4, 64, 8, 1));
        for (GeneratedPiece p : PIECES) {
            assertTrue(builder.add(p.fileName(), p.midi()).accepted());
        }

        CorpusDataset data = builder.build();

        assertEquals(8, data.encoding().size());
        assertTrue(data.unknownShare() > 0);
        assertTrue(data.sequences().sequences().stream().flatMapToInt(Arrays::stream).anyMatch(id -> id == 0));
        SequenceSet back = SequenceCodec.decode(SequenceCodec.encode(data.sequences()));
        assertEquals(data.sequences(), back);
        assertArrayEquals(data.sequences().sourceIndex(), back.sourceIndex());
    }

    @Test
    void drumHitsAreKeptWithDrumsAndEachFileSaysWhatWasLeftOutWithout() throws Exception {
        GeneratedPiece groove = new org.musicgen.core.synth.DrumGrooves(11).piece(0);
        byte[] drumsOnly = new MidiWriter().write(org.musicgen.core.synth.DrumGrooves.grooveOnly(30,
                new java.util.Random(2)));
        int hits = org.musicgen.core.midi.DrumKit.hits(MidiReader.sounding().withDrums().read(groove.midi()));
        int pianoNotes = MidiReader.sounding().read(groove.midi()).notes().size();

        CorpusBuilder withDrums = new CorpusBuilder(CorpusOptions.of(Encodings.PERFORMANCE_DRUMS));
        FileOutcome kept = withDrums.add(groove.fileName(), groove.midi());
        assertEquals(pianoNotes, kept.notes(), "notes are the piano's");
        assertEquals(hits, kept.drumHits());
        assertEquals("", kept.instruments());
        assertTrue(withDrums.add("drums.mid", drumsOnly).accepted(), "drums alone are music with drums");
        SourceFile source = withDrums.build().sources().get(0);
        assertEquals(hits, source.drumHits());
        assertEquals(pianoNotes, source.notes());

        CorpusBuilder piano = new CorpusBuilder(CorpusOptions.of(Encodings.PERFORMANCE));
        FileOutcome leftOut = piano.add(groove.fileName(), groove.midi());
        assertEquals(0, leftOut.drumHits());
        assertEquals(hits + " drum hits left out (the performance-drums encoding keeps them)", leftOut.instruments());
        FileOutcome refused = piano.add("drums.mid", drumsOnly);
        assertFalse(refused.accepted());
        assertTrue(refused.reason().startsWith(MidiReader.DRUMS_ONLY), refused.reason());
        assertTrue(refused.reason().endsWith("; the performance encoding has no drums: upload it in the "
                + "performance-drums encoding to keep them"), refused.reason());
        assertEquals(leftOut.instruments(), piano.build().sources().get(0).instruments());
    }
}
