package org.musicgen.evaluation.ratings;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key: each key may spend {@code limit} permits per {@code window}, refilled continuously. A denied
 * request costs nothing and learns how long to wait.
 */
public final class RateLimiter {

    private final int limit;
    private final double nanosPerPermit;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int limit, Duration window, LongSupplier nanoClock) {
        if (limit < 1) {
            throw new IllegalArgumentException("a rate limit must allow at least 1 request per window");
        }
        this.limit = limit;
        this.nanosPerPermit = (double) window.toNanos() / limit;
        this.nanoClock = nanoClock;
    }

    public RateLimiter(int limit, Duration window) {
        this(limit, window, System::nanoTime);
    }

    /** Zero when a permit was taken; otherwise how long until one is available (nothing taken). */
    public Duration tryAcquire(String key) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(limit, nanoClock.getAsLong()));
        synchronized (bucket) {
            refill(bucket);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) * nanosPerPermit));
        }
    }

    /** Forgets the buckets that are full again (idle keys), so memory stays bounded. */
    public void evictIdle() {
        buckets.entrySet().removeIf(entry -> {
            Bucket bucket = entry.getValue();
            synchronized (bucket) {
                refill(bucket);
                return bucket.tokens >= limit;
            }
        });
    }

    int trackedKeys() {
        return buckets.size();
    }

    private void refill(Bucket bucket) {
        long now = nanoClock.getAsLong();
        long elapsed = now - bucket.updatedNanos;
        if (elapsed > 0) {
            bucket.tokens = Math.min(limit, bucket.tokens + elapsed / nanosPerPermit);
            bucket.updatedNanos = now;
        }
    }

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long updatedNanos) {
            this.tokens = tokens;
            this.updatedNanos = updatedNanos;
        }
    }
}
