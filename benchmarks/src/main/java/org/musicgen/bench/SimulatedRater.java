package org.musicgen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One listener's browser, run as a thread: a cookie session ({@code GET /api/session}: the cookie and the CSRF
 * token), then series after series ({@code GET /api/trials}, then {@code POST /api/trials} for more): for each trial
 * it fetches the pieces' MIDI as the page does, listens and thinks (a pause), and answers ({@code POST /api/ratings}
 * naming the trial): three 1-5 scores for a single trial (catch items look the same), a preference for a pair, the
 * piece a person wrote (and sometimes a confidence) for a Turing trial. After an answer it sometimes opens the piano
 * roll the answer offers. Requests go through the {@link ReplicaFront}, in turn over the replicas. When the test has
 * nothing left for it, the listener leaves and a new one (a new session) takes the slot.
 */
final class SimulatedRater implements Runnable {

    /**
     * The pauses, in real seconds before scaling: a clip is listened to for 60-100 % of {@code listenSeconds} (each
     * clip of a trial), answering takes 5-15 s, reading the end of a series 10-30 s. {@code scale} shrinks them all
     * (0.1: a trial of one 20-second clip takes 1.7-3.5 s instead of 17-35 s).
     */
    record Pace(double scale, double listenSeconds, double rampSeconds) {

        long trialMillis(Random random, int clips) {
            double seconds = clips * listenSeconds * (0.6 + 0.4 * random.nextDouble()) + 5 + 10 * random.nextDouble();
            return Math.round(seconds * scale * 1000);
        }

        long seriesBreakMillis(Random random) {
            return Math.round((10 + 20 * random.nextDouble()) * scale * 1000);
        }
    }

    /** About what a browser waits before it gives up on an answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final int slot;
    private final ReplicaFront front;
    private final LoadPhases phases;
    private final RatingLedger ledger;
    private final Pace pace;
    private final long deadline;
    private final Random random;
    private final AtomicInteger sessions;
    private final AtomicInteger abandoned;
    private int turn;
    private String session;
    private String cookie;
    private String csrfHeader;
    private String csrf;

    /**
     * @param sessions  counts sessions started, over all slots
     * @param abandoned counts answers given up on (no 201 after the retries, or refused other than with 404)
     */
    SimulatedRater(int slot, ReplicaFront front, LoadPhases phases, RatingLedger ledger, Pace pace, long deadline,
                   long seed, AtomicInteger sessions, AtomicInteger abandoned) {
        this.slot = slot;
        this.front = front;
        this.phases = phases;
        this.ledger = ledger;
        this.pace = pace;
        this.deadline = deadline;
        this.random = new Random(seed);
        this.sessions = sessions;
        this.abandoned = abandoned;
        this.turn = slot; // raters start on different replicas
    }

    @Override
    public void run() {
        if (!sleep(Math.round(random.nextDouble() * pace.rampSeconds() * 1000))) {
            return;
        }
        while (before(deadline)) {
            if (!startSession()) {
                sleep(1000);
                continue;
            }
            JsonNode series = call("GET /api/trials", get("/api/trials"));
            boolean more = true;
            while (more && series != null && before(deadline)) {
                List<JsonNode> trials = new ArrayList<>();
                series.path("trials").forEach(trials::add);
                if (trials.isEmpty()) {
                    break; // nothing left for this listener: a new one comes
                }
                Boolean finished = answerAll(trials);
                if (finished == null) {
                    series = call("GET /api/trials", get("/api/trials")); // the page reloads its trials
                    continue;
                }
                more = finished && sleep(pace.seriesBreakMillis(random));
                if (more) {
                    series = call("POST /api/trials", post("/api/trials", "{}"));
                }
            }
        }
    }

    /** A new listener: the session's cookie and CSRF token. */
    private boolean startSession() {
        cookie = null;
        ReplicaFront.Outcome outcome = front.send(turn++, url -> get(url, "/api/session"));
        phases.record("GET /api/session", outcome, false);
        if (outcome.status() != 200) {
            return false;
        }
        String setCookie = outcome.last().headers().firstValue("Set-Cookie").orElse(null);
        if (setCookie == null) {
            return false;
        }
        cookie = setCookie.split(";", 2)[0];
        JsonNode body = outcome.last().json();
        csrfHeader = body.path("csrfHeader").asText();
        csrf = body.path("csrfToken").asText();
        session = slot + "#" + sessions.incrementAndGet();
        return true;
    }

