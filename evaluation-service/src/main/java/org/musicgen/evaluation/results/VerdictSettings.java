package org.musicgen.evaluation.results;

import org.musicgen.evaluation.config.EvaluationConfig;

/**
 * The numbers the verdict is computed with, read once from {@link EvaluationConfig} (the defaults are the
 * configuration's defaults).
 *
 * @param alpha              family-wise level of the verdict (Kruskal-Wallis, Holm-corrected pairwise tests)
 * @param bootstrapResamples resamples behind each Cliff's δ interval
 * @param powerDifference    the LSTM-GAN difference (points on the 1-5 scale) the power line asks to detect
 * @param power              the power the power line asks for
 * @param maxFailureShare    a rater failing more than this share of their completed catch trials is screened out
 * @param clipSeconds        the experiment's clip length; null: the length most samples were cut to
 */
public record VerdictSettings(double alpha, int bootstrapResamples, double powerDifference, double power,
                              double maxFailureShare, Double clipSeconds) {

    public static final VerdictSettings DEFAULTS = new VerdictSettings(0.05, 2000, 0.5, 0.8, 0.2, null);

    public static VerdictSettings of(EvaluationConfig config) {
        return new VerdictSettings(config.verdict().alpha(), config.verdict().bootstrapResamples(),
                config.verdict().powerDifference(), config.verdict().power(),
                config.screening().maxFailureShare(), config.clipSeconds().orElse(null));
    }

    public VerdictSettings withBootstrapResamples(int resamples) {
        return new VerdictSettings(alpha, resamples, powerDifference, power, maxFailureShare, clipSeconds);
    }
}
