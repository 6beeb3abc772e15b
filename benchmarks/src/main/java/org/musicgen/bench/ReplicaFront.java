package org.musicgen.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;

/**
 * What a Kubernetes Service without sticky sessions does for the raters, on loopback: it sends each request to the
 * next replica in turn among the ready ones (the Deployment's readiness probe, run every {@code probeInterval}), and
 * a request that got no answer or a 5xx is sent again to the next replica, as the listening page does when the rater
 * presses submit again. Requests go to a replica marked unready only when none is ready.
 */
final class ReplicaFront implements AutoCloseable {

    /** One request's outcome: every attempt (for the error counts) and the last answer. */
    record Outcome(List<Attempt> attempts, Http.Reply last) {

        int status() {
            return last.status();
        }

        /** True when an earlier attempt failed without an answer or with a 5xx (its effect is unknown). */
        boolean hadFailedAttempt() {
            return attempts.size() > 1;
        }
    }

    /** One attempt: which replica, its answer's status (-1: none) and when it ended (nanoTime). */
    record Attempt(int replica, int status, long nanos, long endedAt) {
    }

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final int PROBE_FAILURE_THRESHOLD = 3;

    private final Http http;
    private final List<String> urls;
    private final AtomicIntegerArray ready;
    /** Per replica: how often its probe went from passing to failing (a kill, or a probe slower than its timeout). */
    private final AtomicIntegerArray unreadyTransitions;
    private final int maxAttempts;
    private final Duration retryPause;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Thread prober;

    ReplicaFront(Http http, List<String> urls, Duration probeInterval, int maxAttempts, Duration retryPause) {
        this.http = http;
        this.urls = List.copyOf(urls);
        this.ready = new AtomicIntegerArray(urls.size());
        this.unreadyTransitions = new AtomicIntegerArray(urls.size());
        this.maxAttempts = maxAttempts;
        this.retryPause = retryPause;
        for (int i = 0; i < urls.size(); i++) {
            ready.set(i, 1);
        }
        this.prober = new Thread(() -> probe(probeInterval), "readiness-probe");
        prober.setDaemon(true);
        prober.start();
    }

    int replicas() {
        return urls.size();
    }

    boolean ready(int replica) {
        return ready.get(replica) == 1;
    }

    int unreadyTransitions(int replica) {
        return unreadyTransitions.get(replica);
    }

    String url(int replica) {
        return urls.get(replica);
    }

    /**
     * Sends a request built for a replica's base URL to the replica after {@code turn}'s, in turn among the ready
     * ones; on no answer or a 5xx, to the next one, at most {@code maxAttempts} times.
     */
    Outcome send(int turn, Function<String, HttpRequest.Builder> request) {
        List<Attempt> attempts = new java.util.ArrayList<>();
        Http.Reply reply = null;
        int next = turn;
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            int replica = pick(next);
            next = replica + 1;
            reply = http.send(request.apply(urls.get(replica)));
            attempts.add(new Attempt(replica, reply.status(), reply.nanos(), System.nanoTime()));
            if (reply.status() != -1 && reply.status() < 500) {
                break;
            }
            if (attempt > 0 && attempt % urls.size() == urls.size() - 1) {
                pause(retryPause.toMillis()); // every replica failed once: wait a little before the next round
            }
        }
        return new Outcome(List.copyOf(attempts), reply);
    }

    /** The first ready replica from {@code from} on, round the list; {@code from} itself when none is ready. */
    private int pick(int from) {
        for (int i = 0; i < urls.size(); i++) {
            int replica = Math.floorMod(from + i, urls.size());
            if (ready.get(replica) == 1) {
                return replica;
            }
        }
        return Math.floorMod(from, urls.size());
    }

    /**
     * The Deployment's readiness probe ({@code timeoutSeconds: 3}, {@code failureThreshold: 3}) run every
     * {@code interval}: unready after three failures in a row, or at once when nothing listens on the port (the
     * container is gone, which the kubelet sees without a probe); ready again after one success.
     */
    private void probe(Duration interval) {
        int[] failures = new int[urls.size()];
        while (open.get()) {
            for (int i = 0; i < urls.size(); i++) {
                Http.Reply reply = http.send(HttpRequest.newBuilder(URI.create(urls.get(i) + "/q/health/ready"))
                        .timeout(PROBE_TIMEOUT).GET());
                boolean passed = reply.status() == 200;
                failures[i] = passed ? 0 : failures[i] + 1;
                boolean gone = reply.status() == -1 && reply.text().startsWith("ConnectException");
                boolean nowReady = passed || (failures[i] < PROBE_FAILURE_THRESHOLD && !gone);
                if (ready.getAndSet(i, nowReady ? 1 : 0) == 1 && !nowReady) {
                    unreadyTransitions.incrementAndGet(i);
                }
            }
            pause(interval.toMillis());
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        open.set(false);
        prober.interrupt();
    }
}