    /**
     * Answers the trials in order. True: all answered (or given up); false: the run's time is over; null: the
     * series must be loaded again (a trial the replica does not know: 404).
     */
    private Boolean answerAll(List<JsonNode> trials) {
        for (JsonNode trial : trials) {
            List<JsonNode> clips = new ArrayList<>();
            trial.path("samples").forEach(clips::add);
            for (JsonNode clip : clips) {
                String midi = clip.path("midi").asText(null);
                if (midi != null) {
                    call("GET midi", get(midi));
                }
            }
            if (!sleep(pace.trialMillis(random, clips.size())) || !before(deadline)) {
                return false; // the listener leaves in the middle of a trial
            }
            Integer status = answer(trial, clips);
            if (status != null && status == 404) {
                return null;
            }
        }
        return true;
    }

    /** Submits the answer (again after a 429's Retry-After); returns the last status. */
    private Integer answer(JsonNode trial, List<JsonNode> clips) {
        String kind = trial.path("kind").asText();
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("trialId", trial.path("id").asText());
        String left = clips.get(0).path("id").asText();
        String right = clips.size() > 1 ? clips.get(1).path("id").asText() : null;
        body.put("sampleId", left);
        if (right == null) {
            ObjectNode scores = body.putObject("scores");
            for (String question : List.of("pleasing", "humanlike", "interesting")) {
                scores.put(question, 1 + random.nextInt(5));
            }
        } else {
            body.put("pairedWith", right);
            body.put("preferred", random.nextBoolean() ? left : right);
            if (kind.equals("turing") && random.nextInt(10) < 7) {
                body.put("confidence", 1 + random.nextInt(3));
            }
        }
        RatingLedger.Answer answer = new RatingLedger.Answer(session, left, right);
        for (int tries = 0; tries < 3; tries++) {
            ReplicaFront.Outcome outcome = front.send(turn++, post("/api/ratings", body.toString()));
            int status = outcome.status();
            boolean storedBefore = status == 409 && outcome.hadFailedAttempt();
            phases.record(LoadPhases.RATINGS, outcome, storedBefore);
            if (status == 201) {
                JsonNode accepted = outcome.last().json();
                ledger.accepted(accepted.path("ratingId").asText(), answer);
                JsonNode rolls = accepted.path("pianoRolls");
                if (rolls.size() > 0 && random.nextInt(4) == 0) {
                    call("GET pianoroll", get(rolls.get(0).asText()));
                }
                return status;
            }
            if (storedBefore) {
                ledger.storedBefore(answer);
                return status;
            }
            if (status == 404) {
                return status; // the page loads the series again, and the trial comes back if it is still open
            }
            if (status != 429) {
                abandoned.incrementAndGet();
                return status;
            }
            long wait = outcome.last().headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
            if (!sleep(wait * 1000)) {
                break;
            }
        }
        abandoned.incrementAndGet();
        return 429;
    }

    /** Sends through the front and counts it; the JSON body of a 200, else null. */
    private JsonNode call(String endpoint, java.util.function.Function<String, HttpRequest.Builder> request) {
        ReplicaFront.Outcome outcome = front.send(turn++, request);
        phases.record(endpoint, outcome, false);
        if (outcome.status() != 200) {
            return null;
        }
        return endpoint.startsWith("GET midi") || endpoint.startsWith("GET pianoroll") ? Http.JSON.nullNode()
                : outcome.last().json();
    }

    private java.util.function.Function<String, HttpRequest.Builder> get(String path) {
        return url -> get(url, path);
    }

    private HttpRequest.Builder get(String url, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT).GET();
        return cookie == null ? builder : builder.header("Cookie", cookie);
    }

    private java.util.function.Function<String, HttpRequest.Builder> post(String path, String json) {
        return url -> HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT)
                .header("Cookie", cookie).header(csrfHeader, csrf).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static boolean before(long deadline) {
        return System.nanoTime() < deadline;
    }

    /** Sleeps; false when interrupted or when the run's time is over by the end of it. */
    private boolean sleep(long millis) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        try {
            Thread.sleep(Math.max(0, Math.min(millis, left)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return millis <= left;
    }
}
