package org.musicgen.trainer.recovery;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
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
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged trainer, as a real process, is killed (SIGKILL) in the middle of a run; started again, it
 * resumes the run from its last checkpoint instead of starting over, and completes it.
 */
@ExtendWith(LocalStackExtension.class)
class TrainerCrashRecoveryIT {

    private static final int EPOCHS = 10;

    @Test
    void aKilledRunResumesFromItsLastCheckpoint(LocalStack stack) throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 60);
        int port = freePort();
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = port;
        Path logs = Files.createTempDirectory("trainer-crash");

        Process first = start(stack, port, logs.resolve("first.log"));
        String id;
        try {
            awaitReady(first, logs.resolve("first.log"));
            id = given().contentType(ContentType.JSON)
                    .body(Map.of("corpusId", corpusId, "model", "lstm", "device", "cpu",
                            "hyperParameters", Map.of("epochs", Integer.toString(EPOCHS))))
                    .when().post("/api/training-runs").then().statusCode(202).extract().path("id");
            awaitEpoch(id, 3);
        } finally {
            first.destroyForcibly().waitFor();
        }

        Process second = start(stack, port, logs.resolve("second.log"));
        try {
            awaitReady(second, logs.resolve("second.log"));
            // What survived the kill is what the killed process had made durable in the object store.
            JsonPath atRestart = given().when().get("/api/training-runs/" + id).then().statusCode(200)
                    .extract().jsonPath();
            int epochAtKill = atRestart.getInt("epoch");
            List<Float> lossesBeforeKill = atRestart.getList("history.validationLoss", Float.class);
            assertTrue(epochAtKill >= 3 && epochAtKill < EPOCHS, "killed at epoch " + epochAtKill);

            JsonPath done = awaitCompleted(id);
            assertEquals("COMPLETED", done.getString("status"), done.prettify());
            List<Integer> epochs = done.getList("history.epoch", Integer.class);
            assertEquals(EPOCHS, epochs.size(), "every epoch once: " + epochs);
            for (int i = 0; i < EPOCHS; i++) {
                assertEquals(i + 1, epochs.get(i));
            }
            assertEquals(lossesBeforeKill, done.getList("history.validationLoss", Float.class)
                    .subList(0, epochAtKill), "epochs done before the kill are kept, not retrained");

            String secondLog = Files.readString(logs.resolve("second.log"));
            assertTrue(secondLog.contains("resuming 1 unfinished run"), secondLog);
            assertTrue(secondLog.contains("epoch " + (epochAtKill + 1) + " of " + EPOCHS), secondLog);
            assertFalse(secondLog.contains(" epoch 1/" + EPOCHS + ":"), "the resumed run did not start over");
        } finally {
            second.destroy();
            if (!second.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    private static Process start(LocalStack stack, int port, Path log) throws IOException {
        return PackagedTrainer.start(stack, port, "1g", log);
    }

    private static void awaitReady(Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("trainer exited: " + Files.readString(log));
            }
            try {
                if (given().when().get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        fail("trainer not ready in 90 s: " + Files.readString(log));
    }

    private static JsonPath awaitEpoch(String id, int epoch) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath run = given().when().get("/api/training-runs/" + id).then().statusCode(200).extract().jsonPath();
            if (run.getInt("epoch") >= epoch) {
                return run;
            }
            Thread.sleep(100);
        }
        return fail("run " + id + " did not reach epoch " + epoch);
    }

    private static JsonPath awaitCompleted(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath run = given().when().get("/api/training-runs/" + id).then().statusCode(200).extract().jsonPath();
            if (!"RUNNING".equals(run.getString("status")) && !"QUEUED".equals(run.getString("status"))) {
                return run;
            }
            Thread.sleep(500);
        }
        return fail("run " + id + " did not finish");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
