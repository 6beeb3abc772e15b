package org.musicgen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.musicgen.mainjob.LocalServices;
import org.musicgen.mainjob.ServiceProcess;
import org.musicgen.testing.TestObjects;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.musicgen.bench.GenerationBenchmark.exitAfter;
import static org.musicgen.bench.GenerationBenchmark.intOption;
import static org.musicgen.bench.GenerationBenchmark.say;

/**
 * Raters at load with a replica killed (issue 29), on loopback, bounded in count and time: the local stack (real
 * Kafka and S3), a listening test planted on it (LSTM, GAN and real clips of one length, low anchors naming their
 * real excerpts), two evaluation-service replicas (the packaged application, separate JVMs and ports), and
 * {@code --raters} simulated listeners ({@link SimulatedRater}) for {@code --seconds}, each request sent in turn to
 * the replicas by a {@link ReplicaFront}. Halfway ({@code --kill-at}) one replica is SIGKILLed and started again at
 * once. Then the export of the survivor (and of the restarted replica, once it is ready) is held against every
 * answer the raters were told was stored ({@link RatingLedger}), until it matches or {@code --settle-seconds} pass.
 * Results: {@code result.json} and {@code result.md} in {@code --out} (default
 * {@code benchmarks/target/rater-load-test}); the last line of the output is {@code result key=value ...}. Exit
 * status 0 only when nothing was lost, duplicated or unexpected, the killed replica came back, and all within
 * {@code --time-limit} (past it the run stops with status 3).
 */
public final class RaterLoadTest {

    private static final String SURVIVOR = "replica-a";
    private static final String KILLED = "replica-b";

