package org.musicgen.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.core.roll.RollGrid;

/**
 * Objective measures of the drum track of roll phrases ({@link PianoRoll#drumCells()}), after MuseGAN's drum pattern
 * and the plain facts of a groove: how many hits a bar, whether bars start with a kick, and how the hits are shared
 * between kick, snare and hi-hats. A model's phrases are compared with real held-out phrases through
 * {@link #inside}, the 5th-95th percentile test {@link ExcerptStatistics#inside(List, List, List)} applies to the
 * piano statistics.
 *
 * <p>The drum pattern is measured on the roll grid, the hits of real pieces rounded to their nearest sixteenth (the
 * rounding is the tolerance: half a sixteenth either way, 62 ms at 120 beats a minute). MuseGAN counts the hits that
 * fall on an 8- or 16-beat pattern of a grid of 24 steps a beat, where a hit can sit between sixteenths; the GAN here
 * writes sixteenths only, so every hit it writes is on the 16-beat pattern and that share would be 1 for any roll,
 * random or real. What still tells a groove from noise on this grid is the eighth-note pattern: the share of hits on
 * eighths (kick, snare and hats of a rock beat all are; random hits are half on, half off), which is what
 * {@code drum_pattern} measures.
 *
 * <p>A groove repeats: {@code bar_repetition} is the share of a phrase's hits after its first bar that the bar before
 * had too (same drum, same step). Real grooves spread widely on the others (a jazz ride pattern is a third off the
 * eighths, a fill has no kick on one), so random hits of the corpus's density can sit inside the real spread of all
 * of them; bar to bar they repeat only as often as a cell is hit at all.
 */
public final class DrumStatistics {

    /**
     * {@code drum_pattern}: share of hits on an eighth-note step; {@code hits_per_bar}; {@code kick_on_one}: share of
     * bars with a kick on their first step; {@code kick_share}, {@code snare_share}, {@code hat_share}: shares of the
     * hits that are kicks, snares and hi-hats (closed or open); {@code bar_repetition}: share of the hits after the
     * first bar that the bar before had at the same step (NaN for a phrase of one bar or without hits after it).
     */
    public static final List<String> NAMES = List.of("drum_pattern", "hits_per_bar", "kick_on_one", "kick_share",
            "snare_share", "hat_share", "bar_repetition");

    private final RollGrid grid;

    public DrumStatistics(RollGrid grid) {
        this.grid = grid;
    }

    /** Name to value in {@link #NAMES} order; the shares of hits are NaN for a phrase without hits. */
    public Map<String, Double> of(PianoRoll roll) {
        int stepsPerBar = grid.stepsPerBar();
        int eighth = Math.max(1, grid.stepsPerBeat() / 2);
        int bars = Math.max(1, roll.frames() / stepsPerBar);
        int[] hits = roll.drumCells();
        int[] perClass = new int[PianoRoll.DRUMS];
        int onEighths = 0;
        boolean[] kickOnOne = new boolean[bars];
        for (int cell : hits) {
            int frame = cell / PianoRoll.DRUMS;
            int drum = cell % PianoRoll.DRUMS;
            perClass[drum]++;
            onEighths += frame % eighth == 0 ? 1 : 0;
            if (drum == DrumKit.KICK && frame % stepsPerBar == 0 && frame / stepsPerBar < bars) {
                kickOnOne[frame / stepsPerBar] = true;
            }
        }
        int later = 0;
        int repeated = 0;
        for (int cell : hits) {
            int frame = cell / PianoRoll.DRUMS;
            if (frame >= stepsPerBar && frame < bars * stepsPerBar) {
                later++;
                repeated += roll.isHit(frame - stepsPerBar, cell % PianoRoll.DRUMS) ? 1 : 0;
            }
        }
        int kickBars = 0;
        for (boolean k : kickOnOne) {
            kickBars += k ? 1 : 0;
        }
        double n = hits.length;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("drum_pattern", n == 0 ? Double.NaN : onEighths / n);
        out.put("hits_per_bar", n / bars);
        out.put("kick_on_one", (double) kickBars / bars);
        out.put("kick_share", n == 0 ? Double.NaN : perClass[DrumKit.KICK] / n);
        out.put("snare_share", n == 0 ? Double.NaN : perClass[DrumKit.SNARE] / n);
        out.put("hat_share", n == 0 ? Double.NaN : (perClass[DrumKit.CLOSED_HAT] + perClass[DrumKit.OPEN_HAT]) / n);
        out.put("bar_repetition", later == 0 ? Double.NaN : (double) repeated / later);
        return out;
    }

    /** {@link #of} of every roll, in order. */
    public List<Map<String, Double>> of(List<PianoRoll> rolls) {
        return rolls.stream().map(this::of).toList();
    }

    /** Per statistic, whether the mean of {@code samples}' values lies inside the 5th-95th percentile of {@code real}'s. */
    public static Map<String, Boolean> inside(List<Map<String, Double>> samples, List<Map<String, Double>> real) {
        return ExcerptStatistics.inside(samples, real, NAMES);
    }

    /** How many of the {@link #NAMES} {@link #inside} finds inside. */
    public static int insideCount(List<Map<String, Double>> samples, List<Map<String, Double>> real) {
        return (int) inside(samples, real).values().stream().filter(b -> b).count();
    }

    /** Mean of each statistic over phrases (NaN skipped). */
    public static Map<String, Double> mean(List<Map<String, Double>> phrases) {
        return ExcerptStatistics.mean(phrases, NAMES);
    }

    /** Median of each statistic over phrases (NaN skipped; NaN where none has a value). */
    public static Map<String, Double> median(List<Map<String, Double>> phrases) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : NAMES) {
            double[] v = phrases.stream().mapToDouble(m -> m.get(name)).filter(x -> !Double.isNaN(x)).sorted()
                    .toArray();
            out.put(name, v.length == 0 ? Double.NaN : v[v.length / 2]);
        }
        return out;
    }

    /**
     * The baseline: {@code count} phrases of {@code frames} frames without keys whose drum cells are hits
     * independently, each with the share of {@code real}'s drum cells that are hits (the real mean density, spread
     * evenly over the classes and the steps: a groove's density without its pattern).
     */
    public static List<PianoRoll> randomRolls(List<PianoRoll> real, int frames, int count, long seed) {
        double cells = real.stream().mapToDouble(r -> (double) r.frames() * PianoRoll.DRUMS).sum();
        double density = cells == 0 ? 0 : real.stream().mapToDouble(PianoRoll::drumHits).sum() / cells;
        Random random = new Random(seed);
        List<PianoRoll> out = new ArrayList<>(count);
        int[] hits = new int[frames * PianoRoll.DRUMS];
        for (int i = 0; i < count; i++) {
            int n = 0;
            for (int c = 0; c < hits.length; c++) {
                if (random.nextDouble() < density) {
                    hits[n++] = c;
                }
            }
            out.add(new PianoRoll(frames, new int[0], Arrays.copyOf(hits, n)));
        }
        return out;
    }
}
