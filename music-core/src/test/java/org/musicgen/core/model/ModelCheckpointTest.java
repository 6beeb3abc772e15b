package org.musicgen.core.model;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelCheckpointTest {

    record Sizes(int hidden, double rate, String optimizer) {
    }

    @Test
    void roundTripKeepsEverything() {
        ModelCheckpoint checkpoint = new ModelCheckpoint("gan", 3,
                ModelCheckpoint.configOf(new Sizes(256, 0.003, "adam")),
                "<unk>\t0\nn60:4\t12\n".getBytes(),
                Map.of("generator", new byte[]{1, 2, 3}, "discriminator", new byte[]{4, 5}));
        ModelCheckpoint back = ModelCheckpoint.decode(checkpoint.encode());
        assertEquals(checkpoint, back);
        assertEquals(Map.of("hidden", "256", "rate", "0.003", "optimizer", "adam"), back.config());
        assertArrayEquals(new byte[]{4, 5}, back.parameters("discriminator"));
        assertThrows(IllegalArgumentException.class, () -> back.parameters("lstm"));
    }

    @Test
    void somethingElseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.decode("not a zip".getBytes()));
    }

    @Test
    void modelConfigsSurviveTheCheckpointAsTheyWereTrained() {
        GanConfig gan = GanConfig.fromMap(Map.of("generatorHidden", "96,160", "sequenceLength", "48"),
                GanConfig.defaults());
        ModelCheckpoint ganCheckpoint = ModelCheckpoint.decode(new ModelCheckpoint("gan", 1,
                ModelCheckpoint.configOf(gan), "<unk>\t0\nn60:4\t12\n".getBytes(), Map.of("model", new byte[0]))
                .encode());
        assertEquals(gan, ganCheckpoint.ganConfig());
        assertEquals(2, ganCheckpoint.readVocabulary().size());
        assertThrows(IllegalStateException.class, ganCheckpoint::lstmConfig);

        LstmConfig lstm = LstmConfig.defaults().withSequenceLength(64);
        ModelCheckpoint lstmCheckpoint = new ModelCheckpoint("lstm", 1, ModelCheckpoint.configOf(lstm),
                "<unk>\t0\n".getBytes(), Map.of("model", new byte[0]));
        assertEquals(lstm, lstmCheckpoint.lstmConfig());
    }

    @Test
    void aGanCheckpointFromBeforeTheOnsetStreamAndHysteresisLoadsAsItWasTrained() {
        Map<String, String> older = new java.util.TreeMap<>(ModelCheckpoint.configOf(GanConfig.defaults()));
        older.remove("onsetStream");
        older.remove("holdThreshold");
        older.remove("timeScales");
        older.remove("generatorAverage");
        older.remove("densityMatch");
        ModelCheckpoint checkpoint = new ModelCheckpoint("gan", 1, older, "<unk>\t0\n".getBytes(),
                Map.of("model", new byte[0]));
        assertEquals(false, checkpoint.ganConfig().onsetStream());
        assertEquals(0.5, checkpoint.ganConfig().holdThreshold());
        assertEquals(java.util.List.of(1), checkpoint.ganConfig().timeScales());
        assertEquals(0.0, checkpoint.ganConfig().generatorAverage(), "trained without averaging, goes on without");
        assertEquals(false, checkpoint.ganConfig().densityMatch());
        assertEquals(java.util.List.of(1, 2, 4), GanConfig.defaults().timeScales());
    }
}