    private RaterLoadTest() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = GenerationBenchmark.options(args);
        int raters = intOption(options, "raters", 200);
        int seconds = intOption(options, "seconds", 300);
        int killAt = intOption(options, "kill-at", seconds / 2);
        double scale = Double.parseDouble(options.getOrDefault("pace-scale", "0.1"));
        double listen = Double.parseDouble(options.getOrDefault("listen-seconds", "20"));
        int ramp = intOption(options, "ramp-seconds", 20);
        int settle = intOption(options, "settle-seconds", 120);
        int timeLimit = intOption(options, "time-limit", seconds + 1200);
        ListeningClips.Plan plan = new ListeningClips.Plan(intOption(options, "lstm", 24), intOption(options, "gan", 24),
                intOption(options, "corpus", 24), intOption(options, "anchors", 12),
                Double.parseDouble(options.getOrDefault("clip-seconds", "4")));
        if (killAt <= 0 || killAt >= seconds || raters <= 0) {
            throw new IllegalArgumentException("need raters > 0 and 0 < kill-at < seconds");
        }
        Path root = Path.of(System.getProperty("musicgen.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve(options.getOrDefault("out", "benchmarks/target/rater-load-test"));
        Files.createDirectories(out);

        exitAfter(timeLimit);
        long started = System.nanoTime();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "rater-load-test");
        result.put("started", LocalDateTime.now().withNano(0).toString());
        result.put("machine", GenerationBenchmark.machine());
        SimulatedRater.Pace pace = new SimulatedRater.Pace(scale, listen, ramp);
        result.put("limits", Map.of("raters", raters, "seconds", seconds, "kill_at_s", killAt,
                "settle_s", settle, "time_limit_s", timeLimit));
        result.put("pace", Map.of("scale", scale, "listen_seconds_per_clip", listen, "ramp_seconds", ramp,
                "meaning", "per trial: each clip heard for 60-100% of listen_seconds, 5-15 s to answer, 10-30 s "
                        + "between series, all times scale"));
        result.put("test", Map.of("lstm", plan.lstm(), "gan", plan.gan(), "corpus", plan.corpus(),
                "anchors", plan.anchors(), "clip_seconds", plan.clipSeconds()));
        List<String> failures = new ArrayList<>();
        RatingLedger ledger = new RatingLedger();
        LoadPhases phases;
        RatingLedger.Check survivorCheck;
        RatingLedger.Check restartedCheck;
        Map<String, Object> exportSummary = new LinkedHashMap<>();

        // every simulated rater comes from 127.0.0.1; behind the ingress each has an address of its own
        Map<String, String> replicaProperties = Map.of("musicgen.evaluation.rate-limit.per-ip", "1000000");
        say("starting the local stack (Kafka, S3) on free loopback ports");
        try (BenchPlatform bench = BenchPlatform.start(root, out.resolve("logs"), null, Map.of())) {
            long p0 = System.nanoTime();
            Map<String, List<String>> samples = ListeningClips.plant(bench.stack(), plan, 29);
            say("planted %d clips of %.0f s (lstm %d, gan %d, corpus %d, anchors %d) in %.1f s", plan.total(),
                    plan.clipSeconds(), plan.lstm(), plan.gan(), plan.corpus(), plan.anchors(),
                    (System.nanoTime() - p0) / 1e9);

            ServiceProcess survivor = bench.replica(LocalServices.EVALUATION, SURVIVOR, replicaProperties);
            ServiceProcess killed = bench.replica(LocalServices.EVALUATION, KILLED, replicaProperties);
            long s0 = System.nanoTime();
            survivor.start();
            killed.start();
            survivor.awaitReady(Duration.ofMinutes(4));
            killed.awaitReady(Duration.ofMinutes(4));
            Http http = new Http(null);
            for (ServiceProcess replica : List.of(survivor, killed)) {
                for (List<String> ids : samples.values()) {
                    for (String id : ids) {
                        awaitListed(http, replica.url(), id, Duration.ofMinutes(3));
                    }
                }
            }
            say("two replicas ready and listing every clip in %.1f s: %s (%s), %s (%s)",
                    (System.nanoTime() - s0) / 1e9, SURVIVOR, survivor.url(), KILLED, killed.url());

            try (ReplicaFront front = new ReplicaFront(http, List.of(survivor.url(), killed.url()),
                    Duration.ofSeconds(1), 4, Duration.ofMillis(500))) {
                phases = runRaters(raters, seconds, killAt, pace, front, ledger, killed, result, failures);
            }

            if (!killed.isAlive()) {
                failures.add(KILLED + " is not running after its restart");
            }
            long c0 = System.nanoTime();
            survivorCheck = settle(http, survivor.url(), ledger, Duration.ofSeconds(settle));
            double survivorSettled = (System.nanoTime() - c0) / 1e9;
            restartedCheck = settle(http, killed.url(), ledger, Duration.ofSeconds(10));
            // the local S3 server lists each rater's folder too; a rating is a .json object
            int stored = (int) TestObjects.of(bench.stack()).list("ratings", "ratings/").stream()
                    .filter(key -> key.endsWith(".json")).count();
            exportSummary.put("survivor_" + SURVIVOR, checkMap(survivorCheck, survivorSettled));
            exportSummary.put("restarted_" + KILLED, checkMap(restartedCheck, Double.NaN));
            exportSummary.put("rating_objects_in_bucket", stored);
            exportSummary.put("ratings_answered_201", ledger.accepted());
            exportSummary.put("ratings_confirmed_by_409_after_a_failed_attempt", ledger.storedBefore());
            int expected = ledger.accepted() + ledger.storedBefore();
            if (stored != expected) {
                failures.add("the bucket holds " + stored + " rating objects, the raters were told of " + expected);
            }
            say("export of %s: %d rows, lost %d, duplicated %d, unexpected %d (complete after %.1f s); %s: lost %d, "
                            + "duplicated %d, unexpected %d; %d rating objects in the bucket, %d expected",
                    SURVIVOR, survivorCheck.rows(), survivorCheck.lost(), survivorCheck.duplicated(),
                    survivorCheck.unexpected(), survivorSettled, KILLED, restartedCheck.lost(),
                    restartedCheck.duplicated(), restartedCheck.unexpected(), stored, expected);
            say("stopping the replicas and the stack");
        }
        result.put("export", exportSummary);
        if (!survivorCheck.clean()) {
            failures.add("survivor's export: " + survivorCheck);
        }
        if (!restartedCheck.clean()) {
            failures.add("restarted replica's export: " + restartedCheck);
        }
        if (ledger.accepted() == 0) {
            failures.add("no rating was answered 201");
        }
        double total = (System.nanoTime() - started) / 1e9;
        result.put("total_s", Latencies.round(total));
        result.put("load_average_end", GenerationBenchmark.loadAverage());
        result.put("pass", failures.isEmpty());
        result.put("failures", failures);
        String line = resultLine(raters, seconds, phases, ledger, survivorCheck);
        result.put("result_line", line);
        Files.writeString(out.resolve("result.json"), Http.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(result) + "\n");
        String markdown = markdown(result, phases);
        Files.writeString(out.resolve("result.md"), markdown);
        System.out.println();
        System.out.println(markdown);
        say("results in %s", out.resolve("result.json"));
        say(failures.isEmpty() ? "PASS: every rating answered 201 is in the export exactly once, nothing else is"
                : "FAIL: " + String.join("; ", failures));
        System.out.println(line);
        System.out.flush();
        Runtime.getRuntime().halt(failures.isEmpty() ? 0 : 1); // nothing may print after the result line
    }

