package org.musicgen.evaluation.results;

import org.musicgen.evaluation.curves.DrumsComparison;
import org.musicgen.evaluation.curves.RunCurve;
import org.musicgen.evaluation.stats.Proportion;
import org.musicgen.evaluation.stats.Summary;

import java.time.Instant;
import java.util.List;

/**
 * Everything the results page shows ({@code GET /api/results}).
 *
 * @param ratings           every rating, of every kind
 * @param singleRatings     single trials that enter the verdict (not catch items)
 * @param pairRatings       preference trials
 * @param turingRatings     Turing trials
 * @param catchRatings      screening items (hidden references and low anchors)
 * @param settings          the level, bootstrap, power target and screening threshold the verdict used
 * @param models            per source: samples in the test, the encodings of their corpora, and ratings received
 * @param questions         the verdict per question over every rater (without screening)
 * @param screenedQuestions the verdict per question without the raters the screening excluded
 * @param screening         catch trials per rater and who was excluded
 * @param turing            the Turing test per model, over every rater and without the excluded ones
 * @param preferences       per pairing: how often the first source's sample was preferred (Clopper-Pearson 95% CI)
 * @param leftPreferred     position check: how often the sample on the left was preferred (0.5 expected)
 * @param clips             clip length per source and the samples that fell short of their clip
 * @param metrics           objective metrics of the samples per source; the corpus column is real music's own values
 * @param runs              training curves of every run
 * @param drumsComparison   the study's figure: per model, its latest run on a corpus with drums beside its latest run
 *                          on a piano-only corpus
 */
public record Results(
        Instant computedAt,
        int ratings,
        int raters,
        int singleRatings,
        int pairRatings,
        int turingRatings,
        int catchRatings,
        VerdictSettings settings,
        List<ModelCount> models,
        List<Verdict> questions,
        List<Verdict> screenedQuestions,
        Screening screening,
        Turing turing,
        List<PreferenceResult> preferences,
        Proportion leftPreferred,
        ClipLengths clips,
        List<MetricRow> metrics,
        List<RunCurve> runs,
        DrumsComparison drumsComparison) {

    /**
     * @param encodings the encodings of the corpora behind the model's samples ({@code performance}, {@code seed}),
     *                  sorted; samples announced before encodings existed add none
     */
    public record ModelCount(String model, String label, int samples, List<String> encodings, int ratings,
                             int pairRatings, int turingRatings) {

        public ModelCount {
            encodings = List.copyOf(encodings);
        }

        /** The encodings for the page: comma-separated, a dash when none is known. */
        public String encodingLabel() {
            return encodings.isEmpty() ? "–" : String.join(", ", encodings);
        }
    }

    public record ModelStat(String model, String label, Summary summary) {
    }

    /** The Turing test over every rater ({@code all}) and without the raters the screening excluded. */
    public record Turing(List<TuringResult> all, List<TuringResult> screened) {
    }

    public record PreferenceResult(String first, String second, String label, Proportion firstPreferred) {
    }

    public record MetricRow(String name, String label, List<MetricValue> values) {
    }

    public record MetricValue(String model, Summary summary) {
    }
}
