package org.musicgen.evaluation.trials;

import org.musicgen.evaluation.samples.Sample;

import java.util.List;

/** A trial of a rater's series: one sample, or two (left, right) for a preference. Server-side only. */
public record PlannedTrial(List<Sample> samples) {

    public PlannedTrial {
        samples = List.copyOf(samples);
    }

    public boolean isPair() {
        return samples.size() == 2;
    }
}
