package org.musicgen.trainer.rest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.encoding.PerformanceEncoding;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.testing.TestDatasets;
import org.musicgen.trainer.training.DatasetLoader;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dataset of piano and drums loads with its encoding's 397 ids and the LSTM trains on it, never transposed. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class DrumsTrainingTest {

    @InjectLocalStack
    LocalStack stack;

    @Inject
    DatasetLoader loader;

    @Test
    void aPerformanceDrumsDatasetLoadsAndTheLstmTrainsOnIt() throws Exception {
        CorpusDataset dataset = TestDatasets.grooveCorpus(8);
        String corpusId = TestDatasets.publish(stack, dataset);

        DatasetLoader.TrainingData data = loader.load(corpusId, 0.25, 7).orElseThrow();
        assertEquals("performance-drums", data.encoding().name());
        assertEquals(PerformanceEncoding.SIZE_WITH_DRUMS, data.encoding().size());
        assertTrue(data.hasPieces());
        assertTrue(data.trainPieces().stream().allMatch(p -> p.score().hasDrums()), "the stored notes keep the hits");
        long drumIds = data.split().train().stream().flatMapToInt(java.util.Arrays::stream)
                .filter(id -> id >= PerformanceEncoding.DRUM).count();
        assertTrue(drumIds > 100, "the training windows hold DRUM events: " + drumIds);

        // augmentation asked for: a drums corpus trains on its windows as they are all the same
        String id = RunPolling.create(corpusId, "lstm", Map.of("epochs", "2", "hiddenSize", "32", "batchSize", "16",
                "transposeSemitones", "3"));
        JsonPath run = RunPolling.awaitFinished(id, 300);
        assertEquals("COMPLETED", run.getString("status"), run.prettify());
        assertEquals("performance-drums", run.getString("encoding"), "read from the dataset");
        assertEquals(2, run.getList("history.validationLoss").size());
        assertTrue(Double.isFinite(run.getDouble("finalMetrics.bitsPerNote")), run.prettify());
    }
}
