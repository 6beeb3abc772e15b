package org.musicgen.evaluation.ratings;

import java.util.Map;

/**
 * Body of {@code POST /api/ratings}. A single trial: {@code sampleId} and {@code scores} (every question, 1-5).
 * A paired trial: {@code sampleId} (the sample on the left), {@code pairedWith} (the one on the right) and
 * {@code preferred} (one of the two).
 */
public record RatingRequest(String sampleId, Map<String, Integer> scores, String pairedWith, String preferred) {
}
