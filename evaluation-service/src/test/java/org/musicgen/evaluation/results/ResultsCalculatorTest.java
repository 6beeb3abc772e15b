package org.musicgen.evaluation.results;

import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.samples.Sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ResultsCalculatorTest {

    @Test
    void perModelStatisticsTheLstmGanTestPreferencesAndMetrics() {
        Sample lstm = sample("l", "lstm", Map.of("pitchEntropy", 2.0));
        Sample lstm2 = sample("l2", "lstm", Map.of("pitchEntropy", 3.0));
        Sample gan = sample("g", "gan", Map.of("pitchEntropy", 1.0));
        Sample corpus = sample("c", "corpus", Map.of("pitchEntropy", 2.5));
        List<Rating> ratings = new ArrayList<>();
        // pleasing: LSTM 4 5 3 4, GAN 2 3 1 3 2 (the hand-worked Mann-Whitney example: U = 19, p = 0.0326668)
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

        Results.QuestionResult pleasing = results.questions().get(0);
        assertEquals("pleasing", pleasing.id());
        assertEquals(4.0, pleasing.models().get(0).summary().mean(), 1e-12);
        assertEquals(2.2, pleasing.models().get(1).summary().mean(), 1e-12);
        assertEquals(0, pleasing.models().get(2).summary().n());
        Results.Comparison lstmVsGan = pleasing.comparisons().get(0);
        assertEquals(true, lstmVsGan.primary());
        assertEquals(19, lstmVsGan.u(), 1e-12);
        assertEquals(0.0326668, lstmVsGan.p(), 1e-6);
        assertEquals(0.9, lstmVsGan.cliffsDelta(), 1e-12);
        assertEquals(1.8, lstmVsGan.meanDifference(), 1e-12);
        assertNull(pleasing.comparisons().get(1).p(), "no corpus rating yet: no test");

        Results.PreferenceResult lstmGan = results.preferences().get(0);
        assertEquals(3, lstmGan.firstPreferred().n());
        assertEquals(2, lstmGan.firstPreferred().successes());
        // left preferred: p1 (l on the left, chose l) and p3? no: p3 chose g on the right; p2 chose l on the right
        assertEquals(1, results.leftPreferred().successes());

        Results.MetricRow entropy = results.metrics().get(0);
        assertEquals("Pitch entropy", entropy.label());
        assertEquals(2.5, entropy.values().get(0).summary().mean(), 1e-12);
        assertEquals(2.5, entropy.values().get(2).summary().mean(), 1e-12);
    }

    private static Sample sample(String id, String model, Map<String, Double> metrics) {
        return new Sample(id, "run", "corpus", model, "samples", id + ".mid", id + ".wav", id + ".png", id + ".json",
                "lstm".equals(model) ? "performance" : null, 100, 30, 10, metrics, Instant.EPOCH, Instant.EPOCH, null, null);
    }

    private static Rating single(String id, String model, int pleasing) {
        return new Rating(id, "rater-" + id, model.charAt(0) + id, model,
                Map.of("pleasing", pleasing, "humanlike", 3, "interesting", 3), null, null, null, Instant.EPOCH, null, null, false, null, null);
    }

    private static Rating pair(String id, String left, String leftModel, String right, String rightModel,
                               String preferred) {
        return new Rating(id, "rater-" + id, left, leftModel, Map.of(), right, rightModel, preferred, Instant.EPOCH,
                null, null, false, null, null);
    }
}
