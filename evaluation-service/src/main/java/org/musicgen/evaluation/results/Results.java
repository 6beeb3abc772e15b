package org.musicgen.evaluation.results;

import org.musicgen.evaluation.curves.RunCurve;
import org.musicgen.evaluation.stats.Proportion;
import org.musicgen.evaluation.stats.Summary;

import java.time.Instant;
import java.util.List;

/**
 * Everything the results page shows ({@code GET /api/results}).
 *
 * @param models       per model: samples in the test, the encodings of their corpora, and ratings received
 * @param questions    per question: n, mean and 95% CI per model, and the Mann-Whitney comparisons
 * @param preferences  per pairing: how often the first model's sample was preferred, with a Wilson 95% CI
 * @param leftPreferred position check: how often the sample on the left was preferred (0.5 expected)
 * @param metrics      objective metrics of the samples per model; the corpus column is real music's own values
 * @param runs         training curves of every run
 */
public record Results(
        Instant computedAt,
        int ratings,
        int raters,
        int singleRatings,
        int pairRatings,
        List<ModelCount> models,
        List<QuestionResult> questions,
        List<PreferenceResult> preferences,
        Proportion leftPreferred,
        List<MetricRow> metrics,
        List<RunCurve> runs) {

    /**
     * @param encodings the encodings of the corpora behind the model's samples ({@code performance}, {@code seed}),
     *                  sorted; samples announced before encodings existed add none
     */
    public record ModelCount(String model, String label, int samples, List<String> encodings, int ratings,
                             int pairRatings) {

        public ModelCount {
            encodings = List.copyOf(encodings);
        }

        /** The encodings for the page: comma-separated, a dash when none is known. */
        public String encodingLabel() {
            return encodings.isEmpty() ? "–" : String.join(", ", encodings);
        }
    }

    public record QuestionResult(String id, String label, String text, List<ModelStat> models,
                                 List<Comparison> comparisons) {
    }

    public record ModelStat(String model, String label, Summary summary) {
    }

    /**
     * Mann-Whitney U test of one model's ratings against another's (two-sided, normal approximation with tie and
     * continuity corrections). {@code u} is the first model's U; {@code cliffsDelta} &gt; 0 when the first model is
     * rated higher. Test fields are null while either side has no rating.
     *
     * @param primary true for LSTM vs GAN, the comparison the experiment is about
     */
    public record Comparison(String first, String second, String label, boolean primary, int n1, int n2,
                             Double meanDifference, Double u, Double z, Double p, Double cliffsDelta,
                             String magnitude) {
    }

    public record PreferenceResult(String first, String second, String label, Proportion firstPreferred) {
    }

    public record MetricRow(String name, String label, List<MetricValue> values) {
    }

    public record MetricValue(String model, Summary summary) {
    }
}
