package org.musicgen.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.core.tokens.Token;
import org.musicgen.core.tokens.Tokenizer;
import org.musicgen.core.tokens.Vocabulary;

class SampleMetricsTest {

    private static final double EPS = 1e-12;
    private final SampleMetrics metrics = new SampleMetrics();
    private final Tokenizer tokenizer = new Tokenizer();

    /** Score from {pitch, onsetTick, durationTicks} triples. */
    private static Score score(int ticksPerBeat, int[]... notes) {
        List<Note> list = new ArrayList<>();
        for (int[] n : notes) {
            list.add(new Note(n[0], 80, 0, n[1], n[2], 0, 0));
        }
        return new Score(ticksPerBeat, list);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void cMajorScale() {
        int[] pitches = {60, 62, 64, 65, 67, 69, 71};
        int[][] notes = new int[7][];
        for (int i = 0; i < 7; i++) {
            notes[i] = new int[] {pitches[i], i, 1};
        }
        SampleMetrics.Values v = metrics.of(score(1, notes), new int[] {1, 2, 3, 4, 5, 6, 7});
        assertEquals(11, v.pitchRange(), EPS);
        assertEquals(7, v.distinctPitchClasses(), EPS);
        assertEquals(log2(7), v.pitchClassEntropy(), EPS);
        assertEquals(1.0, v.scaleConsistency(), EPS);
        assertEquals(1.0, v.polyphony(), EPS);
        assertEquals(0.0, v.emptyBeatRate(), EPS);
        assertEquals(0, v.longestRepeatedNgram(), EPS);
        assertEquals(0.0, v.repetitionRate(), EPS);
        assertTrue(Double.isNaN(v.copiedShare()));
    }

    @Test
    void singleRepeatedNoteFromTokens() {
        List<Token> tokens = List.of(Token.note(60, 4), Token.note(60, 4), Token.note(60, 4), Token.note(60, 4),
                Token.note(60, 4));
        SampleMetrics.Values v = metrics.of(tokens, tokenizer);
        assertEquals(0, v.pitchRange(), EPS);
        assertEquals(1, v.distinctPitchClasses(), EPS);
        assertEquals(0.0, v.pitchClassEntropy(), EPS);
        assertEquals(1.0, v.scaleConsistency(), EPS);
        assertEquals(1.0, v.polyphony(), EPS);
        assertEquals(0.0, v.emptyBeatRate(), EPS);
        // overlapping occurrences count: tokens 0..3 and 1..4
        assertEquals(4, v.longestRepeatedNgram(), EPS);
        // two 4-gram positions, the second repeats the first
        assertEquals(0.5, v.repetitionRate(), EPS);
    }

    @Test
    void chordPolyphonyAndEmptyBeats() {
        SampleMetrics.Values chord = metrics.of(List.of(Token.sounding(new int[] {60, 64, 67}, 4, 4)), tokenizer);
        assertEquals(3.0, chord.polyphony(), EPS);
        assertEquals(0.0, chord.emptyBeatRate(), EPS);

        // chord for beat 0, silence in beat 1, a note in beat 2: 16 note-steps over 8 sounding steps
        SampleMetrics.Values v = metrics.of(List.of(Token.sounding(new int[] {60, 64, 67}, 4, 4), Token.rest(4),
                Token.note(72, 4)), tokenizer);
        assertEquals(2.0, v.polyphony(), EPS);
        assertEquals(1.0 / 3, v.emptyBeatRate(), EPS);
        assertEquals(12, v.pitchRange(), EPS);
        assertEquals(3, v.distinctPitchClasses(), EPS);
        assertEquals(-(0.5 * log2(0.5) + 2 * 0.25 * log2(0.25)), v.pitchClassEntropy(), EPS);
    }

    @Test
    void emptyBeatsCountFromTheFirstOnsetBeatToTheLastEnd() {
        // two ticks per beat; notes in beats 1 and 4, span beats 1..4: beats 2 and 3 are empty
        Score s = score(2, new int[] {60, 3, 1}, new int[] {62, 8, 2});
        SampleMetrics.Values v = metrics.of(s, new int[0]);
        assertEquals(0.5, v.emptyBeatRate(), EPS);
        // a note of 0 ticks still occupies one tick and its beat
        assertEquals(0.0, metrics.of(score(2, new int[] {60, 0, 0}), new int[0]).emptyBeatRate(), EPS);
    }

    @Test
    void scaleConsistencyOfChromaticMaterial() {
        // C C# D E: no diatonic scale holds three consecutive semitones, the best (e.g. C major) holds 3 of 4
        Score s = score(1, new int[] {60, 0, 1}, new int[] {61, 1, 1}, new int[] {62, 2, 1}, new int[] {64, 3, 1});
        SampleMetrics.Values v = metrics.of(s, new int[0]);
        assertEquals(0.75, v.scaleConsistency(), EPS);
        assertEquals(2.0, v.pitchClassEntropy(), EPS);
        // all twelve pitch classes once: log2(12) bits, 7 of 12 fit a scale
        int[][] chromatic = new int[12][];
        for (int i = 0; i < 12; i++) {
            chromatic[i] = new int[] {60 + i, i, 1};
        }
        SampleMetrics.Values all = metrics.of(score(1, chromatic), new int[0]);
        assertEquals(log2(12), all.pitchClassEntropy(), EPS);
        assertEquals(7.0 / 12, all.scaleConsistency(), EPS);
        assertEquals(12, all.distinctPitchClasses(), EPS);
    }

    @Test
    void longestRepeatedNgram() {
        assertEquals(3, SampleMetrics.longestRepeat(new int[] {1, 2, 3, 9, 1, 2, 3, 8, 2, 3}));
        assertEquals(3, SampleMetrics.longestRepeat(new int[] {5, 5, 5, 5}));
        assertEquals(4, SampleMetrics.longestRepeat(new int[] {7, 1, 2, 1, 2, 1, 2}));
        assertEquals(0, SampleMetrics.longestRepeat(new int[] {1, 2, 3, 4}));
        assertEquals(0, SampleMetrics.longestRepeat(new int[0]));
        assertEquals(0, SampleMetrics.longestRepeat(new int[] {4}));
    }

    @Test
    void repetitionRate() {
        // 4-grams 1234 2341 3412 4123 1234 2341: the last two occurred before
        assertEquals(2.0 / 6, SampleMetrics.repetitionRate(new int[] {1, 2, 3, 4, 1, 2, 3, 4, 1}, 4), EPS);
        assertTrue(Double.isNaN(SampleMetrics.repetitionRate(new int[] {1, 2, 3}, 4)));
        assertEquals(0.5, new SampleMetrics(1).of(score(1), new int[] {3, 3, 4, 4}).repetitionRate(), EPS);
    }

    @Test
    void copiedShareAgainstTrainingNgrams() {
        int[] training = new int[20];
        for (int i = 0; i < 20; i++) {
            training[i] = i + 1;
        }
        TrainingNgramIndex index = TrainingNgramIndex.build(List.of(training, new int[] {1, 2}));
        assertEquals(8, index.n());
        assertEquals(13, index.size());
        assertEquals(1.0, index.copiedShare(training), EPS);
        assertEquals(1.0, index.copiedShare(new int[] {3, 4, 5, 6, 7, 8, 9, 10, 11}), EPS);
        int[] reversed = new int[20];
        for (int i = 0; i < 20; i++) {
            reversed[i] = 20 - i;
        }
        assertEquals(0.0, index.copiedShare(reversed), EPS);
        // 4 positions: 1..8 and 2..9 are copied, the two reaching into 50, 51 are not
        assertEquals(0.5, index.copiedShare(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 51}), EPS);
        assertTrue(Double.isNaN(index.copiedShare(new int[] {1, 2, 3})));
        // n-grams do not span sequences
        TrainingNgramIndex pairs = TrainingNgramIndex.build(List.of(new int[] {1, 2}, new int[] {3, 4}), 2);
        assertEquals(0.0, pairs.copiedShare(new int[] {2, 3}), EPS);
        assertThrows(IllegalArgumentException.class, () -> TrainingNgramIndex.build(List.of(training), 0));
    }

