package org.musicgen.evaluation;

import org.musicgen.platform.storage.Buckets;

/**
 * Where the evaluation service keeps its durable state, all in the {@code ratings} bucket:
 * <ul>
 *   <li>{@code ratings/<raterId>/<sampleId>.json}: a single-sample rating (one per rater and sample);</li>
 *   <li>{@code ratings/<raterId>/pair-<sampleA>-<sampleB>.json}: a preference between two samples (ids sorted);</li>
 *   <li>{@code ratings/<raterId>/turing-<sampleA>-<sampleB>.json}: a Turing answer on a real and a generated clip
 *   (ids sorted);</li>
 *   <li>{@code ratings/<raterId>/catch-<sampleId>.json}: a screening item (hidden reference or low anchor), apart
 *   from the rater's ordinary rating of the same sample;</li>
 *   <li>{@code catalogue/samples/<sampleId>.json}: the catalogue copy of each {@code samples.generated} event;</li>
 *   <li>{@code catalogue/runs/<runId>.json}: the training curve of each run from {@code training.progress}.</li>
 * </ul>
 */
public final class StateLayout {

    public static final String BUCKET = Buckets.RATINGS;
    public static final String RATINGS_PREFIX = "ratings/";
    public static final String SAMPLES_PREFIX = "catalogue/samples/";
    public static final String RUNS_PREFIX = "catalogue/runs/";
    public static final String JSON = ".json";

    private StateLayout() {
    }

    /** Where every rating of one rater lies (one listing finds them all). */
    public static String raterPrefix(String raterId) {
        return RATINGS_PREFIX + raterId + "/";
    }

    public static String singleRatingKey(String raterId, String sampleId) {
        return raterPrefix(raterId) + sampleId + JSON;
    }

    public static String pairRatingKey(String raterId, String sampleA, String sampleB) {
        return twoClipKey(raterId, "pair-", sampleA, sampleB);
    }

    public static String turingRatingKey(String raterId, String sampleA, String sampleB) {
        return twoClipKey(raterId, "turing-", sampleA, sampleB);
    }

    public static String catchRatingKey(String raterId, String sampleId) {
        return raterPrefix(raterId) + "catch-" + sampleId + JSON;
    }

    private static String twoClipKey(String raterId, String prefix, String sampleA, String sampleB) {
        String first = sampleA.compareTo(sampleB) <= 0 ? sampleA : sampleB;
        String second = first.equals(sampleA) ? sampleB : sampleA;
        return raterPrefix(raterId) + prefix + first + "-" + second + JSON;
    }
}
