package org.musicgen.evaluation.results;

import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.samples.Sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsCalculatorTest {

    @Test
    void perSourceStatisticsTheVerdictPreferencesAndMetrics() {
        Sample lstm = sample("l", "lstm", Map.of("pitchEntropy", 2.0), 20.0, 20.0);
        Sample lstm2 = sample("l2", "lstm", Map.of("pitchEntropy", 3.0), 20.0, 20.0);
        Sample gan = sample("g", "gan", Map.of("pitchEntropy", 1.0), 20.0, 20.0);
        Sample corpus = sample("c", "corpus", Map.of("pitchEntropy", 2.5), 20.0, 20.0);
        List<Rating> ratings = new ArrayList<>();
        // pleasing: LSTM 4 5 3 4, GAN 2 3 1 3 2 (StatisticsTest works this one by hand: U = 19, p = 0.0326668)
        int i = 0;
        for (int score : new int[]{4, 5, 3, 4}) {
            ratings.add(single("r" + i++, "lstm", score));
        }
        for (int score : new int[]{2, 3, 1, 3, 2}) {
            ratings.add(single("r" + i++, "gan", score));
        }
        // pairs: LSTM vs GAN three times, LSTM preferred twice (once on the left, once on the right)
        ratings.add(pair("p1", "l", "lstm", "g", "gan", "l"));
        ratings.add(pair("p2", "g", "gan", "l", "lstm", "l"));
        ratings.add(pair("p3", "l", "lstm", "g", "gan", "g"));

        Results results = ResultsCalculator.compute(ratings, List.of(lstm, lstm2, gan, corpus), List.of(),
                Instant.EPOCH);

        assertEquals(12, results.ratings());
        assertEquals(9, results.singleRatings());
        assertEquals(3, results.pairRatings());
        assertEquals(2, results.models().get(0).samples());
        assertEquals(4, results.models().get(0).ratings());
        assertEquals(List.of("performance"), results.models().get(0).encodings());
        assertEquals(List.of(), results.models().get(1).encodings(), "samples of old events name no encoding");

        Verdict pleasing = results.questions().get(0);
        assertEquals("pleasing", pleasing.id());
        assertEquals(4.0, pleasing.models().get(0).summary().mean(), 1e-12);
        assertEquals(2.2, pleasing.models().get(1).summary().mean(), 1e-12);
        assertEquals(0, pleasing.models().get(2).summary().n());
        Verdict.Comparison lstmVsGan = pleasing.comparisons().get(0);
        assertTrue(lstmVsGan.primary());
        assertEquals(19, lstmVsGan.u(), 1e-12);
        assertEquals(0.0326668, lstmVsGan.p(), 1e-6);
        assertFalse(lstmVsGan.exact());
        // the only pair with two sides: Holm over one test leaves p as it is
        assertEquals(lstmVsGan.p(), lstmVsGan.pHolm(), 1e-15);
        assertEquals(0.9, lstmVsGan.cliffsDelta(), 1e-12);
        assertTrue(lstmVsGan.deltaLow() <= 0.9 && lstmVsGan.deltaHigh() == 1.0, lstmVsGan.toString());
        assertEquals(1.8, lstmVsGan.meanDifference(), 1e-12);
        assertNull(pleasing.comparisons().get(1).p(), "no corpus rating yet: no test");
        // Kruskal-Wallis over the two sources with ratings; with 1 df its H is z^2 without continuity correction
        assertEquals(1, pleasing.kruskalWallis().df());
        assertEquals(Math.pow((19 - 10) / Math.sqrt(4 * 5 / 12.0 * (10 - 36 / 72.0)), 2), pleasing.kruskalWallis().h(),
                1e-9);
        assertTrue(pleasing.lstmGanDiffers(), pleasing.conclusion());
        assertTrue(pleasing.conclusion().startsWith("LSTM rated higher than GAN"), pleasing.conclusion());
        // each sample was rated once per rater here, and by different raters: agreement needs two ratings of a sample
        assertTrue(pleasing.power().text().contains("the test has 4 (LSTM) and 5 (GAN)"), pleasing.power().text());

        Results.PreferenceResult lstmGan = results.preferences().get(0);
        assertEquals(3, lstmGan.firstPreferred().n());
        assertEquals(2, lstmGan.firstPreferred().successes());
        // left preferred: only p1 (l on the left, chose l); p2 and p3 chose the right piece
        assertEquals(1, results.leftPreferred().successes());

        Results.MetricRow entropy = results.metrics().get(0);
        assertEquals("Pitch entropy", entropy.label());
        assertEquals(2.5, entropy.values().get(0).summary().mean(), 1e-12);
        assertEquals(2.5, entropy.values().get(2).summary().mean(), 1e-12);

        Collections.reverse(ratings);
        assertEquals(results, ResultsCalculator.compute(ratings, List.of(corpus, gan, lstm2, lstm), List.of(),
                Instant.EPOCH), "the same figures whatever order ratings and samples arrive in");
    }

    @Test
    void screeningExcludesRatersWhoRateTheAnchorAtOrAboveTheHiddenReference() {
        Sample reference1 = sample("ref1", "corpus", Map.of(), 20.0, 20.0);
        Sample reference2 = sample("ref2", "corpus", Map.of(), 20.0, 20.0);
        Sample anchor1 = anchor("anc1", "ref1");
        Sample anchor2 = anchor("anc2", "ref2");
        Sample lstm = sample("l", "lstm", Map.of(), 20.0, 20.0);
        List<Rating> ratings = new ArrayList<>();
        // careful: anchors clearly below the references in both catch trials
        ratings.add(catchItem("careful", "ref1", "corpus", 5, 4, 4));
        ratings.add(catchItem("careful", "anc1", "anchor", 1, 2, 1));
        ratings.add(catchItem("careful", "ref2", "corpus", 4, 4, 3));
        ratings.add(catchItem("careful", "anc2", "anchor", 2, 1, 2));
        // careless: one of two failed (a tie of the means counts as failed): 50% > 20%
        ratings.add(catchItem("careless", "ref1", "corpus", 3, 3, 3));
        ratings.add(catchItem("careless", "anc1", "anchor", 4, 2, 3));
        ratings.add(catchItem("careless", "ref2", "corpus", 5, 5, 5));
        ratings.add(catchItem("careless", "anc2", "anchor", 1, 1, 1));
        // unchecked: only the anchor of a catch trial, so no completed catch trial
        ratings.add(catchItem("unchecked", "anc1", "anchor", 5, 5, 5));
        // their ordinary ratings: the careless rater's 1 is in the unscreened verdict only
        ratings.add(rated("careful", "l", "lstm", 4));
        ratings.add(rated("careless", "l", "lstm", 1));
        ratings.add(rated("unchecked", "l", "lstm", 3));

        Results results = ResultsCalculator.compute(ratings, List.of(reference1, reference2, anchor1, anchor2, lstm),
                List.of(), Instant.EPOCH);

        Screening screening = results.screening();
        assertEquals(3, screening.raters());
        assertEquals(2, screening.ratersChecked());
        assertEquals(4, screening.catchTrials());
        assertEquals(1, screening.failedTrials());
        assertEquals(List.of(new Screening.RaterCheck("careless", 2, 1)), screening.excluded());
        assertEquals(9, results.catchRatings());
        assertEquals(3, results.singleRatings(), "catch items are not in the verdict");
        assertEquals(3, results.questions().get(0).models().get(0).summary().n());
        assertEquals(2, results.screenedQuestions().get(0).models().get(0).summary().n());
        assertEquals(3.5, results.screenedQuestions().get(0).models().get(0).summary().mean(), 1e-12);
        // Krippendorff's alpha: one sample rated by three raters, no variation in the screened pair? 4 and 3 vary
        assertEquals(1, results.questions().get(0).agreement().units());
    }

    @Test
    void turingSharesPerModelWithConfidenceAndClipLengthsWithShortfalls() {
        Sample real = sample("c", "corpus", Map.of(), 20.0, 20.2);
        Sample lstm = sample("l", "lstm", Map.of(), 20.0, 19.8);
        Sample gan = sample("g", "gan", Map.of(), 20.0, 20.4);
        Sample shortGan = sample("g-short", "gan", Map.of(), 20.0, 12.5);
        Sample older = sample("old", "lstm", Map.of(), null, 8.0);
        List<Rating> ratings = new ArrayList<>();
        // LSTM: picked as human in 3 of 4 trials (twice at confidence 3); GAN: 0 of 2
        ratings.add(turing("t1", "c", "corpus", "l", "lstm", "l", 3));
        ratings.add(turing("t2", "l", "lstm", "c", "corpus", "l", 3));
        ratings.add(turing("t3", "c", "corpus", "l", "lstm", "l", null));
        ratings.add(turing("t4", "c", "corpus", "l", "lstm", "c", 1));
        ratings.add(turing("t5", "g", "gan", "c", "corpus", "c", 2));
        ratings.add(turing("t6", "c", "corpus", "g", "gan", "c", 2));

        Results results = ResultsCalculator.compute(ratings, List.of(real, lstm, gan, shortGan, older), List.of(),
                Instant.EPOCH);

        assertEquals(6, results.turingRatings());
        assertEquals(0, results.pairRatings(), "Turing trials are not preferences");
        TuringResult lstmRow = results.turing().all().get(0);
        assertEquals("lstm", lstmRow.model());
        assertEquals(4, lstmRow.pickedAsHuman().n());
        assertEquals(3, lstmRow.pickedAsHuman().successes());
        // exact binomial, two-sided: P(X >= 3) + P(X <= 1) = (4 + 1 + 4 + 1) / 16 = 0.625
        assertEquals(0.625, lstmRow.pickedAsHuman().pAgainstHalf(), 1e-12);
        assertEquals(2, lstmRow.byConfidence().get(2).pickedAsHuman().successes());
        assertEquals(1, lstmRow.byConfidence().get(0).pickedAsHuman().n());
        TuringResult ganRow = results.turing().all().get(1);
        assertEquals(0, ganRow.pickedAsHuman().successes());
        assertEquals(2, ganRow.pickedAsHuman().n());
        assertEquals(1 - Math.pow(0.025, 0.5), ganRow.pickedAsHuman().ciHigh(), 1e-9);

        ClipLengths clips = results.clips();
        assertEquals(20.0, clips.clipSeconds());
        ClipLengths.SourceLengths lstmLengths = clips.sources().get(0);
        assertEquals(1, lstmLengths.samples(), "the old sample without a clip is not in the experiment");
        assertEquals(19.8, lstmLengths.min());
        ClipLengths.SourceLengths ganLengths = clips.sources().get(1);
        assertEquals(1, ganLengths.samples(), "the short sample is never planned");
        assertEquals(1, clips.shortfalls().size());
        ClipLengths.Shortfall shortfall = clips.shortfalls().get(0);
        assertEquals("gan", shortfall.model());
        assertEquals("run-gan", shortfall.runId());
        assertEquals(List.of("g-short"), shortfall.sampleIds());
        assertEquals(12.5, shortfall.shortestSeconds(), 0);
    }

    private static Sample sample(String id, String model, Map<String, Double> metrics, Double clip, double seconds) {
        return new Sample(id, "run-" + model, "corpus", model, "samples", id + ".mid", id + ".wav", id + ".png",
                id + ".json", "lstm".equals(model) ? "performance" : null, 100, 30, seconds, metrics, Instant.EPOCH,
                Instant.EPOCH, clip, null);
    }

    private static Sample anchor(String id, String reference) {
        return new Sample(id, "run-anchor", "corpus", "anchor", "samples", id + ".mid", id + ".wav", id + ".png",
                id + ".json", null, 100, 30, 20.0, Map.of(), Instant.EPOCH, Instant.EPOCH, 20.0, reference);
    }

    private static Rating single(String id, String model, int pleasing) {
        return new Rating(id, "rater-" + id, model.charAt(0) + id, model,
                Map.of("pleasing", pleasing, "humanlike", 3, "interesting", 3), null, null, null, Instant.EPOCH, null,
                null, false, null, null);
    }

    private static Rating rated(String rater, String sample, String model, int score) {
        return new Rating(rater + "-" + sample, rater, sample, model,
                Map.of("pleasing", score, "humanlike", score, "interesting", score), null, null, null, Instant.EPOCH,
                null, Rating.SINGLE, false, 20.0, null);
    }

    private static Rating catchItem(String rater, String sample, String model, int pleasing, int humanlike,
                                    int interesting) {
        return new Rating(rater + "-catch-" + sample, rater, sample, model,
                Map.of("pleasing", pleasing, "humanlike", humanlike, "interesting", interesting), null, null, null,
                Instant.EPOCH, null, Rating.SINGLE, true, 20.0, null);
    }

    private static Rating pair(String id, String left, String leftModel, String right, String rightModel,
                               String preferred) {
        return new Rating(id, "rater-" + id, left, leftModel, Map.of(), right, rightModel, preferred, Instant.EPOCH,
                null, null, false, null, null);
    }

    private static Rating turing(String id, String left, String leftModel, String right, String rightModel,
                                 String human, Integer confidence) {
        return new Rating(id, "rater-" + id, left, leftModel, Map.of(), right, rightModel, human, Instant.EPOCH,
                null, Rating.TURING, false, 20.0, confidence);
    }
}