    @Test
    void copiedShareOfSyntheticPiecesWithVocabulary() throws Exception {
        List<List<Token>> pieces = new ArrayList<>();
        for (GeneratedPiece p : new SyntheticCorpus(7).generate(6)) {
            pieces.add(tokenizer.tokenize(new MidiReader().read(p.midi())));
        }
        Vocabulary vocabulary = Vocabulary.fromTokens(pieces, 10_000, 1);
        List<int[]> ids = pieces.stream().map(vocabulary::encode).toList();
        TrainingNgramIndex index = TrainingNgramIndex.build(ids.subList(0, 5));

        SampleMetrics.Values copy = metrics.of(ids.get(2), vocabulary, tokenizer, index);
        assertEquals(1.0, copy.copiedShare(), EPS);
        assertEquals(copy, metrics.of(pieces.get(2), tokenizer, vocabulary, index));
        SampleMetrics.Values unseen = metrics.of(ids.get(5), vocabulary, tokenizer, index);
        assertTrue(unseen.copiedShare() < 0.5, "held-out piece copies " + unseen.copiedShare());
        // the same metrics as from the tokens themselves, except copying
        SampleMetrics.Values fromTokens = metrics.of(pieces.get(2), tokenizer);
        assertEquals(fromTokens.asMap(), metrics.of(ids.get(2), vocabulary, tokenizer).asMap());
        // synthetic pieces are tonal, mostly one hand plus accompaniment, and repeat phrases
        assertTrue(copy.scaleConsistency() >= 0.95, copy.toString());
        assertTrue(copy.polyphony() > 1 && copy.polyphony() < 4, copy.toString());
        assertTrue(copy.longestRepeatedNgram() >= 8, copy.toString());
    }

