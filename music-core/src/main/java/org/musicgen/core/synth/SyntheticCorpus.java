package org.musicgen.core.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.tokens.Tokenizer;

/**
 * Generates a deterministic corpus of short, original two-hand piano pieces for training and tests.
 *
 * <p>Each piece is in one of twelve major/minor keys, in 4/4, made of 4-bar phrases arranged in a
 * small form (e.g. A A B A), so motifs recur. A phrase follows a chord progression (I-IV-V-I,
 * ii-V-I, I-vi-IV-V, i-iv-V-i, ...), one chord per bar. The right hand plays a melody from scale
 * runs, arpeggios and chord tones with some rests; its third bar repeats the first bar's motif
 * moved to the third bar's chord (a melodic sequence). Phrases end with a half cadence on V or
 * an authentic cadence; the piece always ends with V-I and a 3-2-1 melodic descent. The left hand
 * accompanies in one of four patterns (Alberti bass, bass plus repeated chords, a held broken chord,
 * half-note bass with off-beat chords), so voices with different durations overlap.
 *
 * <p>{@link #withDrums()} adds a drum part on MIDI channel 10 beside the same piano: each piece picks one of a few
 * grooves that follow its 4/4 metre (a rock beat, its driving variant, a half-time beat, a ride pattern, a disco
 * beat with open hi-hats on the off-beats), varies it with ghost kicks, opens each phrase with a crash and
 * closes most phrases with a tom fill, and ends on a kick and a crash. The drums draw from a random stream of
 * their own, so the piano part is the same note for note with and without them.
 *
 * <p>Everything is drawn from {@link Random} seeded by (seed, piece index), so a seed always
 * yields byte-identical MIDI, and piece {@code i} does not depend on how many pieces are requested.
 * Instances are immutable and thread-safe.
 */
public final class SyntheticCorpus {

    private static final int BAR = 16; // grid steps per 4/4 bar (sixteenth notes)
    private static final int TICKS_PER_BEAT = 480;
    private static final int TICKS_PER_STEP = TICKS_PER_BEAT / 4;
    private static final int REST = Integer.MIN_VALUE;
    /** Phrases are added until a piece has at least this many tokens (or reaches 24 bars). */
    private static final int TARGET_TOKENS = 160;
    private static final int MAX_PHRASES = 6;

    private static final int[][] MAJOR_PROGRESSIONS = {
        {0, 3, 4, 0}, {0, 5, 3, 4}, {1, 4, 0, 0}, {0, 5, 1, 4}, {0, 3, 0, 4}, {3, 4, 0, 0}, {0, 1, 4, 0},
    };
    private static final int[][] MINOR_PROGRESSIONS = {
        {0, 3, 4, 0}, {0, 5, 3, 4}, {1, 4, 0, 0}, {0, 5, 1, 4}, {0, 3, 0, 4}, {5, 3, 4, 0}, {0, 6, 2, 4},
    };
    /** Melody rhythms in steps per bar; negative values are rests. */
    private static final int[][] RHYTHMS = {
        {4, 4, 4, 4}, {2, 2, 2, 2, 2, 2, 2, 2}, {4, 2, 2, 4, 2, 2}, {6, 2, 6, 2}, {8, 4, 4},
        {2, 2, 4, 2, 2, 4}, {4, -4, 4, 4}, {4, 1, 1, 1, 1, 4, 4}, {2, 2, 2, 2, 4, -4}, {8, -4, 2, 2},
    };
    private static final String[][] FORMS = {
        {"ABA", "AAB"}, {"AABA", "ABAB", "ABCA"}, {"AABBA", "ABACA"}, {"AABBAA", "ABACBA"},
    };

    private enum Contour { RUN_UP, RUN_DOWN, ARPEGGIO, CHORD_TONES }

    private enum Accompaniment { ALBERTI, BASS_AND_CHORDS, HELD_BROKEN_CHORD, BASS_OFFBEAT_CHORDS }

