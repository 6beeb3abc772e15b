package org.musicgen.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The rater load test's counts, by phase: before the kill, during it (from the SIGKILL until the restarted replica
 * is ready again) and after. Every attempt of every request is counted (a request retried on the other replica is
 * two attempts); an attempt belongs to the phase in which it ended. Thread-safe.
 */
final class LoadPhases {

    enum Phase { BEFORE, DURING, AFTER }

    static final String RATINGS = "POST /api/ratings";

    private final long start;
    private final List<String> replicaNames;
    private final AtomicLong killedAt = new AtomicLong();
    private final AtomicLong backAt = new AtomicLong();
    private final Map<Phase, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
    /** "endpoint|status|phase" to count; status "none@replica" when that replica gave no HTTP answer. */
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<Phase, Latencies> ratings201 = new ConcurrentHashMap<>();
    private final Latencies allRatings201 = new Latencies();
    /** What the rater waited for an answer to one rating, retries included (201 at last). */
    private final Latencies ratingsAsSeen = new Latencies();
    private volatile long end;

    /** @param replicaNames the replicas' names, in the front's order (errors without an answer name the replica) */
    LoadPhases(long start, List<String> replicaNames) {
        this.start = start;
        this.replicaNames = List.copyOf(replicaNames);
        for (Phase phase : Phase.values()) {
            requests.put(phase, new LongAdder());
            ratings201.put(phase, new Latencies());
        }
    }

    void killed(long at) {
        killedAt.set(at);
    }

    void back(long at) {
        backAt.set(at);
    }

    void ended(long at) {
        end = at;
    }

    Phase phaseAt(long nanos) {
        long kill = killedAt.get();
        if (kill == 0 || nanos < kill) {
            return Phase.BEFORE;
        }
        long back = backAt.get();
        return back == 0 || nanos < back ? Phase.DURING : Phase.AFTER;
    }

    /**
     * Counts a request's attempts. {@code storedBefore}: the last answer is a 409 that says an earlier attempt, which
     * got no answer, was stored: the correct answer to a repeated submission, counted apart, not as an error.
     */
    void record(String endpoint, ReplicaFront.Outcome outcome, boolean storedBefore) {
        List<ReplicaFront.Attempt> attempts = outcome.attempts();
        for (int i = 0; i < attempts.size(); i++) {
            ReplicaFront.Attempt attempt = attempts.get(i);
            Phase phase = phaseAt(attempt.endedAt());
            requests.get(phase).increment();
            byEndpoint.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
            int status = attempt.status();
            boolean last = i == attempts.size() - 1;
            if (last && storedBefore && status == 409) {
                errors.computeIfAbsent(endpoint + "|409 (earlier attempt stored)|" + phase.name().toLowerCase(
                        Locale.ROOT), k -> new LongAdder()).increment();
            } else if (status == -1 || status >= 400) {
                errors.computeIfAbsent(endpoint + "|" + (status == -1 ? "none@" + replicaNames.get(attempt.replica())
                        : String.valueOf(status)) + "|"
                        + phase.name().toLowerCase(Locale.ROOT), k -> new LongAdder()).increment();
            } else if (endpoint.equals(RATINGS) && status == 201) {
                ratings201.get(phase).addNanos(attempt.nanos());
                allRatings201.addNanos(attempt.nanos());
            }
        }
        if (endpoint.equals(RATINGS) && outcome.status() == 201) {
            ratingsAsSeen.addNanos(attempts.stream().mapToLong(ReplicaFront.Attempt::nanos).sum());
        }
    }

    Latencies ratings201() {
        return allRatings201;
    }

    long requests() {
        return requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Seconds of each phase within the run (the run's start to its end). */
    Map<Phase, Double> seconds() {
        long kill = killedAt.get() == 0 ? end : killedAt.get();
        long back = backAt.get() == 0 ? end : Math.min(backAt.get(), end);
        Map<Phase, Double> out = new LinkedHashMap<>();
        out.put(Phase.BEFORE, (kill - start) / 1e9);
        out.put(Phase.DURING, (back - kill) / 1e9);
        out.put(Phase.AFTER, (end - back) / 1e9);
        return out;
    }

    /** Attempts with status -1 (no answer) or 4xx, except the 409s that confirm an earlier attempt; and 5xx. */
    long errors(boolean serverErrors) {
        long total = 0;
        for (Map.Entry<String, LongAdder> entry : errors.entrySet()) {
            String status = entry.getKey().split("\\|")[1];
            if (status.startsWith("409 (")) {
                continue;
            }
            boolean is5xx = status.startsWith("5");
            if (is5xx == serverErrors) {
                total += entry.getValue().sum();
            }
        }
        return total;
    }

    long storedBeforeConfirmations() {
        return errors.entrySet().stream().filter(e -> e.getKey().contains("|409 ("))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    Map<String, Object> summary() {
        Map<Phase, Double> seconds = seconds();
        Map<String, Object> phases = new LinkedHashMap<>();
        for (Phase phase : Phase.values()) {
            Map<String, Object> one = new LinkedHashMap<>();
            long count = requests.get(phase).sum();
            one.put("seconds", Latencies.round(seconds.get(phase)));
            one.put("requests", count);
            one.put("requests_per_s", Latencies.round(seconds.get(phase) > 0 ? count / seconds.get(phase) : 0));
            one.put("ratings_201", ratings201.get(phase).summary());
            Map<String, Long> phaseErrors = new TreeMap<>();
            String suffix = "|" + phase.name().toLowerCase(Locale.ROOT);
            errors.forEach((key, value) -> {
                if (key.endsWith(suffix)) {
                    phaseErrors.put(key.substring(0, key.length() - suffix.length()).replace('|', ' '), value.sum());
                }
            });
            one.put("errors", phaseErrors);
            phases.put(phase.name().toLowerCase(Locale.ROOT), one);
        }
        Map<String, Long> endpoints = new TreeMap<>();
        byEndpoint.forEach((key, value) -> endpoints.put(key, value.sum()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", requests());
        out.put("requests_by_endpoint", endpoints);
        out.put("ratings_201_latency", allRatings201.summary());
        out.put("ratings_as_seen_by_raters_latency", ratingsAsSeen.summary());
        out.put("phases", phases);
        return out;
    }
}
