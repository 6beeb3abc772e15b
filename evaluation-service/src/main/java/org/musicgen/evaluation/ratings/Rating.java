package org.musicgen.evaluation.ratings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.musicgen.evaluation.StateLayout;

import java.time.Instant;
import java.util.Map;

/**
 * One rating as stored in the {@code ratings} bucket. A single trial has {@code scores} (1-5 per
 * {@link Question}); a paired trial has {@code pairedWith} and {@code preferred}, {@code sampleId} being the sample
 * the rater heard on the left (position A), and empty scores.
 *
 * @param raterId     pseudonymous rater id (a hash of the cookie token; the token itself is never stored)
 * @param publishedAt when {@code ratings.submitted} was acknowledged by the broker; null until then (outbox)
 */
public record Rating(
        String ratingId,
        String raterId,
        String sampleId,
        String model,
        Map<String, Integer> scores,
        String pairedWith,
        String pairedModel,
        String preferred,
        Instant submittedAt,
        Instant publishedAt) {

    public Rating {
        scores = scores == null ? Map.of() : Map.copyOf(scores);
    }

    @JsonIgnore
    public boolean isPair() {
        return pairedWith != null;
    }

    /** The model of the preferred sample of a paired trial, else null. */
    @JsonIgnore
    public String preferredModel() {
        if (!isPair() || preferred == null) {
            return null;
        }
        return preferred.equals(sampleId) ? model : pairedModel;
    }

    /** True when the rater preferred the sample on the left (position A). */
    @JsonIgnore
    public boolean preferredLeft() {
        return isPair() && sampleId.equals(preferred);
    }

    @JsonIgnore
    public String storageKey() {
        return isPair() ? StateLayout.pairRatingKey(raterId, sampleId, pairedWith)
                : StateLayout.singleRatingKey(raterId, sampleId);
    }

    public Rating published(Instant at) {
        return new Rating(ratingId, raterId, sampleId, model, scores, pairedWith, pairedModel, preferred, submittedAt,
                at);
    }
}
