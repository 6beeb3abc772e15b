package org.musicgen.evaluation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "musicgen.evaluation")
public interface EvaluationConfig {

    /** Trials in one rater's series (single and paired together). */
    @WithDefault("12")
    int trialsPerSession();

    /** Share of the series that are paired (preference) trials, 0 to 1. */
    @WithDefault("0.25")
    double pairedShare();

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
