package org.musicgen.core.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.core.roll.RollGrid;

/**
 * Objective measures of piano-roll phrases, after MuseGAN's: how far a phrase's pitch classes are from the
 * reference corpus's, how many keys sound at once, notes a bar, the share of empty bars, the pitch range and the
 * qualified-note rate (notes not fragmented into single grid steps). A model's phrases are compared with real
 * held-out phrases of the same length through {@link ExcerptStatistics#inside(List, List, List)}.
 *
 * <p>MuseGAN counts a note as qualified from three steps of its 24-a-beat grid (a 32nd note); on a grid of
 * sixteenths every note would pass that, so here a note qualifies from two steps (an eighth note).
 */
public final class RollStatistics {

    public static final List<String> NAMES = List.of("pitch_class_distance", "polyphony", "notes_per_bar",
            "empty_bar_rate", "pitch_range", "qualified_note_rate");
    /** Shortest qualified note, in grid steps. */
    public static final int QUALIFIED_STEPS = 2;

    private final RollGrid grid;
    private final double[] pitchClasses;

    /** Measures relative to the pitch classes of the notes of {@code reference} (e.g. the training phrases). */
    public RollStatistics(RollGrid grid, List<PianoRoll> reference) {
        this.grid = grid;
        double[] pc = new double[12];
        for (PianoRoll roll : reference) {
            addPitchClasses(roll, pc);
        }
        this.pitchClasses = ExcerptStatistics.normalised(pc);
    }

    private static void addPitchClasses(PianoRoll roll, double[] counts) {
        for (int[] note : roll.notes()) {
            counts[(note[0] + PianoRoll.LOWEST_PITCH) % 12]++;
        }
    }

    /** Name to value in {@link #NAMES} order; NaN where a phrase without notes has none. */
    public Map<String, Double> of(PianoRoll roll) {
        Map<String, Double> out = new LinkedHashMap<>();
        List<int[]> notes = roll.notes();
        int bars = Math.max(1, roll.frames() / grid.stepsPerBar());
        int[] perFrame = roll.keysPerFrame();
        int emptyBars = 0;
        for (int b = 0; b < bars; b++) {
            int sounding = 0;
            for (int f = b * grid.stepsPerBar(); f < Math.min(roll.frames(), (b + 1) * grid.stepsPerBar()); f++) {
                sounding += perFrame[f];
            }
            emptyBars += sounding == 0 ? 1 : 0;
        }
        if (notes.isEmpty()) {
            out.put("pitch_class_distance", Double.NaN);
            out.put("polyphony", Double.NaN);
            out.put("notes_per_bar", 0.0);
            out.put("empty_bar_rate", (double) emptyBars / bars);
            out.put("pitch_range", Double.NaN);
            out.put("qualified_note_rate", Double.NaN);
            return out;
        }
        double[] pc = new double[12];
        addPitchClasses(roll, pc);
        int low = PianoRoll.KEYS;
        int high = 0;
        int qualified = 0;
        for (int[] note : notes) {
            low = Math.min(low, note[0]);
            high = Math.max(high, note[0]);
            qualified += note[2] >= QUALIFIED_STEPS ? 1 : 0;
        }
        long soundingFrames = 0;
        long sounding = 0;
        for (int k : perFrame) {
            soundingFrames += k > 0 ? 1 : 0;
            sounding += k;
        }
        out.put("pitch_class_distance", ExcerptStatistics.distance(ExcerptStatistics.normalised(pc), pitchClasses));
        out.put("polyphony", (double) sounding / soundingFrames);
        out.put("notes_per_bar", (double) notes.size() / bars);
        out.put("empty_bar_rate", (double) emptyBars / bars);
        out.put("pitch_range", (double) (high - low));
        out.put("qualified_note_rate", (double) qualified / notes.size());
        return out;
    }

    /**
     * Mean pairwise total-variation distance between the phrases' pitch-class histograms, phrases without notes
     * left out: near 0 when a generator plays the same material every time (mode collapse); NaN under two phrases.
     */
    public static double diversity(List<PianoRoll> rolls) {
        List<double[]> histograms = rolls.stream().map(r -> {
            double[] pc = new double[12];
            addPitchClasses(r, pc);
            return pc;
        }).filter(pc -> java.util.Arrays.stream(pc).sum() > 0).map(ExcerptStatistics::normalised).toList();
        if (histograms.size() < 2) {
            return Double.NaN;
        }
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < histograms.size(); i++) {
            for (int j = i + 1; j < histograms.size(); j++) {
                sum += ExcerptStatistics.distance(histograms.get(i), histograms.get(j));
                pairs++;
            }
        }
        return sum / pairs;
    }
}
