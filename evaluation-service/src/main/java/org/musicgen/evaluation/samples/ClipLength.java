package org.musicgen.evaluation.samples;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The experiment's clip length and which samples may enter a trial at it. Every clip of one experiment is cut to the
 * same length, so only samples cut to that length are planned; a sample shorter than its clip by more than
 * {@link #MARGIN_SECONDS} is a model that could not fill the clip: it stays in the catalogue (to be reported by name)
 * but is never planned.
 */
public final class ClipLength {

    /** How much shorter than its clip a sample may be and still count as filling it. */
    public static final double MARGIN_SECONDS = 0.5;
    /** Clip lengths closer than this are the same length (they come from one configured number). */
    private static final double SAME = 1e-3;

    private ClipLength() {
    }

    /**
     * The experiment's clip length: the configured one, else the clip length most samples were cut to (of two
     * equally common lengths, the longer); empty when no sample has a clip length (a catalogue of older samples).
     */
    public static Optional<Double> of(Collection<Sample> samples, Optional<Double> configured) {
        if (configured.isPresent()) {
            return configured;
        }
        Map<Double, Integer> counts = new TreeMap<>();
        for (Sample sample : samples) {
            if (sample.clipSeconds() != null) {
                counts.merge(rounded(sample.clipSeconds()), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Comparator.comparingInt((Map.Entry<Double, Integer> e) -> e.getValue())
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
    }

    /**
     * The samples that may be planned into trials: those cut to the experiment's clip length that fill it. When no
     * sample has a clip length at all (older samples only), every sample, as before clips existed.
     */
    public static List<Sample> playable(Collection<Sample> samples, Optional<Double> configured) {
        boolean anyClipped = samples.stream().anyMatch(s -> s.clipSeconds() != null);
        if (!anyClipped) {
            return List.copyOf(samples);
        }
        double clip = of(samples, configured).orElseThrow();
        return samples.stream().filter(s -> isCutTo(s, clip) && fillsClip(s)).toList();
    }

    /** True when the sample was cut to this clip length. */
    public static boolean isCutTo(Sample sample, double clip) {
        return sample.clipSeconds() != null && Math.abs(sample.clipSeconds() - clip) < SAME;
    }

    /** False for a sample shorter than its clip by more than the margin (its model could not fill the clip). */
    public static boolean fillsClip(Sample sample) {
        return sample.clipSeconds() == null || sample.durationSeconds() >= sample.clipSeconds() - MARGIN_SECONDS;
    }

    private static double rounded(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
