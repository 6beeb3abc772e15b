package org.musicgen.trainer.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.testing.TestDatasets;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both models train on the synthetic corpus, against the real local stack, and demonstrably learn. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class TrainingLearnsTest {

    @InjectLocalStack
    LocalStack stack;

    @Test
    void lstmValidationLossHalvesAndBeatsTheTrigramBaseline() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 150);
        // the model the default had before it was sized for real piano: this corpus needs no more, and CI stays quick
        String id = RunPolling.create(corpusId, "lstm", Map.of("epochs", "60", "hiddenSize", "128", "batchSize", "16"));

        JsonPath run = RunPolling.awaitFinished(id, 480);
        assertEquals("COMPLETED", run.getString("status"), run.prettify());
        List<Float> validation = run.getList("history.validationLoss", Float.class);
        assertEquals(60, validation.size());
        float first = validation.get(0);
        float last = run.getFloat("finalMetrics.validationLoss");
        assertTrue(last <= first / 2, "validation loss " + first + " -> " + last + " did not halve: " + validation);
        // whole held-out pieces, bits per note: the LSTM against the best Kneser-Ney n-gram (order 1-5) and the unigram
        // On this small, very regular corpus the best n-gram (order 5) is as good as the LSTM (measured 2.72 against
        // 2.75): the LSTM must beat the trigram and stay within 5 % of the best order. Real piano is where it pulls
        // ahead (BENCHMARKS.md: 14.8 % below the best n-gram on piano-midi).
        double lstm = run.getDouble("finalMetrics.bitsPerNote");
        double ngram = run.getDouble("finalMetrics.ngramBitsPerNote");
        double trigram = run.getDouble("finalMetrics.trigramBitsPerNote");
        double unigram = run.getDouble("finalMetrics.unigramBitsPerNote");
        assertTrue(lstm < trigram, "LSTM " + lstm + " bits per note vs the trigram's " + trigram);
        assertTrue(lstm < ngram * 1.05, "LSTM " + lstm + " bits per note vs the order-"
                + run.getDouble("finalMetrics.ngramOrder") + " n-gram's " + ngram);
        assertTrue(ngram < unigram / 2, "n-gram " + ngram + " vs unigram " + unigram);
        assertEquals(60, run.getList("checkpointKeys").size());
        assertEquals("cpu()", run.getString("device"));
        assertEquals("seed", run.getString("encoding"), "read from the dataset");
        assertEquals("epochs", run.getString("stopReason"), "no budget and no patience asked: every epoch");
    }

    @Test
    void thePianoRollGanRecordsItsLossesAndCollapseWatchEveryEpochAndServesItsBestEpoch() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 150);
        // the default GAN, narrowed so that CI stays quick; its learning on this corpus is PianoRollGanTest's
        String id = RunPolling.create(corpusId, "gan", Map.of("epochs", "8", "generatorHidden", "128,256",
                "discriminatorHidden", "64", "bars", "2"));

        JsonPath run = RunPolling.awaitFinished(id, 480);
        assertEquals("COMPLETED", run.getString("status"), run.prettify());
        assertEquals(8, run.getList("history").size());
        for (String curve : List.of("discriminatorLoss", "generatorLoss", "statisticsGap", "sampleDiversity",
                "realDiversity")) {
            List<Float> values = run.getList("history." + curve, Float.class);
            assertEquals(8, values.size(), curve);
            values.forEach(v -> assertTrue(Float.isFinite(v) && v >= 0, curve + " " + v));
        }
        List<Float> gaps = run.getList("history.statisticsGap", Float.class);
        double best = run.getDouble("finalMetrics.statisticsGap");
        assertEquals(gaps.stream().mapToDouble(Float::doubleValue).min().orElseThrow(), best, 1e-4,
                "the served epoch is the one nearest the corpus");
        assertTrue(run.getDouble("finalMetrics.sampleDiversity") > 0, "the samples differ from one another");
        double inside = run.getDouble("finalMetrics.statisticsInsideRealSpread");
        assertTrue(inside >= 0 && inside <= 6, "statistics inside the real spread: " + inside);
    }

    @Test
    void theTokenGanRecordsItsLossesAndItsPitchClassesBeatRandomTokens() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 150);
        String id = RunPolling.create(corpusId, "gan", Map.of("epochs", "20", "formulation", "gumbel"));

        JsonPath run = RunPolling.awaitFinished(id, 480);
        assertEquals("COMPLETED", run.getString("status"), run.prettify());
        List<Float> discriminator = run.getList("history.discriminatorLoss", Float.class);
        List<Float> generator = run.getList("history.generatorLoss", Float.class);
        assertEquals(20, discriminator.size());
        assertEquals(20, generator.size());
        discriminator.forEach(loss -> assertTrue(Float.isFinite(loss) && loss > 0, "discriminator loss " + loss));
        generator.forEach(loss -> assertTrue(Float.isFinite(loss) && loss > 0, "generator loss " + loss));
        double samples = run.getDouble("finalMetrics.samplePitchClassDistance");
        double uniform = run.getDouble("finalMetrics.uniformPitchClassDistance");
        assertTrue(samples < uniform, "GAN samples' pitch classes " + samples + " vs uniform tokens' " + uniform);
    }

    @Test
    void invalidRequestsGetProblems() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 2);
        RunPolling.post(Map.of("corpusId", corpusId, "model", "transformer"))
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("model must be 'lstm' or 'gan' (or a kind: 'token-gan', 'roll-gan'), got "
                        + "'transformer'"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "lstm", "hyperParameters", Map.of("sequenceLength", "64")))
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.startsWith("sequenceLength is fixed by "
                        + "the corpus's dataset"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "gan", "hyperParameters", Map.of("gumbelAnneal", "0.5")))
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.startsWith("unknown piano-roll GAN "
                        + "hyper-parameter 'gumbelAnneal'"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "lstm", "hyperParameters", Map.of("maxMinutes", "0")))
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.startsWith("maxMinutes must be"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "lstm", "hyperParameters", Map.of("hiddenSize", "0")))
                .then().statusCode(400).body("detail", equalTo("hiddenSize must be in [1, 8192], got 0"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "lstm", "hyperParameters", Map.of("hidden", "64")))
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.startsWith("unknown LSTM hyper-parameter 'hidden'"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "gan", "preset", "fancy"))
                .then().statusCode(400).body("detail", equalTo("preset must be 'default' or 'study', got 'fancy'"));
        RunPolling.post(Map.of("corpusId", corpusId, "model", "gan", "device", "tpu"))
                .then().statusCode(400).body("detail", equalTo("device must be 'auto', 'cpu' or 'gpu', got 'tpu'"));
        RunPolling.post(Map.of("corpusId", "00000000-0000-0000-0000-000000000000", "model", "lstm"))
                .then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/training-runs/no-such-run").then().statusCode(404)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).when().post("/api/training-runs/no-such-run/cancel").then().statusCode(404);
    }

    @Test
    void aRunIsStoredWithItsTypedSpecificationEveryValueStatedAndItsLimitsApart() throws Exception {
        String corpusId = TestDatasets.publishOneKeyCorpus(stack, 2);
        String id = RunPolling.post(Map.of("corpusId", corpusId, "model", "gan", "hyperParameters",
                        Map.of("formulation", "gumbel", "epochs", "1", "maxMinutes", "2", "noiseSize", "32")))
                .then().statusCode(202).extract().path("id");
        given().when().get("/api/training-runs/" + id).then().statusCode(200)
                .body("model", equalTo("gan"))
                .body("spec.kind", equalTo("token-gan"))
                .body("spec.model.formulation", equalTo("gumbel"))
                .body("spec.model.noiseSize", equalTo(32))
                .body("spec.model.discriminatorHidden", equalTo(128)) // the token GAN's default, stated
                .body("spec.model.epochs", equalTo(1))
                .body("spec.model.maxMinutes", org.hamcrest.Matchers.nullValue())
                .body("spec.limits.maxMinutes", equalTo(2.0f));
        given().contentType(ContentType.JSON).when().post("/api/training-runs/" + id + "/cancel").then()
                .statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(202), equalTo(409)));
    }
}
