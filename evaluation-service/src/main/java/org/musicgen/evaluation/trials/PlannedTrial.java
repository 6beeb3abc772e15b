package org.musicgen.evaluation.trials;

import org.musicgen.evaluation.samples.Sample;

import java.util.List;

/**
 * A trial of a rater's series. Server-side only: the page gets the trial id, a kind that never says whether the
 * trial is a catch item, and the samples' opaque ids.
 *
 * @param trialId    opaque id the rater's answer names; null while the scheduler builds the series
 * @param type       single, pair (preference) or Turing
 * @param catchTrial a screening item (hidden reference or low anchor): shown as an ordinary single trial
 * @param samples    one sample, or two (left, right)
 */
public record PlannedTrial(String trialId, TrialType type, boolean catchTrial, List<Sample> samples) {

    public PlannedTrial {
        samples = List.copyOf(samples);
        if (samples.size() != type.clips()) {
            throw new IllegalArgumentException("a " + type.wireName() + " trial has " + type.clips() + " clips, not "
                    + samples.size());
        }
    }

    /** An ordinary single trial, or a preference between two samples (as before trial types). */
    public PlannedTrial(List<Sample> samples) {
        this(null, samples.size() == 2 ? TrialType.PAIR : TrialType.SINGLE, false, samples);
    }

    public PlannedTrial withId(String id) {
        return new PlannedTrial(id, type, catchTrial, samples);
    }

    public boolean isPair() {
        return type == TrialType.PAIR;
    }

    public boolean isTuring() {
        return type == TrialType.TURING;
    }

    public Sample first() {
        return samples.get(0);
    }

    /** True when the sample is one this trial plays. */
    public boolean plays(String sampleId) {
        return samples.stream().anyMatch(s -> s.sampleId().equals(sampleId));
    }
}
