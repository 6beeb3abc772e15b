package org.musicgen.core.clip;

import java.util.ArrayList;
import java.util.List;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * A listening-test clip: a score cut to a length in seconds, the same for every source of one experiment, so that no
 * source is recognisable (or preferred) by its length. The one place where clips are cut, for generated samples and
 * real excerpts alike, on the notes (never by re-decoding prefixes of ids).
 *
 * <p>Cut at {@code T}: the notes that start before {@code T} are kept, those still sounding at {@code T} are released
 * there, the rest are gone; the MIDI file ends at {@code T} ({@link #endTick()}) and the audio fades its last second
 * out ({@code PianoSynth.render(Score, double)}). Music that does not reach {@code T} is not padded: its clip is as long
 * as its notes ({@link #seconds()} below {@code T}), and the caller reports it.
 *
 * <p>Scores are timed at the MIDI writer's fixed tempo ({@value MidiWriter#DEFAULT_BPM} bpm), as every decoded score
 * of an encoding and every piano-roll score is: a tick is {@code 60 / (bpm * ticksPerBeat)} seconds.
 *
 * @param score   the notes of the clip, from 0
 * @param seconds how long the clip lasts: the length it was cut to, or less when the music ended before it
 */
public record Clip(Score score, double seconds) {

    public Clip {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("a clip lasts a finite, non-negative time, not " + seconds);
        }
    }

    /** {@code score} cut to {@code seconds}; shorter when its notes end before. */
    public static Clip cut(Score score, double seconds) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("a clip length must be positive and finite, got " + seconds);
        }
        long endTick = tickAt(score, seconds);
        List<Note> kept = new ArrayList<>(score.notes().size());
        for (Note n : score.notes()) {
            if (n.onsetSeconds() >= seconds || n.onsetTick() >= endTick) {
                continue;
            }
            if (n.endSeconds() > seconds || n.endTick() > endTick) {
                n = new Note(n.pitch(), n.velocity(), n.channel(), n.onsetTick(), endTick - n.onsetTick(),
                        n.onsetSeconds(), seconds - n.onsetSeconds());
            }
            kept.add(n);
        }
        return new Clip(new Score(score.ticksPerBeat(), kept), Math.min(seconds, score.lengthSeconds()));
    }

    /**
     * An excerpt of a real piece: from the note onset at {@code fromSeconds} (moved to 0; notes that started before
     * it are left out), cut to {@code seconds} like any clip.
     */
    public static Clip excerpt(Score piece, double fromSeconds, double seconds) {
        Note first = null;
        for (Note n : piece.notes()) {
            if (n.onsetSeconds() >= fromSeconds) {
                first = n;
                break;
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("no note starts at or after " + fromSeconds + " s");
        }
        long fromTick = first.onsetTick();
        double from = first.onsetSeconds();
        List<Note> shifted = new ArrayList<>();
        for (Note n : piece.notes()) {
            if (n.onsetTick() >= fromTick && n.onsetSeconds() >= from) {
                shifted.add(new Note(n.pitch(), n.velocity(), n.channel(), n.onsetTick() - fromTick, n.durationTicks(),
                        n.onsetSeconds() - from, n.durationSeconds()));
            }
        }
        return cut(new Score(piece.ticksPerBeat(), shifted), seconds);
    }

    /** The tick at which the clip's MIDI file ends. */
    public long endTick() {
        return tickAt(score, seconds);
    }

    /** Whether the clip lasts {@code clipSeconds} (to within a millisecond), i.e. its music was long enough. */
    public boolean fills(double clipSeconds) {
        return seconds >= clipSeconds - 1e-3;
    }

    private static long tickAt(Score score, double seconds) {
        return Math.round(seconds * score.ticksPerBeat() * MidiWriter.DEFAULT_BPM / 60.0);
    }
}
