package org.musicgen.core.tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * Converts scores to token sequences on a quantisation grid and back.
 *
 * <p>Tokenisation:
 * <ol>
 *   <li>Every note's onset and duration are rounded to the nearest grid step
 *       ({@code stepsPerBeat} steps per quarter note); a duration is at least 1 and at most
 *       {@code maxSteps} steps. Velocity and channel are dropped.</li>
 *   <li>Notes with the same onset step and duration form one token: NOTE for one pitch, CHORD for
 *       several (duplicate pitches collapse).</li>
 *   <li>Tokens of one onset are ordered by duration descending (then lowest pitch); all but the
 *       last advance 0.</li>
 *   <li>The last token of an onset advances to the next onset; if that gap is longer than its
 *       duration it advances by its duration and REST tokens (each at most {@code maxSteps})
 *       fill the rest of the gap. The last onset of the piece advances by its duration.</li>
 *   <li>Silence before the first note is dropped.</li>
 * </ol>
 * Detokenisation replays the cursor, giving velocity {@value #DEFAULT_VELOCITY}, channel 0 and
 * seconds at 120 bpm. Instances are immutable and thread-safe.
 */
public final class Tokenizer {

    public static final int DEFAULT_STEPS_PER_BEAT = 4;
    public static final int DEFAULT_MAX_STEPS = 64;
    public static final int DEFAULT_VELOCITY = 80;

    private final int stepsPerBeat;
    private final int maxSteps;

    /** Sixteenth-note grid, durations up to 64 steps (four 4/4 bars). */
    public Tokenizer() {
        this(DEFAULT_STEPS_PER_BEAT, DEFAULT_MAX_STEPS);
    }

    public Tokenizer(int stepsPerBeat, int maxSteps) {
        if (stepsPerBeat < 1) {
            throw new IllegalArgumentException("stepsPerBeat must be >= 1, was " + stepsPerBeat);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, was " + maxSteps);
        }
        this.stepsPerBeat = stepsPerBeat;
        this.maxSteps = maxSteps;
    }

    public int stepsPerBeat() {
        return stepsPerBeat;
    }

    public int maxSteps() {
        return maxSteps;
    }

    /** Nearest grid step of a tick position (halves round up). */
    public long toStep(long ticks, int ticksPerBeat) {
        return Math.floorDiv(2 * ticks * stepsPerBeat + ticksPerBeat, 2L * ticksPerBeat);
    }

    /** Quantised duration of a note: rounded, then clamped to 1..maxSteps. */
    public int durationSteps(long durationTicks, int ticksPerBeat) {
        long steps = toStep(durationTicks, ticksPerBeat);
        return (int) Math.max(1, Math.min(maxSteps, steps));
    }

    public List<Token> tokenize(Score score) {
        // onset step -> duration (descending) -> pitches (ascending)
        NavigableMap<Long, NavigableMap<Integer, TreeSet<Integer>>> grid = new TreeMap<>();
        for (Note n : score.notes()) {
            long onset = toStep(n.onsetTick(), score.ticksPerBeat());
            int duration = durationSteps(n.durationTicks(), score.ticksPerBeat());
            grid.computeIfAbsent(onset, k -> new TreeMap<>((a, b) -> Integer.compare(b, a)))
                    .computeIfAbsent(duration, k -> new TreeSet<>())
                    .add(n.pitch());
        }
        List<Token> tokens = new ArrayList<>();
        for (Map.Entry<Long, NavigableMap<Integer, TreeSet<Integer>>> at : grid.entrySet()) {
            Long next = grid.higherKey(at.getKey());
            int remaining = at.getValue().size();
            for (Map.Entry<Integer, TreeSet<Integer>> group : at.getValue().entrySet()) {
                int duration = group.getKey();
                int[] pitches = group.getValue().stream().mapToInt(Integer::intValue).toArray();
                if (--remaining > 0) {
                    tokens.add(Token.sounding(pitches, duration, 0));
                    continue;
                }
                long gap = next == null ? duration : next - at.getKey();
                if (gap <= duration) {
                    tokens.add(Token.sounding(pitches, duration, (int) gap));
                } else {
                    tokens.add(Token.sounding(pitches, duration, duration));
                    for (long rest = gap - duration; rest > 0; rest -= maxSteps) {
                        tokens.add(Token.rest((int) Math.min(rest, maxSteps)));
                    }
                }
            }
        }
        return tokens;
    }

    /**
     * Replays tokens into a score with the given resolution. Notes get velocity
     * {@value #DEFAULT_VELOCITY} and channel 0; seconds assume 120 bpm.
     */
    public Score detokenize(List<Token> tokens, int ticksPerBeat) {
        if (ticksPerBeat < 1) {
            throw new IllegalArgumentException("ticksPerBeat must be >= 1, was " + ticksPerBeat);
        }
        double secondsPerTick = 0.5 / ticksPerBeat;
        List<Note> notes = new ArrayList<>();
        long step = 0;
        for (Token t : tokens) {
            if (t.kind() != Token.Kind.REST) {
                long on = toTick(step, ticksPerBeat);
                long length = toTick(step + t.duration(), ticksPerBeat) - on;
                for (int i = 0; i < t.pitchCount(); i++) {
                    notes.add(new Note(t.pitchAt(i), DEFAULT_VELOCITY, 0, on, length,
                            on * secondsPerTick, length * secondsPerTick));
                }
            }
            step += t.advance();
        }
        return new Score(ticksPerBeat, notes);
    }

    private long toTick(long step, int ticksPerBeat) {
        return Math.floorDiv(2 * step * ticksPerBeat + stepsPerBeat, 2L * stepsPerBeat);
    }
}
