package org.musicgen.trainer.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.musicgen.core.model.gan.roll.RollGanConfig;
import org.musicgen.core.model.gan.token.TokenGanConfig;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run record as the object store keeps it: the typed specification round trip, and records from before it. */
class TrainingRunRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Test
    void aRunsSpecificationSurvivesItsRecordTyped() throws Exception {
        RunSpec spec = RunSpec.parse("gan", "default", Map.of("bars", "2", "patience", "3", "maxMinutes", "12"));
        TrainingRun run = TrainingRun.queued("r1", "c1", spec, "default", Map.of("bars", "2"), "cpu",
                Instant.parse("2026-12-07T10:00:00Z"));
        TrainingRun back = JSON.readValue(JSON.writeValueAsBytes(run), TrainingRun.class);
        RunSpec.RollGan roll = assertInstanceOf(RunSpec.RollGan.class, back.requireSpec());
        assertEquals(RollGanConfig.fromMap(Map.of("bars", "2"), RollGanConfig.defaults()), roll.model());
        assertEquals(new RunLimits(12.0, 3, 0), roll.limits());
        assertEquals(ModelFamily.GAN, back.model());
        assertEquals(20, back.epochs());
    }

    @Test
    void aRecordFromBeforeSpecificationsReadsItsSettingsAsTrainingDidThen() throws Exception {
        String stored = "{\"id\":\"old\",\"corpusId\":\"c1\",\"model\":\"gan\",\"preset\":\"default\","
                + "\"hyperParameters\":{\"formulation\":\"gumbel\",\"sequenceLength\":\"100\",\"epochs\":\"3\","
                + "\"maxMinutes\":\"5\"},\"status\":\"COMPLETED\",\"epoch\":3,\"epochs\":3,\"elapsedSeconds\":12.5,"
                + "\"history\":[],\"checkpointKeys\":[],\"createdAt\":\"2026-12-01T10:00:00Z\","
                + "\"updatedAt\":\"2026-12-01T10:05:00Z\"}";
        TrainingRun run = JSON.readValue(stored, TrainingRun.class);
        RunSpec.TokenGan gan = assertInstanceOf(RunSpec.TokenGan.class, run.requireSpec());
        assertEquals(TokenGanConfig.fromMap(Map.of("epochs", "3"), TokenGanConfig.defaults()), gan.model());
        assertEquals(5.0, gan.limits().maxMinutes());

        String unreadable = stored.replace("\"epochs\":\"3\"", "\"epochs\":\"many\"");
        TrainingRun broken = JSON.readValue(unreadable, TrainingRun.class);
        assertNull(broken.spec());
        IllegalStateException e = assertThrows(IllegalStateException.class, broken::requireSpec);
        assertTrue(e.getMessage().contains("start a new run"), e.getMessage());
    }

    @Test
    void theRunsLimitsStayApartFromTheModelsHyperParameters() {
        RunSpec spec = RunSpec.parse("lstm", "study", Map.of("patience", "2", "hiddenSize", "64"));
        assertEquals(List.of(64, 2), List.of(((RunSpec.Lstm) spec).model().hiddenSize(), spec.limits().patience()));
        assertTrue(!spec.model().values().containsKey("patience"), "a limit is not a hyper-parameter");
    }
}
