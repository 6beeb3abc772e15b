package org.musicgen.core.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.core.synth.GeneratedPiece;

class TokenizerTest {

    private final Tokenizer tokenizer = new Tokenizer();

    /** Score with one tick per sixteenth step, so tick values read as grid steps. */
    private static Score steps(int[]... notes) {
        List<Note> list = new ArrayList<>();
        for (int[] n : notes) {
            list.add(new Note(n[0], 80, 0, n[1], n[2], 0, 0));
        }
        return new Score(4, list);
    }

    private static List<String> texts(List<Token> tokens) {
        return tokens.stream().map(Token::text).toList();
    }

    @Test
    void chordAndDifferentDurationsAtOneOnset() {
        Score s = steps(new int[] {48, 0, 16}, new int[] {52, 0, 16}, new int[] {55, 0, 16}, new int[] {72, 0, 4},
                new int[] {74, 4, 4});

        assertEquals(List.of("c48.52.55:16+0", "n72:4", "n74:4"), texts(tokenizer.tokenize(s)));
    }

    @Test
    void tokensAtOneOnsetAreOrderedByDurationDescending() {
        Score s = steps(new int[] {72, 0, 2}, new int[] {60, 0, 8}, new int[] {64, 0, 4}, new int[] {67, 0, 4});

        assertEquals(List.of("n60:8+0", "c64.67:4+0", "n72:2"), texts(tokenizer.tokenize(s)));
    }

    @Test
    void gapLongerThanDurationIsFilledWithRests() {
        Score s = steps(new int[] {60, 0, 2}, new int[] {62, 8, 4});

        assertEquals(List.of("n60:2", "r:6", "n62:4"), texts(tokenizer.tokenize(s)));
    }

    @Test
    void longRestsAreSplitAtMaxSteps() {
        Score s = steps(new int[] {60, 0, 2}, new int[] {62, 30, 4});

        assertEquals(List.of("n60:2", "r:8", "r:8", "r:8", "r:4", "n62:4"), texts(new Tokenizer(4, 8).tokenize(s)));
    }

    @Test
    void nextOnsetBeforeTheEndAdvancesByTheGap() {
        Score s = steps(new int[] {60, 0, 8}, new int[] {64, 2, 2});

        assertEquals(List.of("n60:8+2", "n64:2"), texts(tokenizer.tokenize(s)));
    }

    @Test
    void onsetsAndDurationsAreQuantisedAndClamped() {
        Score s = new Score(480, List.of(
                new Note(60, 80, 0, 118, 10, 0, 0),       // onset ~1 step, duration rounds to 0 -> 1
                new Note(62, 80, 0, 475, 10_000, 0, 0),   // onset ~4 steps, 83 steps -> clamped to 64
                new Note(64, 80, 0, 1205, 250, 0, 0)));   // onset ~10 steps, ~2 steps

        assertEquals(List.of("n60:1", "r:2", "n62:64+6", "n64:2"), texts(tokenizer.tokenize(s)));
    }

    @Test
    void duplicatePitchesCollapseAndLeadingSilenceIsDropped() {
        Score s = steps(new int[] {60, 32, 4}, new int[] {60, 32, 4}, new int[] {64, 32, 4});

        List<Token> tokens = tokenizer.tokenize(s);
        assertEquals(List.of("c60.64:4"), texts(tokens));
        assertEquals(0, tokenizer.detokenize(tokens, 480).notes().get(0).onsetTick());
    }

    @Test
    void detokenizeReplaysTheCursor() {
        List<Token> tokens = List.of(Token.parse("c48.52:8+0"), Token.parse("n60:4"), Token.parse("r:4"),
                Token.parse("n62:4"));

        Score s = tokenizer.detokenize(tokens, 480);

        assertEquals(480, s.ticksPerBeat());
        List<String> got = s.notes().stream().map(n -> n.pitch() + "@" + n.onsetTick() + "/" + n.durationTicks()
                + " v" + n.velocity()).toList();
        assertEquals(List.of("48@0/960 v80", "52@0/960 v80", "60@0/480 v80", "62@960/480 v80"), got);
        assertEquals(1.5, s.lengthSeconds(), 1e-9); // 3 beats at 120 bpm
    }

    @Test
    void emptyScoreGivesNoTokensAndBadSettingsAreRejected() {
        assertTrue(tokenizer.tokenize(new Score(480, List.of())).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new Tokenizer(0, 64));
        assertThrows(IllegalArgumentException.class, () -> new Tokenizer(4, 0));
    }

    /** Hand-made two-voice passage, slightly off the grid (as if played), with rests. */
    private static Score humanised() {
        int tpb = 480;
        List<Note> notes = new ArrayList<>();
        int[][] voices = {
            // pitch, onset step, duration steps
            {48, 0, 16}, {52, 0, 16}, {55, 0, 16}, {72, 0, 4}, {74, 4, 2}, {76, 6, 2}, {77, 8, 8},
            {43, 16, 8}, {79, 16, 2}, {77, 18, 2}, {76, 20, 4}, {50, 24, 8}, {53, 24, 4},
            {60, 36, 4}, {60, 40, 12}, {64, 44, 4}, {67, 44, 4}, {72, 48, 64}, {48, 48, 2}, {36, 120, 6},
        };
        int wobble = 0;
        for (int[] v : voices) {
            wobble = (wobble + 7) % 23 - 11; // deterministic +-11 ticks off the grid
            long on = Math.max(0, v[1] * 120L + wobble + 40);
            notes.add(new Note(v[0], 64 + v[0] % 30, v[0] < 60 ? 1 : 0, on, v[2] * 120L - wobble, 0, 0));
        }
        return new Score(tpb, notes);
    }

    private static TreeSet<String> quantised(Score s, Tokenizer t) {
        long first = s.notes().stream().mapToLong(n -> t.toStep(n.onsetTick(), s.ticksPerBeat())).min().orElse(0);
        TreeSet<String> out = new TreeSet<>();
        for (Note n : s.notes()) {
            out.add(n.pitch() + "@" + (t.toStep(n.onsetTick(), s.ticksPerBeat()) - first) + "/"
                    + t.durationSteps(n.durationTicks(), s.ticksPerBeat()));
        }
        return out;
    }

    private void assertRoundTrip(byte[] midi) throws Exception {
        MidiReader reader = new MidiReader();
        MidiWriter writer = new MidiWriter();
        Score original = reader.read(midi);
        List<Token> tokens = tokenizer.tokenize(original);

        Score rebuilt = tokenizer.detokenize(tokens, 96);
        Score reread = reader.read(writer.write(rebuilt));
        List<Token> again = tokenizer.tokenize(reread);

        assertEquals(texts(tokens), texts(again));
        assertEquals(tokens, again);
        assertEquals(quantised(original, tokenizer), quantised(reread, tokenizer));
    }

    @Test
    void roundTripThroughMidiKeepsTokensAndQuantisedNotes() throws Exception {
        Score s = humanised();
        List<String> tokens = texts(tokenizer.tokenize(s));
        // the passage really exercises overlapping voices and rests
        assertTrue(tokens.contains("c48.52.55:16+0"), tokens.toString());
        assertTrue(tokens.stream().anyMatch(t -> t.startsWith("r:")), tokens.toString());
        assertTrue(tokens.contains("n60:4"), tokens.toString());

        assertRoundTrip(new MidiWriter().write(s));
    }

    @Test
    void roundTripOnSyntheticPieces() throws Exception {
        for (GeneratedPiece p : new SyntheticCorpus(7).generate(6)) {
            assertRoundTrip(p.midi());
        }
    }
}