    /** One melody bar: onsets/durations in steps, diatonic degrees ({@link #REST} for rests). */
    private record BarMelody(int[] offsets, int[] durations, int[] degrees) {
        BarMelody shifted(int by) {
            int[] d = degrees.clone();
            for (int i = 0; i < d.length; i++) {
                if (d[i] != REST) {
                    d[i] += by;
                }
            }
            return new BarMelody(offsets, durations, d);
        }

        int lastDegree() {
            for (int i = degrees.length - 1; i >= 0; i--) {
                if (degrees[i] != REST) {
                    return degrees[i];
                }
            }
            return 4;
        }
    }

    private record Phrase(int[] chords, BarMelody[] bars, Accompaniment accompaniment, int dynamics) {
    }

    /** Names of the twelve keys pieces are composed in, e.g. {@code c-major}, {@code a-minor}. */
    public static final List<String> KEYS = Key.ALL.stream().map(Key::name).toList();

    /**
     * The grooves, one bar of 16 steps each: for every drum class, the steps it is hit on ({@code DrumKit} order:
     * kick, snare, closed hi-hat, open hi-hat, low, mid and high tom, crash, ride).
     */
    private static final int[][][] GROOVES = {
        {{0, 8}, {4, 12}, {0, 2, 4, 6, 8, 10, 12, 14}, {}, {}, {}, {}, {}, {}},
        {{0, 6, 8, 10}, {4, 12}, {0, 2, 4, 6, 8, 10, 12, 14}, {}, {}, {}, {}, {}, {}},
        {{0, 10}, {8}, {0, 2, 4, 6, 8, 10, 12, 14}, {}, {}, {}, {}, {}, {}},
        {{0, 8}, {4, 12}, {4, 12}, {}, {}, {}, {}, {}, {0, 4, 8, 10, 12}},
        {{0, 4, 8, 12}, {4, 12}, {0, 4, 8, 12}, {2, 6, 10, 14}, {}, {}, {}, {}, {}},
    };
    private static final long DRUM_SALT = 0x5DEECE66DL;

    private final long seed;
    private final boolean drums;

    public SyntheticCorpus(long seed) {
        this(seed, false);
    }

    private SyntheticCorpus(long seed, boolean drums) {
        this.seed = seed;
        this.drums = drums;
    }

    /** The same pieces with a drum part added. */
    public SyntheticCorpus withDrums() {
        return new SyntheticCorpus(seed, true);
    }

    public long seed() {
        return seed;
    }

    /** Whether the pieces have a drum part. */
    public boolean hasDrums() {
        return drums;
    }

