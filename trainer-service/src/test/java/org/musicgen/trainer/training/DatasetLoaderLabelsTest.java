package org.musicgen.trainer.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.musicgen.core.dataset.CorpusBuilder;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.dataset.CorpusOptions;
import org.musicgen.core.dataset.SourceFile;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.DatasetKeys;
import org.musicgen.platform.events.DatasetManifest;
import org.musicgen.testing.TestDatasets;
import org.musicgen.testing.TestObjects;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each piece's label comes from the dataset manifest; datasets written before labels existed load without them. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class DatasetLoaderLabelsTest {

    private static final List<String> LABELS = List.of("bach", "chopin", "bach", "", "satie", "chopin");

    @InjectLocalStack
    LocalStack stack;

    @Inject
    DatasetLoader loader;

    @Inject
    ObjectMapper json;

    @Test
    void eachPieceCarriesItsLabelFromTheManifest() throws Exception {
        CorpusDataset dataset = labelledCorpus();
        String corpusId = TestDatasets.publish(stack, dataset);
        DatasetKeys keys = DatasetKeys.forCorpus(corpusId);
        // the manifest as the ingest service writes it: the accepted files in source order, each with its label
        List<Map<String, Object>> files = new ArrayList<>();
        for (SourceFile source : dataset.sources()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("file", source.fileName());
            file.put(DatasetManifest.LABEL, source.label());
            files.add(file);
        }
        Map<String, Object> manifest = Map.of("encoding", dataset.encoding().name(), DatasetManifest.FILES, files,
                DatasetManifest.LABELS, DatasetManifest.labelCounts(dataset.labelCounts()));
        TestObjects.of(stack).put(keys.bucket(), keys.manifest(), json.writeValueAsBytes(manifest));

        DatasetLoader.TrainingData data = loader.load(corpusId, 0.34, 7).orElseThrow();

        Map<Integer, String> labelBySource = new HashMap<>();
        data.trainPieces().forEach(p -> labelBySource.put(p.source(), p.label()));
        data.validationPieces().forEach(p -> labelBySource.put(p.source(), p.label()));
        assertEquals(LABELS.size(), labelBySource.size());
        assertTrue(!data.validationPieces().isEmpty() && !data.trainPieces().isEmpty(), "both sides have pieces");
        for (int i = 0; i < LABELS.size(); i++) {
            assertEquals(LABELS.get(i).isEmpty() ? null : LABELS.get(i), labelBySource.get(i), "piece " + i);
        }
        assertEquals(List.of("bach", "chopin", "satie"), data.labels());
    }

    @Test
    void aDatasetWrittenBeforeLabelsLoadsWithoutThem() {
        // TestDatasets writes the manifest of old datasets: the encoding only, no files
        String corpusId = TestDatasets.publish(stack, labelledCorpus());

        DatasetLoader.TrainingData data = loader.load(corpusId, 0.34, 7).orElseThrow();

        assertTrue(data.hasPieces());
        data.trainPieces().forEach(p -> assertNull(p.label()));
        data.validationPieces().forEach(p -> assertNull(p.label()));
        assertEquals(List.of(), data.labels());
    }

    private static CorpusDataset labelledCorpus() {
        SyntheticCorpus corpus = new SyntheticCorpus(5);
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.defaults());
        for (int i = 0; i < LABELS.size(); i++) {
            GeneratedPiece piece = corpus.piece(i);
            builder.add(piece.fileName(), piece.midi(), LABELS.get(i));
        }
        return builder.build();
    }
}
