package org.musicgen.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.tokens.Token;
import org.musicgen.core.tokens.Tokenizer;
import org.musicgen.core.tokens.Vocabulary;

/**
 * Objective metrics of one generated sample (or one corpus piece, for comparison), computed from
 * its notes and its token ids. See {@link Values} for the names and definitions.
 *
 * <p>Pitch, polyphony and beat metrics use the {@link Score}; repetition and copying use the token
 * ids, so that a sample is compared with its training data in the vocabulary it was generated in.
 * An undefined value (e.g. the pitch range of a sample without notes, or {@code copied_share}
 * without a {@link TrainingNgramIndex}) is NaN. Instances are immutable and thread-safe.
 */
public final class SampleMetrics {

    public static final int DEFAULT_REPETITION_N = 4;

    /** Pitch classes of C major; the other keys are rotations. A natural minor is a rotation too. */
    private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] NATURAL_MINOR = {0, 2, 3, 5, 7, 8, 10};

    private final int repetitionN;

    /** Repetition rate over 4-grams. */
    public SampleMetrics() {
        this(DEFAULT_REPETITION_N);
    }

    /** @param repetitionN n-gram length for {@code repetition_rate}, at least 1 */
    public SampleMetrics(int repetitionN) {
        if (repetitionN < 1) {
            throw new IllegalArgumentException("repetitionN must be >= 1, was " + repetitionN);
        }
        this.repetitionN = repetitionN;
    }

    public int repetitionN() {
        return repetitionN;
    }

    /**
     * The metric values. {@link #asMap()} names them; an undefined value is NaN.
     *
     * @param pitchRange           {@code pitch_range}: highest minus lowest MIDI pitch, in semitones
     * @param distinctPitchClasses {@code distinct_pitch_classes}: pitch classes used, 0..12
     * @param pitchClassEntropy    {@code pitch_class_entropy}: Shannon entropy in bits of the notes'
     *                             pitch-class counts (each note counts once), 0..log2(12)
     * @param scaleConsistency     {@code scale_consistency}: the largest share of notes whose pitch
     *                             class belongs to one of the 24 major / natural-minor scales
     * @param polyphony            {@code polyphony}: mean number of notes sounding at once over the
     *                             ticks where at least one note sounds
     * @param emptyBeatRate        {@code empty_beat_rate}: share of the quarter-note beats from the
     *                             beat of the first onset to the beat of the last note end in which
     *                             no note sounds
     * @param longestRepeatedNgram {@code longest_repeated_ngram}: length in tokens of the longest
     *                             token sequence occurring at two positions (overlap allowed)
     * @param repetitionRate       {@code repetition_rate}: share of n-gram positions whose n-gram
     *                             occurred at an earlier position of the sample
     * @param copiedShare          {@code copied_share}: share of the sample's n-gram positions whose
     *                             n-gram occurs in the training data; NaN without an index
     */
    public record Values(double pitchRange, double distinctPitchClasses, double pitchClassEntropy,
                         double scaleConsistency, double polyphony, double emptyBeatRate,
                         double longestRepeatedNgram, double repetitionRate, double copiedShare) {

        /** Every metric name, in the order of the record components (and of {@link #asMap()}). */
        public static final List<String> NAMES = List.of("pitch_range", "distinct_pitch_classes",
                "pitch_class_entropy", "scale_consistency", "polyphony", "empty_beat_rate",
                "longest_repeated_ngram", "repetition_rate", "copied_share");

        /**
         * Name to value for every defined metric, in {@link #NAMES} order. NaN values are left out,
         * so the map serialises to plain JSON; a consumer should treat a missing name as "not
         * measured". Unmodifiable.
         */
        public Map<String, Double> asMap() {
            double[] v = toArray();
            Map<String, Double> map = new LinkedHashMap<>();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isNaN(v[i])) {
                    map.put(NAMES.get(i), v[i]);
                }
            }
            return Collections.unmodifiableMap(map);
        }

        /** The value of one metric by name, NaN when undefined. */
        public double get(String name) {
            int i = NAMES.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("unknown metric '" + name + "', expected one of " + NAMES);
            }
            return toArray()[i];
        }

        private double[] toArray() {
            return new double[] {pitchRange, distinctPitchClasses, pitchClassEntropy, scaleConsistency,
                polyphony, emptyBeatRate, longestRepeatedNgram, repetitionRate, copiedShare};
        }

        private static Values fromArray(double[] v) {
            return new Values(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
        }
    }

    /** Metrics of a score and its token ids; {@code copied_share} is NaN. */
    public Values of(Score score, int[] tokenIds) {
        return compute(score, tokenIds, Double.NaN);
    }

    /** Metrics of a score and its token ids, with {@code copied_share} against the training index. */
    public Values of(Score score, int[] tokenIds, TrainingNgramIndex training) {
        Objects.requireNonNull(training, "training");
        return compute(score, tokenIds, training.copiedShare(tokenIds));
    }

    /**
     * Metrics of a token sequence without a vocabulary: the tokens are replayed on a grid of one
     * tick per step, and tokens are compared by equality. {@code copied_share} is NaN.
     */
    public Values of(List<Token> tokens, Tokenizer tokenizer) {
        Map<Token, Integer> ids = new HashMap<>();
        int[] seq = new int[tokens.size()];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = ids.computeIfAbsent(tokens.get(i), t -> ids.size());
        }
        return of(tokenizer.detokenize(tokens, tokenizer.stepsPerBeat()), seq);
    }

    /**
     * Metrics of a token sequence with {@code copied_share}: the notes come from the tokens
     * themselves, the ids for repetition and copying from the vocabulary the index was built with.
     */
    public Values of(List<Token> tokens, Tokenizer tokenizer, Vocabulary vocabulary, TrainingNgramIndex training) {
        return of(tokenizer.detokenize(tokens, tokenizer.stepsPerBeat()), vocabulary.encode(tokens), training);
    }

    /**
     * Metrics of a sequence of vocabulary ids, e.g. a generated sample or a training window. The
     * notes come from decoding and replaying the ids ({@code <unk>} sounds nothing); repetition
     * counts every id, {@code <unk>} included. {@code copied_share} is NaN.
     */
    public Values of(int[] tokenIds, Vocabulary vocabulary, Tokenizer tokenizer) {
        return of(replay(tokenIds, vocabulary, tokenizer), tokenIds);
    }

    /** As {@link #of(int[], Vocabulary, Tokenizer)}, with {@code copied_share} against the index. */
    public Values of(int[] tokenIds, Vocabulary vocabulary, Tokenizer tokenizer, TrainingNgramIndex training) {
        return of(replay(tokenIds, vocabulary, tokenizer), tokenIds, training);
    }

    /** Metrics of ids in any encoding: the notes are the decoded score; repetition counts every id. */
    public Values of(int[] ids, Encoding encoding) {
        return of(encoding.decode(ids), ids);
    }

    /** As {@link #of(int[], Encoding)}, with {@code copied_share} against the index. */
    public Values of(int[] ids, Encoding encoding, TrainingNgramIndex training) {
        return of(encoding.decode(ids), ids, training);
    }

    /** The {@link #mean} over id sequences of any encoding; {@code copied_share} is NaN. */
    public Values corpusMean(List<int[]> sequences, Encoding encoding) {
        List<Values> all = new ArrayList<>(sequences.size());
        for (int[] s : sequences) {
            all.add(of(s, encoding));
        }
        return mean(all);
    }

    /**
     * The corpus value of every metric: the {@link #mean} over the given id sequences (pieces or
     * training windows). {@code copied_share} is NaN, as a corpus trivially copies itself.
     */
    public Values corpusMean(List<int[]> sequences, Vocabulary vocabulary, Tokenizer tokenizer) {
        List<Values> all = new ArrayList<>(sequences.size());
        for (int[] s : sequences) {
            all.add(of(s, vocabulary, tokenizer));
        }
        return mean(all);
    }

    /**
     * Per metric, the mean of the values that are defined (NaN ones are skipped, so one empty
     * sample does not blank the column); NaN where no value is defined.
     */
    public static Values mean(List<Values> values) {
        double[] sum = new double[Values.NAMES.size()];
        int[] count = new int[sum.length];
        for (Values v : values) {
            double[] a = v.toArray();
            for (int i = 0; i < a.length; i++) {
                if (!Double.isNaN(a[i])) {
                    sum[i] += a[i];
                    count[i]++;
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] = count[i] == 0 ? Double.NaN : sum[i] / count[i];
        }
        return Values.fromArray(sum);
    }

    private static Score replay(int[] tokenIds, Vocabulary vocabulary, Tokenizer tokenizer) {
        return tokenizer.detokenize(vocabulary.decode(tokenIds), tokenizer.stepsPerBeat());
    }

    private Values compute(Score score, int[] ids, double copiedShare) {
        List<Note> notes = score.piano().notes(); // pitch metrics of the piano: a drum's pitch names the drum
        int[] pcCounts = new int[12];
        int lo = 127;
        int hi = 0;
        for (Note n : notes) {
            pcCounts[n.pitch() % 12]++;
            lo = Math.min(lo, n.pitch());
            hi = Math.max(hi, n.pitch());
        }
        boolean empty = notes.isEmpty();
        return new Values(
                empty ? Double.NaN : hi - lo,
                Arrays.stream(pcCounts).filter(c -> c > 0).count(),
                empty ? Double.NaN : entropyBits(pcCounts, notes.size()),
                empty ? Double.NaN : scaleConsistency(pcCounts, notes.size()),
                polyphony(notes),
                emptyBeatRate(notes, score.ticksPerBeat()),
                longestRepeat(ids),
                repetitionRate(ids, repetitionN),
                copiedShare);
    }

    private static double entropyBits(int[] counts, int total) {
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return Math.max(0, h / Math.log(2)); // max: no -0.0 for a single pitch class
    }

    private static double scaleConsistency(int[] pcCounts, int total) {
        int best = 0;
        for (int[] scale : new int[][] {MAJOR, NATURAL_MINOR}) {
            for (int tonic = 0; tonic < 12; tonic++) {
                int fit = 0;
                for (int degree : scale) {
                    fit += pcCounts[(tonic + degree) % 12];
                }
                best = Math.max(best, fit);
            }
        }
        return (double) best / total;
    }

    /** A note of 0 ticks still sounds: it counts as 1 tick, as MIDI files write it. */
    private static long end(Note n) {
        return n.onsetTick() + Math.max(1, n.durationTicks());
    }

    /** Total sounding note-ticks over the length of the union of the note intervals. */
    private static double polyphony(List<Note> notes) {
        if (notes.isEmpty()) {
            return Double.NaN;
        }
        long noteTicks = 0;
        long covered = 0;
        long runStart = -1;
        long runEnd = -1;
        for (Note n : notes) { // sorted by onset
            noteTicks += end(n) - n.onsetTick();
            if (n.onsetTick() >= runEnd) {
                covered += runEnd - runStart;
                runStart = n.onsetTick();
                runEnd = end(n);
            } else {
                runEnd = Math.max(runEnd, end(n));
            }
        }
        covered += runEnd - runStart;
        return (double) noteTicks / covered;
    }

    /** Merges the beat ranges the notes touch; beat b is [b*tpb, (b+1)*tpb). */
    private static double emptyBeatRate(List<Note> notes, int ticksPerBeat) {
        if (notes.isEmpty()) {
            return Double.NaN;
        }
        long first = notes.get(0).onsetTick() / ticksPerBeat;
        long last = first;
        long covered = 0;
        long runStart = -1;
        long runEnd = -1; // exclusive, in beats
        for (Note n : notes) {
            long from = n.onsetTick() / ticksPerBeat;
            long to = Math.floorDiv(end(n) - 1, ticksPerBeat) + 1;
            last = Math.max(last, to);
            if (from >= runEnd) {
                covered += runEnd - runStart;
                runStart = from;
                runEnd = to;
            } else {
                runEnd = Math.max(runEnd, to);
            }
        }
        covered += runEnd - runStart;
        long beats = last - first;
        return (double) (beats - covered) / beats;
    }

    /**
     * Longest common prefix of two different suffixes, by dynamic programming over suffix pairs:
     * quadratic time, linear memory, fine for samples and pieces of a few thousand tokens.
     * {@code lcp[j]} holds the common prefix length of the suffixes at i and j.
     */
    static int longestRepeat(int[] ids) {
        int n = ids.length;
        int[] lcp = new int[n + 1];
        int best = 0;
        for (int i = n - 2; i >= 0; i--) {
            // ascending j reads lcp[j + 1] of row i + 1 before it is overwritten
            for (int j = i + 1; j < n; j++) {
                int v = ids[i] == ids[j] ? lcp[j + 1] + 1 : 0;
                lcp[j] = v;
                if (v > best) {
                    best = v;
                }
            }
        }
        return best;
    }

    static double repetitionRate(int[] ids, int n) {
        int positions = ids.length - n + 1;
        if (positions < 1) {
            return Double.NaN;
        }
        Set<Window> seen = new HashSet<>();
        int repeated = 0;
        for (int i = 0; i < positions; i++) {
            if (!seen.add(new Window(ids, i, n))) {
                repeated++;
            }
        }
        return (double) repeated / positions;
    }

    /** A view of {@code ids[from .. from+n)} with value equality, for hashing n-grams exactly. */
    private record Window(int[] ids, int from, int n) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Window w && w.n == n
                    && Arrays.equals(ids, from, from + n, w.ids, w.from, w.from + n);
        }

        @Override
        public int hashCode() {
            int h = 1;
            for (int i = from; i < from + n; i++) {
                h = 31 * h + ids[i];
            }
            return h;
        }
    }
}
