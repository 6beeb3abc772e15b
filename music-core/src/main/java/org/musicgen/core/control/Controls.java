package org.musicgen.core.control;

import org.musicgen.core.midi.Score;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a piece is asked to be, or what it turned out to be: its pitch classes (the key), its notes per second and its
 * label. Any of them may be absent (null): an absent control leaves that aspect to the model.
 *
 * @param pitchClasses   share of sounding time per pitch class from C (12 values summing to 1), or null
 * @param notesPerSecond note onsets per second, or null
 * @param label          one of the corpus's labels (a composer, a style word), or null
 */
public record Controls(double[] pitchClasses, Double notesPerSecond, String label) {

    public Controls {
        if (pitchClasses != null) {
            pitchClasses = normalised(pitchClasses);
        }
        if (notesPerSecond != null && !(notesPerSecond > 0 && notesPerSecond <= 100)) {
            throw new IllegalArgumentException("notesPerSecond must be in (0, 100], got " + notesPerSecond);
        }
        label = label == null || label.isBlank() ? null : label.trim();
    }

    /** No controls: the model writes as it would unconditioned. */
    public static Controls none() {
        return new Controls(null, null, null);
    }

    /**
     * The controls a score reaches: its duration-weighted pitch classes and its notes per second, both of its piano
     * notes (drum hits are neither pitch classes nor notes, as in {@link ControlTrack}).
     */
    public static Controls of(Score score) {
        double seconds = score.lengthSeconds();
        Score piano = score.piano();
        double[] profile = KeyFinder.durationProfile(piano, 0, Double.POSITIVE_INFINITY);
        boolean silent = Arrays.stream(profile).allMatch(v -> v == 0);
        Double density = seconds > 0 && !piano.notes().isEmpty()
                ? Math.min(100, piano.notes().size() / seconds) : null;
        return new Controls(silent ? null : profile, density, null);
    }

    /** Asks for a key: its Krumhansl-Kessler profile as the pitch classes. */
    public Controls withKey(MusicalKey key) {
        return new Controls(key.profile(), notesPerSecond, label);
    }

    public Controls withNotesPerSecond(Double value) {
        return new Controls(pitchClasses, value, label);
    }

    public Controls withLabel(String value) {
        return new Controls(pitchClasses, notesPerSecond, value);
    }

    /** The key these pitch classes estimate to, or null without pitch classes. */
    public MusicalKey key() {
        return pitchClasses == null ? null : KeyFinder.estimate(pitchClasses);
    }

    public boolean isEmpty() {
        return pitchClasses == null && notesPerSecond == null && label == null;
    }

    @Override
    public double[] pitchClasses() {
        return pitchClasses == null ? null : pitchClasses.clone();
    }

    private static double[] normalised(double[] values) {
        if (values.length != 12) {
            throw new IllegalArgumentException("a pitch-class histogram has 12 values (C to B), got " + values.length);
        }
        double sum = 0;
        for (double v : values) {
            if (!(v >= 0 && Double.isFinite(v))) {
                throw new IllegalArgumentException("pitch-class weights must be finite and >= 0, got "
                        + Arrays.toString(values));
            }
            sum += v;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("a pitch-class histogram needs at least one weight above 0");
        }
        double[] out = new double[12];
        for (int i = 0; i < 12; i++) {
            out[i] = values[i] / sum;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Controls c && Arrays.equals(pitchClasses, c.pitchClasses)
                && Objects.equals(notesPerSecond, c.notesPerSecond) && Objects.equals(label, c.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(pitchClasses), notesPerSecond, label);
    }

    @Override
    public String toString() {
        return "Controls[key=" + key() + ", notesPerSecond=" + notesPerSecond + ", label=" + label + "]";
    }
}
