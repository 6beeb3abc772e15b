package org.musicgen.core.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * What tells one composer's playing from another's in an excerpt, as numbers: its pitch classes relative to its
 * estimated key (so that the same style in two keys looks alike), the key's mode, its melodic intervals, how fast
 * and how thick it is, where on the keyboard it sits and how it is played (velocity, note lengths, time between
 * onsets). The feature input of {@link LabelClassifier}.
 */
public final class StyleFeatures {

    /** Interval bins: 0 to 11 semitones, then an octave or more. */
    private static final int INTERVAL_BINS = 13;
    /** A chord's notes rarely start more than this far apart; later onsets are a new event. */
    private static final double SAME_ONSET_SECONDS = 0.03;
    private static final double SHORTEST_SECONDS = 0.01;

    public static final List<String> NAMES = names();

    private StyleFeatures() {
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add("pitch_class_from_tonic_" + i);
        }
        names.add("minor");
        for (int i = 0; i < INTERVAL_BINS; i++) {
            names.add("interval_" + i + (i == INTERVAL_BINS - 1 ? "_or_more" : ""));
        }
        names.addAll(List.of("log_notes_per_second", "polyphony", "pitch_mean", "pitch_spread", "velocity_mean",
                "velocity_spread", "log_duration_mean", "log_duration_spread", "log_onset_gap_mean",
                "log_onset_gap_spread"));
        return List.copyOf(names);
    }

    /**
     * The features of {@code excerpt}'s piano notes (drum hits have no pitch to measure), in {@link #NAMES} order; all
     * zeros for an excerpt without notes.
     */
    public static double[] of(Score excerpt) {
        double[] out = new double[NAMES.size()];
        Score piano = excerpt.piano();
        List<Note> notes = piano.notes();
        if (notes.isEmpty()) {
            return out;
        }
        int at = 0;
        double[] profile = KeyFinder.durationProfile(piano, 0, Double.POSITIVE_INFINITY);
        MusicalKey key = KeyFinder.estimate(profile);
        for (int i = 0; i < 12; i++) {
            out[at++] = profile[(key.tonic() + i) % 12];
        }
        out[at++] = key.minor() ? 1 : 0;
        // successive notes in onset order: a melody's steps and leaps, a chord's spacing
        double[] intervals = new double[INTERVAL_BINS];
        for (int i = 1; i < notes.size(); i++) {
            intervals[Math.min(INTERVAL_BINS - 1, Math.abs(notes.get(i).pitch() - notes.get(i - 1).pitch()))]++;
        }
        for (int i = 0; i < INTERVAL_BINS; i++) {
            out[at++] = notes.size() > 1 ? intervals[i] / (notes.size() - 1) : 0;
        }
        double start = notes.get(0).onsetSeconds();
        double end = excerpt.lengthSeconds();
        out[at++] = Math.log(notes.size() / Math.max(end - start, 1.0));
        double sounding = 0;
        double[] pitches = new double[notes.size()];
        double[] velocities = new double[notes.size()];
        double[] durations = new double[notes.size()];
        for (int i = 0; i < notes.size(); i++) {
            Note n = notes.get(i);
            sounding += n.durationSeconds();
            pitches[i] = n.pitch();
            velocities[i] = n.velocity();
            durations[i] = Math.log(Math.max(SHORTEST_SECONDS, n.durationSeconds()));
        }
        out[at++] = sounding / Math.max(end - start, SHORTEST_SECONDS);
        at = meanAndSpread(pitches, out, at);
        at = meanAndSpread(velocities, out, at);
        at = meanAndSpread(durations, out, at);
        double[] gaps = new double[notes.size()];
        int gapCount = 0;
        double last = start;
        for (Note n : notes) {
            if (n.onsetSeconds() - last > SAME_ONSET_SECONDS) {
                gaps[gapCount++] = Math.log(n.onsetSeconds() - last);
                last = n.onsetSeconds();
            }
        }
        meanAndSpread(Arrays.copyOf(gaps, gapCount), out, at);
        return out;
    }

    /** Writes the mean and standard deviation of {@code values} (zeros when empty); returns the next position. */
    private static int meanAndSpread(double[] values, double[] out, int at) {
        if (values.length == 0) {
            return at + 2;
        }
        double mean = Arrays.stream(values).average().orElse(0);
        double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(0);
        out[at] = mean;
        out[at + 1] = Math.sqrt(variance);
        return at + 2;
    }
}
