package org.musicgen.evaluation.messaging;

import org.musicgen.platform.events.EventIds;

import java.time.Instant;
import java.util.List;

/**
 * Sent on {@link #TOPIC} (keyed by rater id) when a replica planned a rater's series, so that every replica counts
 * the same exposures and can continue the rater's series. Internal to the evaluation service: it names the models,
 * like {@code ratings.submitted}, and never reaches a rater.
 *
 * @param planId identifies this plan; of two plans with the same series number the larger id wins everywhere
 * @param series the rater's series number (1, 2, ...)
 * @param trials each trial's samples in the order shown (left, right for a pair)
 */
public record TrialsPlanned(
        String eventId,
        String type,
        Instant occurredAt,
        String planId,
        String raterId,
        int series,
        List<List<PlannedSample>> trials) {

    public static final String TOPIC = "trials.planned";
    public static final String TYPE = TOPIC;

    public TrialsPlanned {
        trials = trials == null ? List.of() : trials.stream().map(List::copyOf).toList();
    }

    public static TrialsPlanned of(String planId, String raterId, int series, List<List<PlannedSample>> trials,
                                   Instant occurredAt) {
        return new TrialsPlanned(EventIds.of(TYPE, planId), TYPE, occurredAt, planId, raterId, series, trials);
    }

    public record PlannedSample(String sampleId, String model) {
    }
}
