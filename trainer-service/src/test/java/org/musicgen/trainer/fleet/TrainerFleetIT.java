package org.musicgen.trainer.fleet;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.musicgen.localstack.LocalStack;
import org.musicgen.trainer.testing.PackagedTrainer;
import org.musicgen.localstack.LocalStackExtension;
import org.musicgen.testing.TestDatasets;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two packaged trainers, as real processes, on one broker and one object store: four runs are spread over both,
 * each trained by exactly one of them; one trainer is killed (SIGKILL) mid-run and the other takes its runs over,
 * resuming the interrupted one from its last checkpoint. Every epoch is trained once, every run announced once.
 */
@ExtendWith(LocalStackExtension.class)
class TrainerFleetIT {

    private static final int EPOCHS = 10;
    private static final int RUNS = 4;
    private static final Duration DEADLINE = Duration.ofMinutes(6);

    @Test
    void twoTrainersShareTheRunsAndOneTakesOverWhenTheOtherDies(LocalStack stack) throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 16);
        Path logs = Files.createTempDirectory("trainer-fleet");
        Trainer a = new Trainer("a", freePort(), logs.resolve("a.log"));
        Trainer b = new Trainer("b", freePort(), logs.resolve("b.log"));
        try {
            a.start(stack);
            a.awaitReady();
            a.awaitLog("it owns 2 partition(s)");
            b.start(stack);
            b.awaitReady();
            // B has its share once the cooperative rebalance has taken one partition from A.
            b.awaitLog("it owns 1 partition(s)");

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                ids.add(given().baseUri(a.url()).contentType(ContentType.JSON)
                        .body(Map.of("corpusId", corpusId, "model", "lstm", "device", "cpu",
                                "hyperParameters", Map.of("epochs", Integer.toString(EPOCHS), "hiddenSize", "32",
                                        "embeddingSize", "16", "layers", "1")))
                        .when().post("/api/training-runs").then().statusCode(202).extract().path("id"));
            }

            // The run B trains first: wait until it has a checkpoint or two, then kill B in the middle of it.
            String victim = awaitStartedOn(b, ids);
            JsonPath beforeKill = awaitEpoch(a, victim, 2);
            assertTrue(beforeKill.getInt("epoch") < EPOCHS, "B finished the run before the kill: " + beforeKill.prettify());
            b.kill();
            JsonPath atKill = run(a, victim);
            int epochAtKill = atKill.getInt("epoch");
            List<Float> lossesAtKill = atKill.getList("history.validationLoss", Float.class);
            assertTrue(epochAtKill >= 2 && epochAtKill < EPOCHS, "killed at epoch " + epochAtKill);

            Map<String, JsonPath> done = new HashMap<>();
            for (String id : ids) {
                done.put(id, awaitFinished(a, id));
            }

            String logA = Files.readString(a.log);
            String logB = Files.readString(b.log);
            for (String id : ids) {
                JsonPath run = done.get(id);
                assertEquals("COMPLETED", run.getString("status"), run.prettify());
                assertEquals(rangeTo(EPOCHS), run.getList("history.epoch", Integer.class),
                        "run " + id + ": every epoch once, in order");
                Set<Integer> byA = epochsLogged(logA, id);
                Set<Integer> byB = epochsLogged(logB, id);
                assertTrue(byA.stream().noneMatch(byB::contains),
                        "run " + id + ": epochs trained by both trainers, A " + byA + ", B " + byB);
                if (!id.equals(victim)) {
                    assertTrue(byA.isEmpty() || byB.isEmpty(), "run " + id + " trained by both: A " + byA + ", B " + byB);
                }
            }
            assertTrue(ids.stream().anyMatch(id -> !epochsLogged(logA, id).isEmpty()), "A trained nothing");
            assertTrue(ids.stream().anyMatch(id -> !epochsLogged(logB, id).isEmpty()), "B trained nothing");

            // The killed run: its epochs before the kill kept as they were, the rest trained by A from there on.
            assertEquals(lossesAtKill, done.get(victim).getList("history.validationLoss", Float.class)
                    .subList(0, epochAtKill), "epochs done before the kill are kept, not retrained");
            assertTrue(epochsLogged(logA, victim).stream().allMatch(e -> e > epochAtKill),
                    "A retrained an epoch B had finished: " + epochsLogged(logA, victim));
            assertTrue(logA.contains("run " + victim + " (lstm on corpus " + corpusId) && logA.contains(
                    "epoch " + (epochAtKill + 1) + " of " + EPOCHS), "A resumed the run after epoch " + epochAtKill);

            // One models.trained per run, however the runs moved between trainers.
            Set<String> runIds = Set.copyOf(ids);
            Predicate<ConsumerRecord<String, String>> ours = r -> runIds.contains(r.key());
            Map<String, Long> announced = stack.topics().readAll("models.trained", ours, Duration.ofSeconds(3))
                    .stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertEquals(ids.stream().collect(Collectors.toMap(id -> id, id -> 1L)), announced);
        } finally {
            a.stop();
            b.stop();
        }
    }

    /** The epochs a trainer's log says it finished for a run ({@code run <id> epoch k/N: ...}). */
    private static Set<Integer> epochsLogged(String log, String id) {
        Matcher m = Pattern.compile("run " + Pattern.quote(id) + " epoch (\\d+)/" + EPOCHS + ":").matcher(log);
        List<Integer> epochs = new ArrayList<>();
        while (m.find()) {
            epochs.add(Integer.parseInt(m.group(1)));
        }
        assertEquals(epochs.size(), Set.copyOf(epochs).size(), "run " + id + ": an epoch logged twice by one trainer");
        return Set.copyOf(epochs);
    }

    private static List<Integer> rangeTo(int n) {
        List<Integer> epochs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            epochs.add(i);
        }
        return epochs;
    }

    private static String awaitStartedOn(Trainer trainer, List<String> ids) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            String log = Files.readString(trainer.log);
            for (String id : ids) {
                if (log.contains("run " + id + " (lstm")) {
                    return id;
                }
            }
            Thread.sleep(100);
        }
        return fail("trainer " + trainer.name + " started none of " + ids + ": " + Files.readString(trainer.log));
    }

    private static JsonPath run(Trainer via, String id) {
        return given().baseUri(via.url()).when().get("/api/training-runs/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    private static JsonPath awaitEpoch(Trainer via, String id, int epoch) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath run = run(via, id);
            if (run.getInt("epoch") >= epoch) {
                return run;
            }
            Thread.sleep(50);
        }
        return fail("run " + id + " did not reach epoch " + epoch);
    }

    private static JsonPath awaitFinished(Trainer via, String id) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath run = run(via, id);
            if (!"RUNNING".equals(run.getString("status")) && !"QUEUED".equals(run.getString("status"))) {
                return run;
            }
            Thread.sleep(500);
        }
        return fail("run " + id + " did not finish: " + run(via, id).prettify());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** One packaged trainer process and its log. */
    private static final class Trainer {
        final String name;
        final int port;
        final Path log;
        Process process;

        Trainer(String name, int port, Path log) {
            this.name = name;
            this.port = port;
            this.log = log;
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }

        void start(LocalStack stack) throws IOException {
            process = PackagedTrainer.start(stack, port, "768m", log,
                    "-Dmusicgen.trainer.cpu-threads=1",
                    // two partitions for two trainers; the broker's shortest session, so the takeover is quick
                    "-Dmusicgen.trainer.run-partitions=2",
                    "-Dmusicgen.trainer.owner-timeout=6s",
                    "-Dmusicgen.trainer.resume-interval=2s");
        }

        void awaitReady() throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    fail("trainer " + name + " exited: " + Files.readString(log));
                }
                try {
                    if (given().baseUri(url()).when().get("/q/health/ready").statusCode() == 200) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not listening yet
                }
                Thread.sleep(300);
            }
            fail("trainer " + name + " not ready in 120 s: " + Files.readString(log));
        }

        void awaitLog(String text) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                if (Files.readString(log).contains(text)) {
                    return;
                }
                Thread.sleep(200);
            }
            fail("trainer " + name + " never logged '" + text + "': " + Files.readString(log));
        }

        /** SIGKILL: no shutdown hook, no leaving the group; the broker notices when its session expires. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        void stop() throws InterruptedException {
            if (process == null || !process.isAlive()) {
                return;
            }
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