    /** Pieces 0..count-1. */
    public List<GeneratedPiece> generate(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        List<GeneratedPiece> pieces = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pieces.add(piece(i));
        }
        return pieces;
    }

    /** Piece number {@code index}; the same (seed, index) always gives the same bytes. */
    public GeneratedPiece piece(int index) {
        // 5 is coprime with 12: consecutive pieces walk through all twelve keys
        return piece(index, Key.ALL.get((int) Math.floorMod(seed + 5L * index, 12L)));
    }

    /**
     * Piece number {@code index} composed in the named key (see {@link #KEYS}) instead of its own, from the same
     * random choices (form, progressions, rhythms, accompaniment).
     */
    public GeneratedPiece piece(int index, String keyName) {
        return piece(index, Key.byName(keyName));
    }

    private GeneratedPiece piece(int index, Key key) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        Tokenizer tokenizer = new Tokenizer();
        Composition piece;
        for (int extra = 0; ; extra++) {
            // same random stream on every attempt: only the number of phrases grows
            piece = compose(new Random(mix(seed, index)), key, extra);
            if (piece.phrases() >= MAX_PHRASES || tokenizer.tokenize(piece.score()).size() >= TARGET_TOKENS) {
                break;
            }
        }
        Score score = drums ? withDrumPart(piece, new Random(mix(seed, index) ^ DRUM_SALT)) : piece.score();
        byte[] midi = new MidiWriter().write(score, piece.bpm());
        return new GeneratedPiece(String.format("piece-%03d-%s.mid", index, key.name()), midi);
    }

    /** Key of a piece, from its file name (package-private, for tests). */
    static Key keyOf(GeneratedPiece piece) {
        String name = piece.fileName();
        return Key.byName(name.substring(name.indexOf('-', 6) + 1, name.length() - 4));
    }

    private record Composition(Score score, int bpm, int phrases) {
    }

    /** The piece's notes and a drum part of one groove over all its bars. */
    private static Score withDrumPart(Composition piece, Random rnd) {
        int[][] groove = GROOVES[rnd.nextInt(GROOVES.length)];
        double ghostKicks = rnd.nextInt(3) * 0.1;
        double fills = 0.4 + 0.5 * rnd.nextDouble();
        int bars = (int) ((piece.score().notes().stream().mapToLong(Note::endTick).max().orElse(0)
                + TICKS_PER_STEP * BAR - 1) / (TICKS_PER_STEP * BAR));
        List<Note> notes = new ArrayList<>(piece.score().notes());
        for (int bar = 0; bar < bars; bar++) {
            int start = bar * BAR;
            if (bar == bars - 1) {
                notes.add(hit(DrumKit.KICK, 110, start, piece.bpm()));
                notes.add(hit(DrumKit.CRASH, 110, start, piece.bpm()));
                break;
            }
            boolean fill = bar % 4 == 3 && rnd.nextDouble() < fills;
            for (int drum = 0; drum < DrumKit.CLASSES; drum++) {
                for (int step : groove[drum]) {
                    if (fill && step >= 12) {
                        continue;
                    }
                    int accent = step % 4 == 0 ? 100 : 76;
                    notes.add(hit(drum, accent + rnd.nextInt(17) - 8, start + step, piece.bpm()));
                }
            }
            if (ghostKicks > 0 && rnd.nextDouble() < ghostKicks) {
                notes.add(hit(DrumKit.KICK, 60 + rnd.nextInt(12), start + 14, piece.bpm()));
            }
            if (bar % 4 == 0) {
                notes.add(hit(DrumKit.CRASH, 104 + rnd.nextInt(12), start, piece.bpm()));
            }
            if (fill) {
                int[] toms = {DrumKit.HIGH_TOM, DrumKit.HIGH_TOM, DrumKit.MID_TOM, DrumKit.LOW_TOM};
                for (int i = 0; i < toms.length; i++) {
                    notes.add(hit(toms[i], 84 + 6 * i, start + 12 + i, piece.bpm()));
                }
            }
        }
        return new Score(TICKS_PER_BEAT, notes);
    }

    private static Note hit(int drumClass, int velocity, int step, int bpm) {
        return note(DrumKit.pitchOf(drumClass), velocity, DrumKit.CHANNEL, step, 1, bpm);
    }

    private static long mix(long seed, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 31)) * 0xD6E8FEB86B4C3E15L;
        return z ^ (z >>> 29);
    }

    private Composition compose(Random rnd, Key key, int extraPhrases) {
        int phraseCount = Math.min(MAX_PHRASES, 3 + rnd.nextInt(MAX_PHRASES - 2) + extraPhrases);
        int bpm = 72 + 4 * rnd.nextInt(16);
        String[] forms = FORMS[phraseCount - 3];
        String form = forms[rnd.nextInt(forms.length)];
        Accompaniment[] styles = Accompaniment.values();
        Accompaniment main = styles[rnd.nextInt(styles.length)];
        Accompaniment contrast = styles[rnd.nextInt(styles.length)];
        int[][] progressions = key.minor() ? MINOR_PROGRESSIONS : MAJOR_PROGRESSIONS;

        Phrase[] byLabel = new Phrase[26];
        List<Phrase> plan = new ArrayList<>();
        for (int p = 0; p < form.length(); p++) {
            int label = form.charAt(p) - 'A';
            if (byLabel[label] == null) {
                int[] chords = label == 0 ? progressions[rnd.nextInt(3)] // A: a clear I/ii-based progression
                        : progressions[rnd.nextInt(progressions.length)];
                byLabel[label] = phrase(rnd, chords, label == 0 ? main : contrast, label == 0 ? 0 : 6 - 12 * (label % 2));
            }
            plan.add(byLabel[label]);
        }
        // the last phrase always closes with V-I and a 3-2-1 descent
        plan.set(plan.size() - 1, withFinalCadence(rnd, plan.get(plan.size() - 1)));

        List<Note> notes = new ArrayList<>();
        for (int p = 0; p < plan.size(); p++) {
            Phrase phrase = plan.get(p);
            for (int bar = 0; bar < 4; bar++) {
                int start = (p * 4 + bar) * BAR;
                int root = phrase.chords()[bar];
                boolean lastBar = p == plan.size() - 1 && bar == 3;
                renderMelody(rnd, key, root, phrase.bars()[bar], start, phrase.dynamics(), bpm, notes);
                renderAccompaniment(rnd, key, root, lastBar ? null : phrase.accompaniment(), start, bpm, notes);
            }
        }
        return new Composition(new Score(TICKS_PER_BEAT, notes), bpm, phraseCount);
    }

    private static Phrase phrase(Random rnd, int[] chords, Accompaniment accompaniment, int dynamics) {
        BarMelody[] bars = new BarMelody[4];
        int start = 4 + rnd.nextInt(4); // around the dominant/upper tonic
        bars[0] = freeBar(rnd, chords[0], start);
        bars[1] = freeBar(rnd, chords[1], bars[0].lastDegree());
        int shift = Math.floorMod(chords[2] - chords[0] + 3, 7) - 3; // nearest transposition, -3..3
        bars[2] = bars[0].shifted(shift);
        bars[3] = chords[3] == 4 ? halfCadence(rnd, bars[2].lastDegree())
                : chords[3] == 0 && rnd.nextBoolean() ? finalCadence(bars[2].lastDegree())
                : freeBar(rnd, chords[3], bars[2].lastDegree());
        return new Phrase(chords, bars, accompaniment, dynamics);
    }

    private static Phrase withFinalCadence(Random rnd, Phrase p) {
        int[] chords = p.chords().clone();
        BarMelody[] bars = p.bars().clone();
        if (chords[2] != 4) {
            chords[2] = 4;
            bars[2] = freeBar(rnd, 4, bars[1].lastDegree());
        }
        chords[3] = 0;
        bars[3] = finalCadence(bars[2].lastDegree());
        return new Phrase(chords, bars, p.accompaniment(), p.dynamics());
    }

    private static BarMelody freeBar(Random rnd, int root, int from) {
        int[] rhythm = RHYTHMS[rnd.nextInt(RHYTHMS.length)];
        Contour contour = Contour.values()[rnd.nextInt(Contour.values().length)];
        int dir = contour == Contour.RUN_DOWN ? -1 : contour == Contour.RUN_UP ? 1 : (rnd.nextBoolean() ? 1 : -1);
        int[] offsets = new int[rhythm.length];
        int[] durations = new int[rhythm.length];
        int[] degrees = new int[rhythm.length];
        int at = 0;
        int cur = from;
        boolean firstNote = true;
        for (int i = 0; i < rhythm.length; i++) {
            offsets[i] = at;
            durations[i] = Math.abs(rhythm[i]);
            at += durations[i];
            if (rhythm[i] < 0) {
                degrees[i] = REST;
                continue;
            }
            if (cur + 2 * dir > 12 || cur + 2 * dir < 0) {
                dir = -dir; // stay in the right hand's register
            }
            if (firstNote || offsets[i] % 8 == 0) {
                cur = nearestChordTone(cur, root, dir); // strong beats land on harmony
            } else {
                cur = switch (contour) {
                    case RUN_UP, RUN_DOWN -> cur + dir;
                    case ARPEGGIO -> nextChordTone(cur, root, dir);
                    case CHORD_TONES -> rnd.nextInt(3) == 0 ? nextChordTone(cur, root, dir) : cur + (rnd.nextBoolean() ? 1 : -1);
                };
            }
            firstNote = false;
            degrees[i] = cur;
        }
        return new BarMelody(offsets, durations, degrees);
    }

    private static BarMelody halfCadence(Random rnd, int from) {
        int a = nearestChordTone(from, 4, -1);
        int b = rnd.nextBoolean() ? a - 1 : a + 1;
        int c = nearestChordTone(b, 4, -1);
        return new BarMelody(new int[] {0, 4, 8}, new int[] {4, 4, 8}, new int[] {a, b, c});
    }

    private static BarMelody finalCadence(int from) {
        int tonic = from >= 4 ? 7 : 0;
        return new BarMelody(new int[] {0, 4, 8}, new int[] {4, 4, 8}, new int[] {tonic + 2, tonic + 1, tonic});
    }

    private static boolean isChordTone(int degree, int root) {
        int rel = Math.floorMod(degree - root, 7);
        return rel == 0 || rel == 2 || rel == 4;
    }

    private static int nearestChordTone(int degree, int root, int preferDir) {
        for (int d = 0; d <= 3; d++) {
            if (isChordTone(degree + preferDir * d, root)) {
                return degree + preferDir * d;
            }
            if (isChordTone(degree - preferDir * d, root)) {
                return degree - preferDir * d;
            }
        }
        return degree;
    }

    private static int nextChordTone(int degree, int root, int dir) {
        int d = degree + dir;
        while (!isChordTone(d, root)) {
            d += dir;
        }
        return d;
    }

    private static void renderMelody(Random rnd, Key key, int root, BarMelody bar, int barStart, int dynamics,
                                     int bpm, List<Note> out) {
        for (int i = 0; i < bar.degrees().length; i++) {
            if (bar.degrees()[i] == REST) {
                continue;
            }
            int offset = bar.offsets()[i];
            int accent = offset == 0 ? 10 : offset == 8 ? 5 : 0;
            int velocity = 76 + accent + dynamics + rnd.nextInt(7) - 3;
            out.add(note(key.pitch(bar.degrees()[i], root), velocity, 0, barStart + offset, bar.durations()[i], bpm));
        }
    }

    /** Left hand for one bar; {@code style == null} is the closing whole-bar chord. */
    private static void renderAccompaniment(Random rnd, Key key, int root, Accompaniment style, int barStart,
                                            int bpm, List<Note> out) {
        int b = root >= 4 ? root - 14 : root - 7; // chord root below the tonic, keeps the hand low
        int bass = key.pitch(b - 7, root) >= 36 ? b - 7 : b;
        List<int[]> events = new ArrayList<>(); // {offset, duration, degree}
        if (style == null) {
            events.add(new int[] {0, 16, bass});
            for (int d : new int[] {b, b + 2, b + 4}) {
                if (d != bass) {
                    events.add(new int[] {0, 16, d});
                }
            }
        } else {
            switch (style) {
                case ALBERTI -> {
                    int[] pattern = {b, b + 4, b + 2, b + 4};
                    for (int i = 0; i < 8; i++) {
                        events.add(new int[] {2 * i, 2, pattern[i % 4]});
                    }
                }
                case BASS_AND_CHORDS -> {
                    events.add(new int[] {0, 16, bass});
                    for (int beat = 1; beat < 4; beat++) {
                        for (int d : new int[] {b + 2, b + 4}) {
                            events.add(new int[] {4 * beat, 4, d});
                        }
                    }
                }
                case HELD_BROKEN_CHORD -> {
                    int[] tones = {b, b + 2, b + 4, b + 7};
                    for (int i = 0; i < 4; i++) {
                        events.add(new int[] {4 * i, 16 - 4 * i, tones[i]});
                    }
                }
                case BASS_OFFBEAT_CHORDS -> {
                    for (int half = 0; half < 2; half++) {
                        events.add(new int[] {8 * half, 8, bass});
                        for (int d : new int[] {b, b + 2, b + 4}) {
                            events.add(new int[] {8 * half + 4, 4, d});
                        }
                    }
                }
            }
        }
        for (int[] e : events) {
            int velocity = 58 + (e[0] == 0 ? 6 : 0) + rnd.nextInt(7) - 3;
            out.add(note(key.pitch(e[2], root), velocity, 1, barStart + e[0], e[1], bpm));
        }
    }

    private static Note note(int pitch, int velocity, int channel, int step, int steps, int bpm) {
        double secondsPerStep = 60.0 / bpm / 4;
        return new Note(pitch, velocity, channel, (long) step * TICKS_PER_STEP, (long) steps * TICKS_PER_STEP,
                step * secondsPerStep, steps * secondsPerStep);
    }
}
