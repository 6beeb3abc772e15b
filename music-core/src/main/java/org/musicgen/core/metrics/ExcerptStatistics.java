package org.musicgen.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * What a listener hears of an excerpt, in numbers that any encoding's output can be compared on with real
 * excerpts of the same length (MuseGAN and Performance RNN evaluate samples this way): how far its pitch-class
 * and velocity histograms are from the reference corpus's, how dense it is (notes per second), how many notes
 * sound at once, and its pitch range. A model's samples are judged {@link #inside} the spread of real held-out
 * excerpts, not against a single number.
 */
public final class ExcerptStatistics {

    public static final List<String> NAMES = List.of("pitch_class_distance", "notes_per_second", "polyphony",
            "velocity_distance", "pitch_range");
    private static final int VELOCITY_BINS = 8;

    private final double[] pitchClasses;
    private final double[] velocities;

    /** Statistics relative to the histograms of {@code reference} (e.g. the held-out pieces). */
    public ExcerptStatistics(List<Score> reference) {
        double[] pc = new double[12];
        double[] vel = new double[VELOCITY_BINS];
        for (Score s : reference) {
            for (Note n : s.piano().notes()) { // drum hits have no pitch class
                pc[n.pitch() % 12]++;
                vel[velocityBin(n.velocity())]++;
            }
        }
        this.pitchClasses = normalised(pc);
        this.velocities = normalised(vel);
    }

    private static int velocityBin(int velocity) {
        return Math.min(VELOCITY_BINS - 1, (velocity - 1) * VELOCITY_BINS / 127);
    }

    /** Name to value, in {@link #NAMES} order; NaN for an excerpt without notes. */
    public Map<String, Double> of(Score score) {
        List<Note> notes = score.piano().notes(); // measured on the piano: a drum's pitch names the drum
        Map<String, Double> out = new LinkedHashMap<>();
        if (notes.isEmpty()) {
            NAMES.forEach(n -> out.put(n, Double.NaN));
            return out;
        }
        double[] pc = new double[12];
        double[] vel = new double[VELOCITY_BINS];
        int low = 127;
        int high = 0;
        double start = Double.MAX_VALUE;
        double end = 0;
        for (Note n : notes) {
            pc[n.pitch() % 12]++;
            vel[velocityBin(n.velocity())]++;
            low = Math.min(low, n.pitch());
            high = Math.max(high, n.pitch());
            start = Math.min(start, n.onsetSeconds());
            end = Math.max(end, n.endSeconds());
        }
        double seconds = Math.max(end - start, 0.01);
        out.put("pitch_class_distance", distance(normalised(pc), pitchClasses));
        out.put("notes_per_second", notes.size() / seconds);
        out.put("polyphony", polyphony(notes, seconds));
        out.put("velocity_distance", distance(normalised(vel), velocities));
        out.put("pitch_range", (double) (high - low));
        return out;
    }

    /** Mean number of notes sounding over the time at least one sounds. */
    private static double polyphony(List<Note> notes, double span) {
        double[][] events = new double[notes.size() * 2][];
        int i = 0;
        for (Note n : notes) {
            events[i++] = new double[] {n.onsetSeconds(), 1};
            events[i++] = new double[] {n.endSeconds(), -1};
        }
        Arrays.sort(events, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        double sounding = 0;
        double area = 0;
        double covered = 0;
        double last = events[0][0];
        for (double[] e : events) {
            double dt = e[0] - last;
            if (sounding > 0) {
                area += sounding * dt;
                covered += dt;
            }
            sounding += e[1];
            last = e[0];
        }
        return covered > 0 ? area / covered : 1;
    }

    /**
     * For each statistic, whether the mean over {@code samples} lies within the {@link #spread} of the values of
     * {@code real} excerpts.
     */
    public static Map<String, Boolean> inside(List<Map<String, Double>> samples, List<Map<String, Double>> real) {
        return inside(samples, real, NAMES);
    }

    /** {@link #inside(List, List)} for the statistics {@code names} (e.g. {@link RollStatistics#NAMES}). */
    public static Map<String, Boolean> inside(List<Map<String, Double>> samples, List<Map<String, Double>> real,
                                              List<String> names) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        Map<String, double[]> spread = spread(real, names);
        Map<String, Double> means = mean(samples, names);
        for (String name : names) {
            double[] range = spread.get(name);
            double mean = means.get(name);
            out.put(name, range != null && !Double.isNaN(mean) && mean >= range[0] && mean <= range[1]);
        }
        return out;
    }

