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
import org.musicgen.core.tokens.Tokenizer;

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
        assertEquals(CorpusBuilder.sha256(PIECES.get(0).midi()), first.sha256());
        assertEquals(64, first.sha256().length());
        int expectedTokens = new Tokenizer().tokenize(new MidiReader().read(PIECES.get(0).midi())).size();
        assertEquals(expectedTokens, first.tokens());
        assertTrue(first.notes() > 0);
        assertFalse(junk.accepted());
        assertEquals("not a Standard MIDI File: missing MThd header", junk.reason());
        assertEquals(0, junk.tokens());
        assertFalse(cut.accepted());
        assertTrue(cut.reason().startsWith("truncated: track 2 declares"), cut.reason());
        assertTrue(second.accepted());
        assertFalse(again.accepted());
        assertTrue(again.reason().contains("duplicate"), again.reason());

        CorpusDataset data = builder.build();

        assertEquals(List.of(first.fileName(), second.fileName()),
                data.sources().stream().map(SourceFile::fileName).toList());
        SourceFile s0 = data.sources().get(0);
        assertEquals(new Segmenter(100, 50).count(first.tokens()), s0.sequences());
        assertEquals(s0.sequences() + data.sources().get(1).sequences(), data.sequences().size());
        assertEquals(100, data.sequences().sequenceLength());
        int[] sources = data.sequences().sourceIndex();
        assertEquals(0, sources[0]);
        assertEquals(1, sources[sources.length - 1]);
        // every id is in the vocabulary, and with minTokenCount 1 nothing is unknown
        for (int[] seq : data.sequences().sequences()) {
            for (int id : seq) {
                assertTrue(id > 0 && id < data.vocabulary().size());
            }
        }
        // the first window is exactly the first 100 tokens of the first file
        List<String> firstTokens = new Tokenizer().tokenize(new MidiReader().read(PIECES.get(0).midi()))
                .subList(0, 100).stream().map(t -> t.text()).toList();
        assertEquals(firstTokens, Arrays.stream(data.sequences().sequences().get(0))
                .mapToObj(data.vocabulary()::tokenAt).toList());
    }

    @Test
    void shortFileIsAcceptedButContributesNoSequence() {
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.defaults());
        byte[] tiny = new MidiWriter().write(new Score(480, List.of(new Note(60, 80, 0, 0, 480, 0, 0.5))));

        FileOutcome outcome = builder.add("tiny.mid", tiny);
        CorpusDataset data = builder.build();

        assertTrue(outcome.accepted());
        assertEquals(1, outcome.tokens());
        assertTrue(outcome.reason().contains("contributes no sequences"), outcome.reason());
        assertEquals(0, data.sequences().size());
        assertEquals(0, data.sources().get(0).sequences());
        assertEquals(2, data.vocabulary().size());
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
        assertEquals(new CorpusOptions(100, 50, 4, 64, 4096, 1), CorpusOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(1, 50, 4, 64, 4096, 1));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(100, 0, 4, 64, 4096, 1));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(100, 50, 0, 64, 4096, 1));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(100, 50, 4, 0, 4096, 1));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(100, 50, 4, 64, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CorpusOptions(100, 50, 4, 64, 4096, 0));
    }

    @Test
    void smallVocabularyMapsRareTokensToUnknownAndCodecCarriesTheResult() {
        CorpusBuilder builder = new CorpusBuilder(new CorpusOptions(16, 16, 4, 64, 8, 1));
        for (GeneratedPiece p : PIECES) {
            assertTrue(builder.add(p.fileName(), p.midi()).accepted());
        }

        CorpusDataset data = builder.build();

        assertEquals(8, data.vocabulary().size());
        assertTrue(data.sequences().sequences().stream().flatMapToInt(Arrays::stream).anyMatch(id -> id == 0));
        SequenceSet back = SequenceCodec.decode(SequenceCodec.encode(data.sequences()));
        assertEquals(data.sequences(), back);
        assertArrayEquals(data.sequences().sourceIndex(), back.sourceIndex());
    }
}
