package org.musicgen.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.tokens.Token;
import org.musicgen.core.tokens.Tokenizer;

class SyntheticCorpusTest {

    private static final List<GeneratedPiece> PIECES = new SyntheticCorpus(2024).generate(24);

    @Test
    void sameSeedGivesByteIdenticalPieces() {
        List<GeneratedPiece> again = new SyntheticCorpus(2024).generate(24);
        for (int i = 0; i < PIECES.size(); i++) {
            assertEquals(PIECES.get(i).fileName(), again.get(i).fileName());
            assertArrayEquals(PIECES.get(i).midi(), again.get(i).midi(), PIECES.get(i).fileName());
        }
        // a piece does not depend on how many were requested
        assertEquals(PIECES.get(3), new SyntheticCorpus(2024).piece(3));
    }

    @Test
    void differentSeedsGiveDifferentMusic() {
        List<GeneratedPiece> other = new SyntheticCorpus(2025).generate(24);
        long same = 0;
        for (int i = 0; i < PIECES.size(); i++) {
            if (PIECES.get(i).equals(other.get(i))) {
                same++;
            }
        }
        assertEquals(0, same);
    }

    @Test
    void fileNamesNameIndexAndKeyAndCoverSeveralKeys() {
        assertTrue(PIECES.get(7).fileName().matches("piece-007-[a-z]+(-flat)?-(major|minor)\\.mid"),
                PIECES.get(7).fileName());
        Set<String> keys = new HashSet<>();
        for (GeneratedPiece p : PIECES) {
            keys.add(SyntheticCorpus.keyOf(p).name());
        }
        assertEquals(12, keys.size());
    }

    @Test
    void aPieceCanBeComposedInANamedKey() throws Exception {
        SyntheticCorpus corpus = new SyntheticCorpus(2024);
        GeneratedPiece inA = corpus.piece(3, "a-minor");
        assertEquals("a-minor", SyntheticCorpus.keyOf(inA).name());
        assertEquals(inA, corpus.piece(3, "a-minor"));
        // the same choices in another key: other pitches
        List<Note> a = new MidiReader().read(inA.midi()).notes();
        List<Note> e = new MidiReader().read(corpus.piece(3, "e-minor").midi()).notes();
        assertFalse(a.equals(e));
        assertTrue(e.stream().filter(n -> Key.byName("e-minor").inKey(n.pitch())).count() >= 0.95 * e.size());
        long inKey = a.stream().filter(n -> Key.byName("a-minor").inKey(n.pitch())).count();
        assertTrue(inKey >= 0.95 * a.size(), inKey + " of " + a.size() + " notes in A minor");
        assertEquals(12, SyntheticCorpus.KEYS.size());
        assertTrue(SyntheticCorpus.KEYS.contains("c-major"));
        assertThrows(IllegalArgumentException.class, () -> corpus.piece(3, "h-major"));
    }

    @Test
    void piecesParseBackAndAreLongEnough() throws Exception {
        Tokenizer tokenizer = new Tokenizer();
        for (GeneratedPiece p : PIECES) {
            Score score = new MidiReader().read(p.midi());
            List<Token> tokens = tokenizer.tokenize(score);
            assertTrue(tokens.size() > 120, p.fileName() + " has only " + tokens.size() + " tokens");
            double bars = score.notes().stream().mapToLong(Note::endTick).max().orElseThrow() / (4.0 * score.ticksPerBeat());
            assertTrue(bars >= 8 && bars <= 24, p.fileName() + " has " + bars + " bars");
            assertTrue(score.lengthSeconds() > 10, p.fileName());
        }
    }

    @Test
    void notesStayInTheKey() throws Exception {
        for (GeneratedPiece p : PIECES) {
            Key key = SyntheticCorpus.keyOf(p);
            List<Note> notes = new MidiReader().read(p.midi()).notes();
            long inKey = notes.stream().filter(n -> key.inKey(n.pitch())).count();
            assertTrue(inKey >= 0.95 * notes.size(), p.fileName() + ": " + inKey + " of " + notes.size() + " in key");
            // the tonic is one of the four most used pitch classes (dominant-heavy phrases may outnumber it)
            Map<Integer, Integer> pcs = new HashMap<>();
            notes.forEach(n -> pcs.merge(n.pitch() % 12, 1, Integer::sum));
            int tonicCount = pcs.getOrDefault(key.tonicPc(), 0);
            long moreFrequent = pcs.values().stream().filter(c -> c > tonicCount).count();
            assertTrue(moreFrequent <= 3, p.fileName() + ": tonic is not among the four most used pitch classes " + pcs);
        }
    }

    @Test
    void piecesRepeatMaterial() throws Exception {
        // coherent pieces reuse phrases: many 8-token windows occur more than once within a piece
        Tokenizer tokenizer = new Tokenizer();
        for (GeneratedPiece p : PIECES) {
            List<String> texts = tokenizer.tokenize(new MidiReader().read(p.midi())).stream().map(Token::text).toList();
            Set<List<String>> seen = new HashSet<>();
            int repeats = 0;
            for (int i = 0; i + 8 <= texts.size(); i++) {
                if (!seen.add(texts.subList(i, i + 8))) {
                    repeats++;
                }
            }
            assertTrue(repeats >= texts.size() / 10, p.fileName() + ": only " + repeats + " repeated windows");
        }
    }

    @Test
    void piecesEndOnTheTonicChord() throws Exception {
        for (GeneratedPiece p : PIECES) {
            Key key = SyntheticCorpus.keyOf(p);
            List<Note> notes = new MidiReader().read(p.midi()).notes();
            long lastOnset = notes.get(notes.size() - 1).onsetTick();
            long barStart = lastOnset - lastOnset % (4L * 480);
            List<Note> lastBarBass = notes.stream().filter(n -> n.onsetTick() == barStart && n.channel() == 1).toList();
            assertFalse(lastBarBass.isEmpty(), p.fileName());
            int lowest = lastBarBass.stream().mapToInt(Note::pitch).min().orElseThrow();
            assertEquals(key.tonicPc(), lowest % 12, p.fileName());
        }
    }
}
