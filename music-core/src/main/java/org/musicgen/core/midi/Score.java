package org.musicgen.core.midi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A parsed piece: notes in a tick resolution of {@code ticksPerBeat} per quarter note. Notes on the drum channel
 * are {@link DrumKit drum hits}: their pitch names a drum, not a key, so what measures pitch reads {@link #piano()}.
 * The notes are always kept sorted by onset tick, then pitch (then channel, duration and velocity
 * so that the order is total and therefore deterministic).
 */
public record Score(int ticksPerBeat, List<Note> notes) {

    /** Total order used for {@link #notes()}. */
    public static final Comparator<Note> ORDER = Comparator.comparingLong(Note::onsetTick)
            .thenComparingInt(Note::pitch)
            .thenComparingInt(Note::channel)
            .thenComparingLong(Note::durationTicks)
            .thenComparingInt(Note::velocity);

    public Score {
        if (ticksPerBeat < 1) {
            throw new IllegalArgumentException("ticksPerBeat must be >= 1, was " + ticksPerBeat);
        }
        List<Note> sorted = new ArrayList<>(notes);
        sorted.sort(ORDER);
        notes = List.copyOf(sorted);
    }

    /** The notes that are not drum hits, in a score of their own; this score when it has no drums. */
    public Score piano() {
        return hasDrums() ? new Score(ticksPerBeat, notes.stream().filter(n -> !DrumKit.isDrum(n)).toList()) : this;
    }

    /** The drum hits alone. */
    public Score drums() {
        return new Score(ticksPerBeat, notes.stream().filter(DrumKit::isDrum).toList());
    }

    /** Whether any note is a drum hit. */
    public boolean hasDrums() {
        for (Note n : notes) {
            if (DrumKit.isDrum(n)) {
                return true;
            }
        }
        return false;
    }

    /** Time from 0 until the last note ends, in seconds; 0 for an empty score. */
    public double lengthSeconds() {
        double end = 0;
        for (Note n : notes) {
            end = Math.max(end, n.endSeconds());
        }
        return end;
    }
}
