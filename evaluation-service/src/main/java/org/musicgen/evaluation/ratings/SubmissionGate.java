package org.musicgen.evaluation.ratings;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.platform.rest.ProblemException;

import java.time.Duration;
import java.util.Map;

/** The rate limits on rating submissions: per rater and per client address; 429 with Retry-After beyond them. */
@ApplicationScoped
public class SubmissionGate {

    private final RateLimiter perRater;
    private final RateLimiter perAddress;

    public SubmissionGate(EvaluationConfig config) {
        this.perRater = new RateLimiter(config.rateLimit().perRater(), config.rateLimit().window());
        this.perAddress = new RateLimiter(config.rateLimit().perIp(), config.rateLimit().window());
    }

    public void admit(String raterId, String address) {
        Duration wait = perAddress.tryAcquire(address == null ? "unknown" : address);
        if (!wait.isZero()) {
            throw tooMany(wait, "Too many ratings from your network address; wait "
                    + seconds(wait) + " s and submit again.");
        }
        wait = perRater.tryAcquire(raterId);
        if (!wait.isZero()) {
            throw tooMany(wait, "You are rating faster than anyone can listen; wait " + seconds(wait)
                    + " s and submit again.");
        }
    }

    @Scheduled(every = "5m", delayed = "5m")
    void evictIdle() {
        perRater.evictIdle();
        perAddress.evictIdle();
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    private static ProblemException tooMany(Duration wait, String detail) {
        return new ProblemException(429, "Too Many Requests", detail,
                Map.of("Retry-After", Long.toString(seconds(wait))));
    }
}
