package org.musicgen.evaluation.results;

import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.samples.ModelKind;
import org.musicgen.evaluation.samples.Sample;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Screening of raters by their catch trials (MUSHRA-style post-screening). A catch trial is a hidden reference (a
 * real excerpt) and its low anchor (the same excerpt with its pitches scrambled) rated as single items by the same
 * rater; it is completed when both are rated and FAILS when the anchor's mean score over the three questions is at
 * or above the reference's. A rater who failed more than {@code maxFailureShare} of their completed catch trials is
 * excluded from the screened verdict; raters are listed and counted, never deleted.
 *
 * @param raters          every rater with at least one rating
 * @param ratersChecked   raters with at least one completed catch trial
 * @param catchTrials     completed catch trials of all raters
 * @param failedTrials    failed ones among them
 * @param excluded        the excluded raters, by pseudonymous id
 */
public record Screening(double maxFailureShare, int raters, int ratersChecked, int catchTrials, int failedTrials,
                        List<RaterCheck> excluded) {

    /** One rater's catch trials. */
    public record RaterCheck(String raterId, int completed, int failed) {

        public double failedShare() {
            return completed == 0 ? 0 : (double) failed / completed;
        }
    }

    public int excludedCount() {
        return excluded.size();
    }

    /** The ids of the excluded raters. */
    public Set<String> excludedIds() {
        return excluded.stream().map(RaterCheck::raterId).collect(Collectors.toSet());
    }

    public static Screening of(List<Rating> ratings, Collection<Sample> samples, double maxFailureShare) {
        Map<String, String> referenceOfAnchor = new HashMap<>();
        for (Sample sample : samples) {
            if (ModelKind.ANCHOR.wireName().equals(sample.model()) && sample.referenceSampleId() != null) {
                referenceOfAnchor.put(sample.sampleId(), sample.referenceSampleId());
            }
        }
        // rater -> sample -> the rater's catch rating of it
        Map<String, Map<String, Rating>> catches = new TreeMap<>();
        Set<String> raters = new TreeSet<>();
        for (Rating rating : ratings) {
            raters.add(rating.raterId());
            if (rating.catchTrial() && !rating.hasTwoClips()) {
                catches.computeIfAbsent(rating.raterId(), r -> new HashMap<>()).put(rating.sampleId(), rating);
            }
        }
        List<RaterCheck> excluded = new ArrayList<>();
        int checked = 0;
        int trials = 0;
        int failedTrials = 0;
        for (Map.Entry<String, Map<String, Rating>> rater : catches.entrySet()) {
            int completed = 0;
            int failed = 0;
            for (Rating anchor : rater.getValue().values()) {
                String reference = referenceOfAnchor.get(anchor.sampleId());
                Rating hidden = reference == null ? null : rater.getValue().get(reference);
                if (hidden == null) {
                    continue;
                }
                completed++;
                if (meanScore(anchor) >= meanScore(hidden)) {
                    failed++;
                }
            }
            if (completed == 0) {
                continue;
            }
            checked++;
            trials += completed;
            failedTrials += failed;
            RaterCheck check = new RaterCheck(rater.getKey(), completed, failed);
            if (check.failedShare() > maxFailureShare) {
                excluded.add(check);
            }
        }
        return new Screening(maxFailureShare, raters.size(), checked, trials, failedTrials, List.copyOf(excluded));
    }

    private static double meanScore(Rating rating) {
        return rating.scores().values().stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
    }
}
