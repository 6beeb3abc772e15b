package org.musicgen.platform.events;

import java.time.Instant;
import java.util.Map;

/**
 * Sent on {@link Topics#RATINGS_SUBMITTED} once a rating is durable in the {@code ratings} bucket.
 *
 * @param scores      1-5 answers by question name (e.g. {@code pleasing}, {@code humanlike}, {@code interesting});
 *                    empty for a pure preference trial
 * @param pairedWith  the other sample of a paired trial, or null
 * @param preferred   the sample the rater preferred in a paired trial, or null
 */
public record RatingSubmitted(
        String eventId,
        String type,
        Instant occurredAt,
        String ratingId,
        String raterId,
        String sampleId,
        String model,
        Map<String, Integer> scores,
        String pairedWith,
        String preferred) {

    public static final String TYPE = Topics.RATINGS_SUBMITTED;

    public static RatingSubmitted of(String ratingId, String raterId, String sampleId, String model,
                                     Map<String, Integer> scores, String pairedWith, String preferred,
                                     Instant occurredAt) {
        return new RatingSubmitted(EventIds.of(TYPE, ratingId), TYPE, occurredAt, ratingId, raterId, sampleId, model,
                Map.copyOf(scores), pairedWith, preferred);
    }
}
