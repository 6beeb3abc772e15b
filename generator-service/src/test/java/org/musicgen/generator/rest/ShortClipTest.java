package org.musicgen.generator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.generator.generation.SampleService;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.ModelTrained;
import org.musicgen.testing.TestDatasets;
import org.musicgen.testing.TestModels;
import org.musicgen.testing.TestObjects;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models that cannot fill the clip: here the largest margin is tiny (30 performance events for the LSTM, one
 * four-bar phrase of 8 s for the piano-roll GAN, against clips of 10 s), so both trained models fall short honestly.
 * Each short sample is stored and announced with its true length and the clip's, its audio is as long as its music
 * (not padded with silence), and a WARN line names the model and the run. The real excerpt and its anchor still fill
 * the clip.
 */
@QuarkusTest
@TestProfile(ShortClipTest.TinyMargin.class)
@QuarkusTestResource(LocalStackTestResource.class)
class ShortClipTest {

    private static final int RATE = 22_050;

    public static class TinyMargin implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("musicgen.generator.max-length", "30", "musicgen.generator.max-gan-sequences", "1");
        }
    }

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectMapper json;

    @Test
    void aModelThatCannotFillTheClipIsReportedByNameAndNotPadded() throws Exception {
        CorpusDataset dataset = TestDatasets.oneKeyCorpus(12, "performance");
        String corpusId = TestDatasets.publish(stack, dataset);
        ModelTrained lstm = TestModels.trainLstm(stack, corpusId, dataset, 2);
        ModelTrained gan = TestModels.trainGan(stack, corpusId, dataset, 2);
        WarningLog warnings = WarningLog.of(SampleService.class);
        stack.topics().send("models.trained", lstm.runId(), json.writeValueAsString(lstm));
        stack.topics().send("models.trained", gan.runId(), json.writeValueAsString(gan));
        List<ConsumerRecord<String, String>> records = stack.topics().awaitCount("samples.generated",
                r -> corpusId.equals(field(r, "corpusId")), 6, Duration.ofSeconds(240));
        List<String> lines = warnings.stop();

        int shortOnes = 0;
        TestObjects objects = TestObjects.of(stack);
        for (ConsumerRecord<String, String> record : records) {
            JsonNode event = json.readTree(record.value());
            String model = event.get("model").asText();
            double seconds = event.get("durationSeconds").asDouble();
            assertEquals(10.0, event.get("clipSeconds").asDouble(), 0, event.toString());
            byte[] wav = objects.get("samples", event.get("audioKey").asText());
            assertEquals(44 + 2 * Math.round(seconds * RATE), wav.length, "the audio lasts the music: " + event);
            if (model.equals("corpus") || model.equals("anchor")) {
                assertEquals(10.0, seconds, 0, "real music fills the clip: " + event);
                continue;
            }
            shortOnes++;
            assertTrue(seconds > 0 && seconds < 9.5, "the model falls short of the clip: " + event);
            assertTrue(event.get("notes").asInt() > 0, "short, not silent: " + event);
            assertTrue(SampleGenerationTest.rms(wav) > 100, "with sound in it: " + event);
            String runId = "lstm".equals(model) ? lstm.runId() : gan.runId();
            String expected = String.format(java.util.Locale.ROOT, "%s run %s sample %s plays %.1f s of the 10 s clip",
                    model.toUpperCase(java.util.Locale.ROOT), runId, event.get("sampleId").asText(), seconds);
            assertTrue(lines.stream().anyMatch(line -> line.startsWith(expected)), expected + " in " + lines);
        }
        assertEquals(4, shortOnes, "2 LSTM and 2 GAN samples: " + records.size() + " events");
    }

    private String field(ConsumerRecord<String, String> record, String name) {
        try {
            return json.readTree(record.value()).path(name).asText(null);
        } catch (Exception e) {
            return null;
        }
    }
}
