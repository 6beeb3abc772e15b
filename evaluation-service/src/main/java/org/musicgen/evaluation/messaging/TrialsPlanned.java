package org.musicgen.evaluation.messaging;

import org.musicgen.platform.events.EventIds;

import java.time.Instant;
import java.util.List;

/**
 * Sent on {@link #TOPIC} (keyed by rater id) when a replica planned a rater's series, so that every replica counts
 * the same exposures, can continue the rater's series and can check an answer against it. Internal to the evaluation
 * service: it names the models and the catch items, like {@code ratings.submitted}, and never reaches a rater.
 *
 * @param planId    identifies this plan; of two plans with the same series number the larger id wins everywhere
 * @param series    the rater's series number (1, 2, ...)
 * @param trials    each trial's samples in the order shown (left, right for a pair or a Turing trial)
 * @param trialInfo for each trial of {@code trials}, at the same index: its id, type and catch flag; empty in plans
 *                  sent before trial types existed (then one sample is a single trial and two are a pair)
 */
public record TrialsPlanned(
        String eventId,
        String type,
        Instant occurredAt,
        String planId,
        String raterId,
        int series,
        List<List<PlannedSample>> trials,
        List<TrialInfo> trialInfo) {

    public static final String TOPIC = "trials.planned";
    public static final String TYPE = TOPIC;

    public TrialsPlanned {
        trials = trials == null ? List.of() : trials.stream().map(List::copyOf).toList();
        trialInfo = trialInfo == null ? List.of() : List.copyOf(trialInfo);
    }

    public static TrialsPlanned of(String planId, String raterId, int series, List<List<PlannedSample>> trials,
                                   List<TrialInfo> trialInfo, Instant occurredAt) {
        return new TrialsPlanned(EventIds.of(TYPE, planId), TYPE, occurredAt, planId, raterId, series, trials,
                trialInfo);
    }

    public record PlannedSample(String sampleId, String model) {
    }

    /**
     * @param trialId    the opaque id the rater's answer names
     * @param trialType  {@code single}, {@code pair} or {@code turing}
     * @param catchTrial a screening item (hidden reference or low anchor)
     */
    public record TrialInfo(String trialId, String trialType, boolean catchTrial) {
    }
}