    /**
     * For each statistic with values, the range of the real excerpts: their 5th to 95th percentile when there are
     * 20 or more, else min to max.
     */
    public static Map<String, double[]> spread(List<Map<String, Double>> real) {
        return spread(real, NAMES);
    }

    /** {@link #spread(List)} of the statistics {@code names}. */
    public static Map<String, double[]> spread(List<Map<String, Double>> real, List<String> names) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String name : names) {
            double[] r = real.stream().mapToDouble(m -> m.get(name)).filter(v -> !Double.isNaN(v)).sorted().toArray();
            if (r.length > 0) {
                int cut = r.length >= 20 ? (int) Math.floor(r.length * 0.05) : 0;
                out.put(name, new double[] {r[cut], r[r.length - 1 - cut]});
            }
        }
        return out;
    }

    /** Mean of each statistic over excerpts (NaN skipped). */
    public static Map<String, Double> mean(List<Map<String, Double>> excerpts) {
        return mean(excerpts, NAMES);
    }

    /** {@link #mean(List)} of the statistics {@code names}. */
    public static Map<String, Double> mean(List<Map<String, Double>> excerpts, List<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, excerpts.stream().mapToDouble(m -> m.get(name)).filter(v -> !Double.isNaN(v)).average()
                    .orElse(Double.NaN));
        }
        return out;
    }

    /**
     * Share of the sample's 8-note pitch sequences (notes in onset order) that occur in the training pieces: a
     * model that copies its training data scores near 1, new music near 0.
     */
    public static double copiedShare(Score sample, Set<String> trainingNgrams, int n) {
        int[] pitches = pitchesInOrder(sample);
        int total = 0;
        int copied = 0;
        for (int i = 0; i + n <= pitches.length; i++) {
            total++;
            if (trainingNgrams.contains(key(pitches, i, n))) {
                copied++;
            }
        }
        return total == 0 ? Double.NaN : (double) copied / total;
    }

    /** Every n-note pitch sequence of the pieces, for {@link #copiedShare}. */
    public static Set<String> noteNgrams(List<Score> pieces, int n) {
        Set<String> out = new HashSet<>();
        for (Score s : pieces) {
            int[] pitches = pitchesInOrder(s);
            for (int i = 0; i + n <= pitches.length; i++) {
                out.add(key(pitches, i, n));
            }
        }
        return out;
    }

    private static int[] pitchesInOrder(Score s) {
        List<Note> notes = new ArrayList<>(s.piano().notes());
        notes.sort((a, b) -> a.onsetSeconds() != b.onsetSeconds() ? Double.compare(a.onsetSeconds(), b.onsetSeconds())
                : Integer.compare(a.pitch(), b.pitch()));
        return notes.stream().mapToInt(Note::pitch).toArray();
    }

    private static String key(int[] pitches, int from, int n) {
        StringBuilder sb = new StringBuilder(n * 3);
        for (int i = from; i < from + n; i++) {
            sb.append((char) pitches[i]);
        }
        return sb.toString();
    }

    static double[] normalised(double[] counts) {
        double total = Arrays.stream(counts).sum();
        double[] out = counts.clone();
        for (int i = 0; i < out.length && total > 0; i++) {
            out[i] /= total;
        }
        return out;
    }

    /** Total-variation distance between two distributions. */
    static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / 2;
    }
}