    @Test
    void asMapUsesStableNamesAndLeavesOutUndefinedValues() {
        SampleMetrics.Values v = metrics.of(List.of(Token.note(60, 4), Token.note(64, 4)), tokenizer);
        Map<String, Double> map = v.asMap();
        assertEquals(List.of("pitch_range", "distinct_pitch_classes", "pitch_class_entropy", "scale_consistency",
                "polyphony", "empty_beat_rate", "longest_repeated_ngram"), List.copyOf(map.keySet()));
        assertEquals(4.0, map.get("pitch_range"), EPS);
        assertFalse(map.containsKey("copied_share"));
        assertFalse(map.containsKey("repetition_rate")); // fewer than four tokens
        assertTrue(Double.isNaN(v.get("copied_share")));
        assertEquals(9, SampleMetrics.Values.NAMES.size());
        assertThrows(IllegalArgumentException.class, () -> v.get("nope"));
        assertThrows(UnsupportedOperationException.class, () -> map.put("x", 1.0));
    }

    @Test
    void emptySampleHasUndefinedNoteMetrics() {
        SampleMetrics.Values v = metrics.of(List.of(), tokenizer);
        assertEquals(Map.of("distinct_pitch_classes", 0.0, "longest_repeated_ngram", 0.0), v.asMap());
    }

    @Test
    void meanSkipsUndefinedValues() {
        SampleMetrics.Values a = new SampleMetrics.Values(10, 7, 2, 1, 1, 0, 4, 0.5, Double.NaN);
        SampleMetrics.Values b = new SampleMetrics.Values(20, 5, 1, 0.5, 3, 0.5, 8, 0.25, 0.75);
        SampleMetrics.Values m = SampleMetrics.mean(List.of(a, b));
        assertEquals(new SampleMetrics.Values(15, 6, 1.5, 0.75, 2, 0.25, 6, 0.375, 0.75), m);
        assertTrue(Double.isNaN(SampleMetrics.mean(List.of()).pitchRange()));
    }

    @Test
    void corpusMeanOverTrainingWindows() throws Exception {
        List<List<Token>> pieces = new ArrayList<>();
        for (GeneratedPiece p : new SyntheticCorpus(11).generate(4)) {
            pieces.add(tokenizer.tokenize(new MidiReader().read(p.midi())));
        }
        Vocabulary vocabulary = Vocabulary.fromTokens(pieces, 10_000, 1);
        List<int[]> windows = new ArrayList<>();
        for (List<Token> piece : pieces) {
            int[] ids = vocabulary.encode(piece);
            for (int from = 0; from + 64 <= ids.length; from += 64) {
                windows.add(java.util.Arrays.copyOfRange(ids, from, from + 64));
            }
        }
        SampleMetrics.Values corpus = metrics.corpusMean(windows, vocabulary, tokenizer);
        List<SampleMetrics.Values> each = windows.stream().map(w -> metrics.of(w, vocabulary, tokenizer)).toList();
        assertEquals(SampleMetrics.mean(each), corpus);
        assertTrue(Double.isNaN(corpus.copiedShare()));
        assertTrue(corpus.scaleConsistency() > 0.9 && corpus.scaleConsistency() <= 1, corpus.toString());
        assertTrue(corpus.distinctPitchClasses() >= 5, corpus.toString());
    }

    @Test
    void rejectsInvalidN() {
        assertThrows(IllegalArgumentException.class, () -> new SampleMetrics(0));
    }
}
