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
 * @param trialType   {@code single}, {@code pair} (preference) or {@code turing} (which of a real and a generated
 *                    clip was written by a person: {@code preferred} is the clip chosen as human); records stored
 *                    before trial types existed read as single or pair
 * @param catchTrial  true for a screening item (the hidden reference or the low anchor of a catch trial): it decides
 *                    whether the rater is screened out and never enters the verdict itself
 * @param clipSeconds the clip length of the experiment the rated samples were cut to; null for older records
 * @param confidence  how sure the rater was of a Turing answer (1-3), when they said; null otherwise
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
        Instant publishedAt,
        String trialType,
        boolean catchTrial,
        Double clipSeconds,
        Integer confidence) {

    public static final String SINGLE = "single";
    public static final String PAIR = "pair";
    public static final String TURING = "turing";

    public Rating {
        scores = scores == null ? Map.of() : Map.copyOf(scores);
        if (trialType == null) {
            trialType = pairedWith == null ? SINGLE : PAIR;
        }
    }

    @JsonIgnore
    public boolean isTuring() {
        return TURING.equals(trialType);
    }

    /** A preference between two clips (not a Turing answer). */
    @JsonIgnore
    public boolean isPair() {
        return PAIR.equals(trialType);
    }

    /** A trial of two clips: a preference or a Turing answer. */
    @JsonIgnore
    public boolean hasTwoClips() {
        return pairedWith != null;
    }

    /** The model of the chosen sample of a two-clip trial (preferred, or picked as human), else null. */
    @JsonIgnore
    public String preferredModel() {
        if (!hasTwoClips() || preferred == null) {
            return null;
        }
        return preferred.equals(sampleId) ? model : pairedModel;
    }

    /** True when the rater chose the sample on the left (position A) of a two-clip trial. */
    @JsonIgnore
    public boolean preferredLeft() {
        return hasTwoClips() && sampleId.equals(preferred);
    }

    @JsonIgnore
    public String storageKey() {
        if (isTuring()) {
            return StateLayout.turingRatingKey(raterId, sampleId, pairedWith);
        }
        if (hasTwoClips()) {
            return StateLayout.pairRatingKey(raterId, sampleId, pairedWith);
        }
        return catchTrial ? StateLayout.catchRatingKey(raterId, sampleId)
                : StateLayout.singleRatingKey(raterId, sampleId);
    }

    public Rating published(Instant at) {
        return new Rating(ratingId, raterId, sampleId, model, scores, pairedWith, pairedModel, preferred, submittedAt,
                at, trialType, catchTrial, clipSeconds, confidence);
    }
}