    /** The raters for {@code seconds}; at {@code killAt} the replica is SIGKILLed and started again. */
    private static LoadPhases runRaters(int raters, int seconds, int killAt, SimulatedRater.Pace pace,
                                        ReplicaFront front, RatingLedger ledger, ServiceProcess victim,
                                        Map<String, Object> result, List<String> failures)
            throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + seconds * 1_000_000_000L;
        LoadPhases phases = new LoadPhases(t0, List.of(SURVIVOR, KILLED));
        AtomicInteger sessions = new AtomicInteger();
        AtomicInteger abandoned = new AtomicInteger();
        say("%d raters for %d s (pace scale %.2f: a one-clip trial %.1f-%.1f s, a two-clip trial %.1f-%.1f s), "
                        + "%s SIGKILLed at %d s", raters, seconds, pace.scale(),
                pace.scale() * (0.6 * pace.listenSeconds() + 5), pace.scale() * (pace.listenSeconds() + 15),
                pace.scale() * (1.2 * pace.listenSeconds() + 5), pace.scale() * (2 * pace.listenSeconds() + 15),
                KILLED, killAt);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < raters; i++) {
            Thread thread = new Thread(new SimulatedRater(i, front, phases, ledger, pace, deadline, 1000L + i,
                    sessions, abandoned), "rater-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        Thread progress = new Thread(() -> {
            while (System.nanoTime() < deadline) {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    return;
                }
                say("  %.0f s: %d requests, %d ratings answered 201, %d + %d errors (5xx + other), ready %s %s",
                        (System.nanoTime() - t0) / 1e9, phases.requests(), ledger.accepted(), phases.errors(true),
                        phases.errors(false), front.ready(0), front.ready(1));
            }
        }, "progress");
        progress.setDaemon(true);
        progress.start();

        sleepUntil(t0 + killAt * 1_000_000_000L);
        long killedAt = System.nanoTime();
        phases.killed(killedAt);
        victim.kill();
        say("SIGKILLed %s at %.1f s; starting it again", KILLED, (killedAt - t0) / 1e9);
        victim.start();
        double downSeconds = Double.NaN;
        try {
            victim.awaitReady(Duration.ofSeconds(Math.max(60, seconds - killAt + 120)));
            long back = System.nanoTime();
            phases.back(back);
            downSeconds = (back - killedAt) / 1e9;
            say("%s ready again %.1f s after the kill", KILLED, downSeconds);
        } catch (IllegalStateException e) {
            failures.add(KILLED + " did not come back: " + e.getMessage());
        }
        sleepUntil(deadline);
        phases.ended(Math.min(System.nanoTime(), deadline));
        say("time is up; waiting for the raters' last requests");
        long joinDeadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        int unfinished = 0;
        for (Thread thread : threads) {
            thread.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                unfinished++;
            }
        }
        progress.interrupt();
        if (unfinished > 0) {
            failures.add(unfinished + " raters still waiting for an answer 300 s after the end");
        }
        result.put("run", Map.of("sessions", sessions.get(), "answers_given_up", abandoned.get(),
                "killed_replica_down_s", Latencies.round(downSeconds), "raters_unfinished", unfinished,
                "readiness_lost", Map.of(SURVIVOR, front.unreadyTransitions(0), KILLED, front.unreadyTransitions(1))));
        result.put("load", phases.summary());
        return phases;
    }

    /** Reads the export until it matches the ledger or the time is up; the last check. */
    private static RatingLedger.Check settle(Http http, String url, RatingLedger ledger, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RatingLedger.Check check = null;
        for (boolean first = true; check == null || !check.clean(); first = false) {
            if (!first) {
                if (System.nanoTime() >= deadline) {
                    break;
                }
                sleep(2000);
            }
            Http.Reply reply = http.send(HttpRequest.newBuilder(URI.create(url + "/api/ratings/export.json"))
                    .timeout(Duration.ofSeconds(60)).GET());
            if (reply.status() == 200) {
                check = ledger.check(reply.json());
            }
        }
        if (check == null) {
            throw new IllegalStateException("the export of " + url + " did not answer 200 within " + timeout);
        }
        return check;
    }

    private static Map<String, Object> checkMap(RatingLedger.Check check, double settledSeconds) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rows", check.rows());
        map.put("lost", check.lost());
        map.put("duplicated", check.duplicated());
        map.put("unexpected", check.unexpected());
        map.put("confirmed_by_409_found", check.confirmed());
        map.put("examples", check.examples());
        if (!Double.isNaN(settledSeconds)) {
            map.put("complete_after_s", Latencies.round(settledSeconds));
        }
        return map;
    }

    private static void awaitListed(Http http, String url, String sampleId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (http.get(url + "/api/samples/" + sampleId, Duration.ofSeconds(10)).status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " does not list sample " + sampleId + " after " + timeout);
            }
            sleep(250);
        }
    }

    static String resultLine(int raters, int seconds, LoadPhases phases, RatingLedger ledger,
                             RatingLedger.Check check) {
        Latencies ratings = phases.ratings201();
        double held = phases.requests() / phases.seconds().values().stream().mapToDouble(Double::doubleValue).sum();
        return String.format(Locale.ROOT, "result raters=%d seconds=%d requests_per_s=%.1f ratings_p50_ms=%.0f "
                        + "ratings_p95_ms=%.0f ratings_201=%d errors_5xx=%d errors_other=%d lost=%d duplicated=%d "
                        + "unexpected=%d", raters, seconds, held, ratings.percentile(50), ratings.percentile(95),
                ratings.count(), phases.errors(true), phases.errors(false), check.lost(), check.duplicated(),
                check.unexpected());
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> result, LoadPhases phases) {
        Map<String, Object> machine = (Map<String, Object>) result.get("machine");
        Map<String, Object> load = phases.summary();
        Map<String, Object> run = (Map<String, Object>) result.get("run");
        Map<String, Object> export = (Map<String, Object>) result.get("export");
        StringBuilder md = new StringBuilder();
        md.append("Rater load test, ").append(result.get("started")).append(", ").append(machine.get("cores"))
                .append(" cores, Java ").append(machine.get("java")).append(", load average at start ")
                .append(machine.get("load_average_start")).append(", at end ").append(result.get("load_average_end"))
                .append(", total ").append(result.get("total_s")).append(" s: ")
                .append(Boolean.TRUE.equals(result.get("pass")) ? "PASS" : "FAIL " + result.get("failures"))
                .append("\n\n");
        md.append("Sessions ").append(run.get("sessions")).append(", answers given up ")
                .append(run.get("answers_given_up")).append(", killed replica back after ")
                .append(run.get("killed_replica_down_s")).append(" s, readiness probe failing after passing: ")
                .append(run.get("readiness_lost")).append(".\n\n");
        md.append("| phase | s | requests | requests/s | POST /api/ratings 201: n, p50 / p95 / max ms | errors |\n"
                + "|---|---|---|---|---|---|\n");
        Map<String, Object> byPhase = (Map<String, Object>) load.get("phases");
        for (Map.Entry<String, Object> entry : byPhase.entrySet()) {
            Map<String, Object> p = (Map<String, Object>) entry.getValue();
            Map<String, Object> r = (Map<String, Object>) p.get("ratings_201");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s, %s / %s / %s | %s |%n", entry.getKey(),
                    p.get("seconds"), p.get("requests"), p.get("requests_per_s"), r.get("count"), r.get("p50_ms"),
                    r.get("p95_ms"), r.get("max_ms"), p.get("errors")));
        }
        md.append("\nRequests by endpoint: ").append(load.get("requests_by_endpoint")).append("\n\n");
        md.append("Export: ").append(export).append("\n");
        return md.toString();
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long millis = (nanos - System.nanoTime()) / 1_000_000;
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
