package org.musicgen.evaluation.ratings;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    @Test
    void eachKeyMaySpendItsLimitPerWindowAndRefillsContinuously() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(1), now::get);

        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, limiter.tryAcquire("10.0.0.1"));
        }
        // the fourth within the minute waits for one permit: 60 s / 3 = 20 s
        Duration wait = limiter.tryAcquire("10.0.0.1");
        assertEquals(Duration.ofSeconds(20), wait);
        // another address (or rater) is not affected
        assertEquals(Duration.ZERO, limiter.tryAcquire("10.0.0.2"));

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(Duration.ofSeconds(10), limiter.tryAcquire("10.0.0.1"), "a denied request costs nothing");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(Duration.ZERO, limiter.tryAcquire("10.0.0.1"));
        assertTrue(limiter.tryAcquire("10.0.0.1").compareTo(Duration.ZERO) > 0);

        // idle keys are forgotten once full again
        now.addAndGet(Duration.ofMinutes(2).toNanos());
        limiter.evictIdle();
        assertEquals(0, limiter.trackedKeys());
    }
}
