package org.musicgen.evaluation.ratings;

import java.util.Map;

/**
 * Body of {@code POST /api/ratings}. {@code trialId} names the trial of the rater's series being answered (what the
 * form sends); the planned series, not the request, then says what the trial is. Without it, an ordinary single
 * rating or preference of any sample in the test.
 * <ul>
 *   <li>A single trial: {@code sampleId} and {@code scores} (every question, 1-5).</li>
 *   <li>A paired trial: {@code sampleId} (the sample on the left), {@code pairedWith} (the one on the right) and
 *   {@code preferred} (one of the two).</li>
 *   <li>A Turing trial (needs {@code trialId}): {@code sampleId}, {@code pairedWith}, {@code preferred} (the clip the
 *   rater says a person wrote) and optionally {@code confidence} (1 guess, 2 fairly sure, 3 certain).</li>
 * </ul>
 */
public record RatingRequest(String trialId, String sampleId, Map<String, Integer> scores, String pairedWith,
                            String preferred, Integer confidence) {
}
