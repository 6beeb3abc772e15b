package org.musicgen.core.encoding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * The expressive event language of Performance RNN (Oore et al. 2018) and Music Transformer: a fixed vocabulary
 * of {@value #SIZE} events, so nothing a piano plays is ever unknown.
 * <pre>
 *   0..127    NOTE_ON(pitch)
 *   128..255  NOTE_OFF(pitch)
 *   256..355  TIME_SHIFT(1..100 steps of 10 ms): expressive timing to 10 ms, shifts up to 1 s, longer gaps
 *             as several shifts
 *   356..387  VELOCITY(bin 0..31): bins of 4 MIDI velocities; applies to the NOTE_ONs (and DRUMs) after it
 *   388..396  DRUM(class 0..8), in the encoding {@link #withDrums() with drums} only: a hit of one of the
 *             {@link DrumKit}'s nine drums
 * </pre>
 * With drums ({@value Encodings#PERFORMANCE_DRUMS}), piano and drums share one stream and its time shifts, as in
 * Magenta's multi-instrument performances; a hit is one event, with no release (a drum sounds as long as it sounds),
 * so a groove costs a third of the events a piano part of as many notes does. Nine classes rather than the 47 General
 * MIDI drum pitches: the models see each class often enough to learn it, and every kit plays them (see DrumKit). The
 * piano-only encoding reads no drum hit and is the same, id for id, as before drums existed.
 * Times are rounded to the nearest 10 ms step (human timing jitter is of that order; a coarser grid merges
 * grace notes and rolled chords, a finer one lengthens the streams). A note lasts at least one step. Events of
 * one step are written NOTE_OFFs first, then NOTE_ONs by ascending pitch, a VELOCITY only where the bin
 * changes. Silence before the first note is dropped. The sustain pedal is not an event: read MIDI with
 * {@link org.musicgen.core.midi.MidiReader#sounding()} so that it is folded into the note lengths.
 *
 * <p>A key sounds once at a time: a note struck again while it still sounds is ended there, and two notes of
 * one key at the same step become one (the longer). Otherwise the round trip MIDI -> events -> MIDI keeps every
 * note's pitch, its onset and offset to the step and its velocity to the bin. Decoding is lenient: NOTE_OFF of
 * a silent key is ignored, NOTE_ON of a sounding key restarts it, notes left sounding end with the sequence.
 * Decoded scores are at 120 bpm with {@value #TICKS_PER_BEAT} ticks per beat, one tick per millisecond. Drum hits
 * keep their class, onset to the step and velocity to the bin (two hits of one drum in one step become one, the
 * first); they decode to one-step notes of the class's pitch on the drum channel, written after the step's NOTE_ONs.
 */
public final class PerformanceEncoding implements Encoding {

    public static final int PITCHES = 128;
    public static final int MAX_SHIFT_STEPS = 100;
    public static final int VELOCITY_BINS = 32;
    public static final double STEP_SECONDS = 0.01;
    public static final int NOTE_ON = 0;
    public static final int NOTE_OFF = NOTE_ON + PITCHES;
    public static final int TIME_SHIFT = NOTE_OFF + PITCHES;
    public static final int VELOCITY = TIME_SHIFT + MAX_SHIFT_STEPS;
    public static final int SIZE = VELOCITY + VELOCITY_BINS;
    /** The first DRUM id, in the encoding with drums. */
    public static final int DRUM = SIZE;
    public static final int SIZE_WITH_DRUMS = DRUM + DrumKit.CLASSES;
    public static final int TICKS_PER_BEAT = 500;
    private static final int TICKS_PER_STEP = 10;
    private static final int DEFAULT_VELOCITY = 64;
    /**
     * Longest note a model may write, in steps (5 s): longer than over 99 % of the sounding notes of the piano-midi
     * corpus with the pedal folded in (p99 2.6 s, p99.9 6.8 s), short enough that a forgotten note does not drone.
     */
    public static final int MAX_HOLD_STEPS = 500;
    static final String HEADER = Encodings.HEADER_PREFIX + Encodings.PERFORMANCE + " step_ms=10 max_shift_steps=100"
            + " velocity_bins=32";
    static final String DRUMS_HEADER = Encodings.HEADER_PREFIX + Encodings.PERFORMANCE_DRUMS
            + " step_ms=10 max_shift_steps=100 velocity_bins=32 drum_classes=" + DrumKit.CLASSES;

    private final boolean drums;

    /** The piano-only encoding. */
    public PerformanceEncoding() {
        this(false);
    }

    private PerformanceEncoding(boolean drums) {
        this.drums = drums;
    }

    /** The encoding with the nine DRUM events. */
    public static PerformanceEncoding withDrums() {
        return new PerformanceEncoding(true);
    }

    /** Whether this encoding writes drum hits. */
    public boolean hasDrums() {
        return drums;
    }

    /** Velocity bin of a MIDI velocity 1..127. */
    public static int velocityBin(int velocity) {
        return (Math.max(1, Math.min(127, velocity)) - 1) / 4;
    }

    /** The velocity a bin decodes to (inside the bin). */
    public static int binVelocity(int bin) {
        return Math.min(127, bin * 4 + 3);
    }

    @Override
    public String name() {
        return drums ? Encodings.PERFORMANCE_DRUMS : Encodings.PERFORMANCE;
    }

    @Override
    public int size() {
        return drums ? SIZE_WITH_DRUMS : SIZE;
    }

    /** A note on the 10 ms grid: onset and offset steps, pitch, velocity bin. */
    private record StepNote(long on, long off, int pitch, int bin) {
    }

    @Override
    public int[] encode(Score score) {
        List<StepNote> notes = quantise(score);
        List<long[]> hits = drums ? drumHits(score) : List.of();
        if (notes.isEmpty() && hits.isEmpty()) {
            return new int[0];
        }
        // one timeline: {step, 0 = off | 1 = on | 2 = drum, pitch or drum class, velocity bin}; offs sort first
        List<long[]> timeline = new ArrayList<>(notes.size() * 2 + hits.size());
        for (int i = 0; i < notes.size(); i++) {
            StepNote note = notes.get(i);
            timeline.add(new long[] {note.on(), 1, note.pitch(), note.bin()});
            timeline.add(new long[] {note.off(), 0, note.pitch(), 0});
        }
        timeline.addAll(hits);
        timeline.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])
                .thenComparingLong(e -> e[2]));
        int[] out = new int[timeline.size() * 3];
        int n = 0;
        long step = timeline.get(0)[0];
        int bin = -1;
        for (long[] e : timeline) {
            for (long gap = e[0] - step; gap > 0; gap -= MAX_SHIFT_STEPS) {
                out = ensure(out, n + 1);
                out[n++] = TIME_SHIFT + (int) Math.min(gap, MAX_SHIFT_STEPS) - 1;
            }
            step = e[0];
            out = ensure(out, n + 2);
            if (e[1] == 0) {
                out[n++] = NOTE_OFF + (int) e[2];
            } else {
                if (e[3] != bin) {
                    bin = (int) e[3];
                    out[n++] = VELOCITY + bin;
                }
                out[n++] = (e[1] == 1 ? NOTE_ON : DRUM) + (int) e[2];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static int[] ensure(int[] a, int size) {
        return size <= a.length ? a : Arrays.copyOf(a, Math.max(size, a.length * 2));
    }

    /** The drum hits on the grid as timeline entries {step, 2, class, bin}, one per drum and step (the first). */
    private static List<long[]> drumHits(Score score) {
        List<long[]> hits = new ArrayList<>();
        Set<Long> taken = new HashSet<>();
        for (Note n : score.notes()) {
            int drumClass = DrumKit.isDrum(n) ? DrumKit.classOf(n.pitch()) : -1;
            if (drumClass < 0) {
                continue;
            }
            long step = Math.round(n.onsetSeconds() / STEP_SECONDS);
            if (taken.add(step * DrumKit.CLASSES + drumClass)) {
                hits.add(new long[] {step, 2, drumClass, velocityBin(n.velocity())});
            }
        }
        return hits;
    }

    /** Piano notes on the grid, one key sounding once at a time. */
    private static List<StepNote> quantise(Score score) {
        List<StepNote> raw = new ArrayList<>(score.notes().size());
        for (Note n : score.notes()) {
            if (DrumKit.isDrum(n)) {
                continue;
            }
            long on = Math.round(n.onsetSeconds() / STEP_SECONDS);
            long off = Math.max(on + 1, Math.round(n.endSeconds() / STEP_SECONDS));
            raw.add(new StepNote(on, off, n.pitch(), velocityBin(n.velocity())));
        }
        raw.sort(Comparator.comparingInt(StepNote::pitch).thenComparingLong(StepNote::on)
                .thenComparing(Comparator.comparingLong(StepNote::off).reversed()));
        List<StepNote> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            StepNote n = raw.get(i);
            if (!out.isEmpty()) {
                StepNote prev = out.get(out.size() - 1);
                if (prev.pitch() == n.pitch() && prev.on() == n.on()) {
                    continue; // same key, same step: the longer one (sorted first) stays
                }
                if (prev.pitch() == n.pitch() && prev.off() > n.on()) {
                    out.set(out.size() - 1, new StepNote(prev.on(), n.on(), prev.pitch(), prev.bin()));
                }
            }
            out.add(n);
        }
        return out;
    }

    @Override
    public Score decode(int[] ids) {
        List<Note> notes = new ArrayList<>();
        long[] startStep = new long[PITCHES];
        int[] startVelocity = new int[PITCHES];
        Arrays.fill(startStep, -1);
        long step = 0;
        int velocity = DEFAULT_VELOCITY;
        for (int id : ids) {
            checkId(id);
            if (id < NOTE_OFF) {
                int pitch = id - NOTE_ON;
                if (startStep[pitch] >= 0) {
                    end(notes, pitch, startStep[pitch], step, startVelocity[pitch]);
                }
                startStep[pitch] = step;
                startVelocity[pitch] = velocity;
            } else if (id < TIME_SHIFT) {
                int pitch = id - NOTE_OFF;
                if (startStep[pitch] >= 0) {
                    end(notes, pitch, startStep[pitch], step, startVelocity[pitch]);
                    startStep[pitch] = -1;
                }
            } else if (id < VELOCITY) {
                step += id - TIME_SHIFT + 1;
            } else if (id < DRUM) {
                velocity = binVelocity(id - VELOCITY);
            } else {
                notes.add(new Note(DrumKit.pitchOf(id - DRUM), velocity, DrumKit.CHANNEL, step * TICKS_PER_STEP,
                        TICKS_PER_STEP, step * STEP_SECONDS, STEP_SECONDS));
            }
        }
        for (int pitch = 0; pitch < PITCHES; pitch++) {
            if (startStep[pitch] >= 0) {
                end(notes, pitch, startStep[pitch], step, startVelocity[pitch]);
            }
        }
        return new Score(TICKS_PER_BEAT, notes);
    }

    /** An id happens after the time shifts before it; a time shift itself at the time it starts from. */
    @Override
    public double[] eventSeconds(int[] ids) {
        double[] seconds = new double[ids.length];
        long step = 0;
        for (int i = 0; i < ids.length; i++) {
            checkId(ids[i]);
            seconds[i] = step * STEP_SECONDS;
            if (ids[i] >= TIME_SHIFT && ids[i] < VELOCITY) {
                step += ids[i] - TIME_SHIFT + 1;
            }
        }
        return seconds;
    }

    private static void end(List<Note> notes, int pitch, long on, long off, int velocity) {
        long length = Math.max(1, off - on); // an ON and OFF in one step still sound for one step
        notes.add(new Note(pitch, velocity, 0, on * TICKS_PER_STEP, length * TICKS_PER_STEP,
                on * STEP_SECONDS, length * STEP_SECONDS));
    }

    /** NOTE_ON only for silent keys, NOTE_OFF only for sounding ones, no note held over {@link #MAX_HOLD_STEPS}. */
    @Override
    public EventGrammar grammar() {
        return new PerformanceGrammar(MAX_HOLD_STEPS);
    }

    @Override
    public String describe(int id) {
        checkId(id);
        if (id < NOTE_OFF) {
            return "NOTE_ON(" + (id - NOTE_ON) + ")";
        } else if (id < TIME_SHIFT) {
            return "NOTE_OFF(" + (id - NOTE_OFF) + ")";
        } else if (id < VELOCITY) {
            return "TIME_SHIFT(" + (id - TIME_SHIFT + 1) * 10 + "ms)";
        } else if (id < DRUM) {
            return "VELOCITY(" + (id - VELOCITY) + ")";
        }
        return "DRUM(" + DrumKit.name(id - DRUM) + ")";
    }

    /** The drum class a DRUM id hits, or -1 for any other event. */
    public static int drumClass(int id) {
        return id >= DRUM && id < SIZE_WITH_DRUMS ? id - DRUM : -1;
    }

    /** The pitch a NOTE_ON id starts, or -1 for any other event. */
    public static int noteOnPitch(int id) {
        return id >= NOTE_ON && id < NOTE_OFF ? id - NOTE_ON : -1;
    }

    @Override
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder(drums ? DRUMS_HEADER : HEADER).append('\n');
        for (int id = 0; id < size(); id++) {
            sb.append(describe(id)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void checkId(int id) {
        if (id < 0 || id >= size()) {
            throw new IllegalArgumentException("event id " + id + " outside the " + name() + " vocabulary [0, "
                    + size() + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PerformanceEncoding other && other.drums == drums;
    }

    @Override
    public int hashCode() {
        return size();
    }

    @Override
    public String toString() {
        return "PerformanceEncoding[size=" + size() + "]";
    }
}
