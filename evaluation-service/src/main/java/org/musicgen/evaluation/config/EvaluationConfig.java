package org.musicgen.evaluation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "musicgen.evaluation")
public interface EvaluationConfig {

    /** Ordinary trials in one rater's series (single, paired and Turing together; catch items come on top). */
    @WithDefault("12")
    int trialsPerSession();

    /** Share of the series that are paired (preference) trials, 0 to 1. */
    @WithDefault("0.25")
    double pairedShare();

    /**
     * Share of the series that are Turing trials (a real excerpt and a generated clip of equal length: which one was
     * written by a person?), 0 to 1; with {@link #pairedShare()} at most 1.
     */
    @WithDefault("0.25")
    double turingShare();

    /**
     * Catch trials per series: each is a hidden reference (a real excerpt) and its low anchor (the same excerpt
     * with its pitches scrambled), two items that look like any single trial, placed apart. 0 turns screening off.
     * Three, because a rater clicking at random passes one catch trial with chance 0.444 (the anchor's summed three
     * answers below the reference's): two let 20% of such raters through, three 9% (SimulatedPanelTest).
     */
    @WithDefault("3")
    int catchTrials();

    /**
     * The clip length of the experiment in seconds: only samples cut to it are planned into trials. Unset: the
     * clip length most samples in the catalogue were cut to.
     */
    Optional<Double> clipSeconds();

    /** When a rater may see a sample's piano roll: after answering the trial (default), never, or while listening. */
    @WithDefault("after-answer")
    String pianoRoll();

    Screening screening();

    Verdict verdict();

    RateLimit rateLimit();

    /** Mark the rater cookie {@code Secure} (set true behind HTTPS). */
    @WithDefault("false")
    boolean secureCookie();

    /** Lifetime of the anonymous rater cookie. */
    @WithDefault("365d")
    Duration raterCookieMaxAge();

    /** How long to wait for the broker to acknowledge {@code ratings.submitted} before leaving it to the outbox. */
    @WithDefault("10s")
    Duration publishTimeout();

    /** Ratings whose event is not acknowledged yet are re-sent this long after they were stored. */
    @WithDefault("20s")
    Duration outboxDelay();

    /** How often the outbox looks for ratings whose event is not acknowledged yet. */
    @WithDefault("15s")
    Duration outboxInterval();

    /**
     * Before planning a series, how long a replica waits to have applied every plan and rating the other replicas
     * already sent (then it plans with what it has).
     */
    @WithDefault("2s")
    Duration syncTimeout();

    /** How often the stored ratings and samples are compared with memory (to adopt those no event announced). */
    @WithDefault("5m")
    Duration resyncInterval();

    interface Screening {
        /**
         * A rater who rates the low anchor at or above the hidden reference in more than this share of their catch
         * trials is left out of the screened verdict (listed and counted, never deleted).
         */
        @WithDefault("0.2")
        double maxFailureShare();
    }

    interface Verdict {
        /** Family-wise significance level of the verdict (Holm-corrected pairwise tests). */
        @WithDefault("0.05")
        double alpha();

        /** Bootstrap resamples behind each effect size's confidence interval (seeded: the same data, the same CI). */
        @WithDefault("2000")
        int bootstrapResamples();

        /** The LSTM-GAN difference, in points of the 1-5 scale, that the power line asks to detect. */
        @WithDefault("0.5")
        double powerDifference();

        /** The power the power line asks for. */
        @WithDefault("0.8")
        double power();
    }

    interface RateLimit {
        /** Rating submissions per rater per window. */
        @WithDefault("30")
        int perRater();

        /** Rating submissions per client address per window (several raters may share one address). */
        @WithDefault("300")
        int perIp();

        @WithDefault("1m")
        Duration window();
    }
}
