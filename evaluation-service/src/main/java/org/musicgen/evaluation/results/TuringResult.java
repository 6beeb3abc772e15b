package org.musicgen.evaluation.results;

import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.samples.ModelKind;
import org.musicgen.evaluation.stats.Proportion;

import java.util.ArrayList;
import java.util.List;

/**
 * The musical Turing test for one model: in how many of its Turing trials (a real excerpt against one of the model's
 * clips) listeners picked the model's clip as written by a person, with the exact 95% Clopper-Pearson interval and
 * the exact two-sided binomial test against 50% (50%: indistinguishable from the real excerpt; 0%: always caught).
 *
 * @param byConfidence the same share among the answers given with each confidence (1 guess, 2 fairly sure, 3 sure);
 *                     answers without a confidence are in no row
 */
public record TuringResult(String model, String label, Proportion pickedAsHuman, List<ByConfidence> byConfidence) {

    public record ByConfidence(int confidence, Proportion pickedAsHuman) {
    }

    public static final int[] CONFIDENCES = {1, 2, 3};

    /** One row per model (LSTM, GAN) from the given ratings; only Turing trials of a real and a generated clip count. */
    public static List<TuringResult> of(List<Rating> ratings) {
        List<TuringResult> rows = new ArrayList<>();
        for (ModelKind kind : List.of(ModelKind.LSTM, ModelKind.GAN)) {
            List<Rating> trials = ratings.stream().filter(r -> r.isTuring() && r.preferred() != null
                    && generated(r) == kind).toList();
            List<ByConfidence> byConfidence = new ArrayList<>();
            for (int level : CONFIDENCES) {
                List<Rating> sure = trials.stream().filter(r -> r.confidence() != null && r.confidence() == level)
                        .toList();
                byConfidence.add(new ByConfidence(level, share(sure, kind)));
            }
            rows.add(new TuringResult(kind.wireName(), kind.label(), share(trials, kind), byConfidence));
        }
        return rows;
    }

    private static Proportion share(List<Rating> trials, ModelKind kind) {
        int picked = (int) trials.stream().filter(r -> kind.wireName().equals(r.preferredModel())).count();
        return Proportion.of(picked, trials.size());
    }

    /** The generated side of a real-vs-generated trial; null for any other pairing. */
    private static ModelKind generated(Rating rating) {
        ModelKind a = ModelKind.fromWire(rating.model()).orElse(null);
        ModelKind b = ModelKind.fromWire(rating.pairedModel()).orElse(null);
        if (a == ModelKind.CORPUS && (b == ModelKind.LSTM || b == ModelKind.GAN)) {
            return b;
        }
        if (b == ModelKind.CORPUS && (a == ModelKind.LSTM || a == ModelKind.GAN)) {
            return a;
        }
        return null;
    }
}
