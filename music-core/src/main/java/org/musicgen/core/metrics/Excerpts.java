package org.musicgen.core.metrics;

import java.util.ArrayList;
import java.util.List;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * Excerpts of a score by time: what a listener hears of {@code seconds} of it, as a score of its own starting at 0 s.
 * Measures compare a model's samples with real excerpts of the same length, so both are cut the same way.
 */
public final class Excerpts {

    private Excerpts() {
    }

    /**
     * The notes starting within {@code [from, from + seconds)}, moved to start {@code from} seconds earlier and cut
     * at the excerpt's end (a note held past it sounds only until then, as in what was heard). Ticks move by the
     * first kept note's tick: ticks only place notes in a drawing, and a tempo map cannot be cut exactly.
     */
    public static Score cut(Score score, double from, double seconds) {
        double to = from + seconds;
        List<Note> kept = new ArrayList<>();
        long tickShift = -1;
        for (Note n : score.notes()) {
            if (n.onsetSeconds() < from || n.onsetSeconds() >= to) {
                continue;
            }
            if (tickShift < 0) {
                tickShift = n.onsetTick();
            }
            double duration = Math.min(n.durationSeconds(), to - n.onsetSeconds());
            long ticks = n.durationSeconds() > 0
                    ? Math.round(n.durationTicks() * duration / n.durationSeconds()) : n.durationTicks();
            kept.add(new Note(n.pitch(), n.velocity(), n.channel(), Math.max(0, n.onsetTick() - tickShift), ticks,
                    n.onsetSeconds() - from, duration));
        }
        return new Score(score.ticksPerBeat(), kept);
    }

    /**
     * The excerpts of {@code seconds} starting every {@code stride} seconds from 0 that lie wholly inside the piece
     * (a piece shorter than {@code seconds} gives none), so that every excerpt is as long as asked.
     */
    public static List<Score> windows(Score score, double seconds, double stride) {
        if (!(seconds > 0) || !(stride > 0)) {
            throw new IllegalArgumentException("seconds and stride must be > 0, got " + seconds + " and " + stride);
        }
        List<Score> out = new ArrayList<>();
        double length = score.lengthSeconds();
        for (double from = 0; from + seconds <= length; from += stride) {
            Score excerpt = cut(score, from, seconds);
            if (!excerpt.notes().isEmpty()) {
                out.add(excerpt);
            }
        }
        return out;
    }

    /** Note onsets per second over the excerpt's {@code seconds}. */
    public static double notesPerSecond(Score excerpt, double seconds) {
        return excerpt.notes().size() / seconds;
    }
}
