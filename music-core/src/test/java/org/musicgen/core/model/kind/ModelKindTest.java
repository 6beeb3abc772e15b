package org.musicgen.core.model.kind;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.musicgen.core.control.Controls;
import org.musicgen.core.model.ModelCheckpoint;
import org.musicgen.core.model.ModelConfig;
import org.musicgen.core.model.gan.roll.PianoRollGan;
import org.musicgen.core.model.gan.roll.RollGanConfig;
import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.gan.token.TokenGanConfig;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import org.musicgen.core.roll.PianoRoll;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every checkpoint format in the wild still loads into the model it was written from. The fixtures under
 * {@code checkpoints/} are tiny models written by the trainer's code before model kinds and specification versions
 * existed (commit 4f5dfdb), with what each model computed then ({@code expected.properties}).
 */
class ModelKindTest {

    @Test
    void anLstmCheckpointOfVersionZeroComputesWhatItDidWhenWritten() throws IOException {
        ModelCheckpoint checkpoint = fixture("lstm-v0.zip");
        assertEquals(0, checkpoint.specVersion());
        assertEquals(ModelKind.LSTM, ModelKind.kindOf(checkpoint));
        LstmConfig config = (LstmConfig) ModelKind.configOf(checkpoint);
        assertEquals(8, config.hiddenSize());
        try (LstmModel model = LstmModel.load(config, checkpoint.readEncoding().size(), Device.cpu(),
                checkpoint.parameters("model"))) {
            float[] logits = Arrays.copyOf(model.logitsNext(new int[] {1, 2, 3, 4, 5, 6, 7, 8}), 6);
            assertArrayEquals(floats(expected("lstm.logits")), logits, 1e-5f);
        }
    }

    @Test
    void anLstmCheckpointOfVersionOneLoadsWithoutControlsAndComputesWhatItDid() throws IOException {
        ModelCheckpoint checkpoint = fixture("lstm-v1.zip");
        assertEquals(1, checkpoint.specVersion());
        LstmConfig config = (LstmConfig) ModelKind.configOf(checkpoint);
        assertEquals(false, config.controls(), "written before controls existed");
        assertEquals(0, config.transposeSemitones());
        try (LstmModel model = LstmModel.load(config, checkpoint.readEncoding().size(), Device.cpu(),
                checkpoint.parameters("model"))) {
            assertTrue(model.controlSpace().isEmpty());
            float[] logits = Arrays.copyOf(model.logitsNext(new int[] {1, 2, 3, 4, 5, 6, 7, 8}), 6);
            assertArrayEquals(floats(expected("lstm.logits")), logits, 1e-5f);
        }
    }

    @Test
    void anLstmWithControlsIsWrittenAndReadBackWithItsLabels() throws IOException {
        ModelCheckpoint old = fixture("lstm-v1.zip");
        LstmConfig conditioned = ((LstmConfig) ModelKind.configOf(old)).withControls(List.of("Bach", "Chopin"));
        try (LstmModel model = LstmModel.create(conditioned, old.readEncoding().size(), Device.cpu())) {
            ModelCheckpoint now = ModelCheckpoint.decode(ModelKind.checkpoint(conditioned, 1, old.vocabulary(),
                    Map.of("model", model.saveParameters())).encode());
            LstmConfig read = (LstmConfig) ModelKind.configOf(now);
            assertEquals(conditioned, read);
            try (LstmModel loaded = LstmModel.load(read, now.readEncoding().size(), Device.cpu(),
                    now.parameters("model"))) {
                assertEquals(List.of("Bach", "Chopin"), loaded.controlSpace().orElseThrow().labels());
                assertArrayEquals(model.logitsNext(new int[] {3, 4, 5}), loaded.logitsNext(new int[] {3, 4, 5}));
            }
        }
    }

    /**
     * libtorch starts every thread with autograd on, and its LSTM then computes as in training: a service's worker
     * thread must compute what the thread that loaded the engine computes.
     */
    @Test
    void anLstmComputesTheSameOnAThreadOfItsOwn() throws Exception {
        ModelCheckpoint checkpoint = fixture("lstm-v0.zip");
        float[][] logits = new float[1][];
        Thread worker = new Thread(() -> {
            try (LstmModel model = LstmModel.load((LstmConfig) ModelKind.configOf(checkpoint),
                    checkpoint.readEncoding().size(), Device.cpu(), checkpoint.parameters("model"))) {
                logits[0] = Arrays.copyOf(model.logitsNext(new int[] {1, 2, 3, 4, 5, 6, 7, 8}), 6);
            }
        });
        worker.start();
        worker.join();
        assertArrayEquals(floats(expected("lstm.logits")), logits[0], 1e-5f);
    }

    @Test
    void pianoRollGanCheckpointsStoredAsGanLoadAsThePianoRollGanTheyWere() throws IOException {
        for (String name : List.of("roll-gan", "roll-gan-before-onset-stream")) {
            ModelCheckpoint checkpoint = fixture(name + "-v0.zip");
            assertEquals("gan", checkpoint.model(), "stored under the GANs' old common name");
            assertEquals(ModelKind.ROLL_GAN, ModelKind.kindOf(checkpoint), name);
            RollGanConfig config = (RollGanConfig) ModelKind.configOf(checkpoint);
            try (PianoRollGan model = PianoRollGan.load(config, Device.cpu(), checkpoint.parameters("model"))) {
                String cells = model.sample(7, 3).stream().map(r -> Integer.toString(r.soundingCells()))
                        .collect(Collectors.joining(","));
                assertEquals(expected(name + ".cells"), cells, name);
                assertTrue(model.sample(7, 3).stream().mapToInt(PianoRoll::soundingCells).sum() > 0,
                        "a fixture that writes notes, so that the comparison means something");
            }
        }
        RollGanConfig older = (RollGanConfig) ModelKind.configOf(fixture("roll-gan-before-onset-stream-v0.zip"));
        assertEquals(List.of(1), older.timeScales(), "trained with plain outputs, goes on with them");
        assertEquals(0.0, older.generatorAverage());
        assertEquals(false, older.densityMatch());
        assertEquals(List.of(1, 2, 4), RollGanConfig.defaults().timeScales(), "whatever today's defaults are");
    }

    /** Written by the version-1 code from the same parameters as roll-gan-v0.zip: before controls existed. */
    @Test
    void aPianoRollGanCheckpointOfVersionOneReadsUnconditionedAndComputesWhatItDidWhenWritten() throws IOException {
        ModelCheckpoint checkpoint = fixture("roll-gan-v1.zip");
        assertEquals(1, checkpoint.specVersion());
        assertEquals(ModelKind.ROLL_GAN, ModelKind.kindOf(checkpoint));
        RollGanConfig config = (RollGanConfig) ModelKind.configOf(checkpoint);
        assertEquals(false, config.controls(), "trained before controls: read as unconditioned");
        assertEquals("", config.labels());
        assertEquals(Optional.empty(), config.controlSpace());
        try (PianoRollGan model = PianoRollGan.load(config, Device.cpu(), checkpoint.parameters("model"))) {
            String cells = model.sample(7, 3).stream().map(r -> Integer.toString(r.soundingCells()))
                    .collect(Collectors.joining(","));
            assertEquals(expected("roll-gan.cells"), cells);
            assertEquals(model.sample(7, 3), model.sample(7, 3, Controls.none()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.sample(7, 3, Controls.none().withNotesPerSecond(4.0)));
            assertTrue(e.getMessage().startsWith("this model was trained without controls"), e.getMessage());
        }
        assertEquals(false, RollGanConfig.defaults().controls(), "whatever today's defaults are");
    }

    /** Written by the version-2 code (controls, no drums) from the same parameters as roll-gan-v1.zip. */
    @Test
    void aPianoRollGanCheckpointOfVersionTwoReadsWithoutDrumsAndComputesWhatItDidWhenWritten() throws IOException {
        ModelCheckpoint checkpoint = fixture("roll-gan-v2.zip");
        assertEquals(2, checkpoint.specVersion());
        assertTrue(!checkpoint.config().containsKey("drums"), "written before drums existed");
        RollGanConfig config = (RollGanConfig) ModelKind.configOf(checkpoint);
        assertEquals(false, config.drums(), "trained before drums: read as piano only");
        try (PianoRollGan model = PianoRollGan.load(config, Device.cpu(), checkpoint.parameters("model"))) {
            String cells = model.sample(7, 3).stream().map(r -> Integer.toString(r.soundingCells()))
                    .collect(Collectors.joining(","));
            assertEquals(expected("roll-gan.cells"), cells);
            assertEquals(0, model.sample(7, 3).stream().mapToInt(PianoRoll::drumHits).sum());
        }
        Map<String, String> current = new HashMap<>(config.values());
        current.remove("drums");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelKind.configOf(
                new ModelCheckpoint("roll-gan", ModelCheckpoint.SPEC_VERSION, 1, current, "<unk>\t0\n".getBytes(),
                        Map.of())));
        assertTrue(e.getMessage().contains("drums"), "version 3 states it: " + e.getMessage());
        RollGanConfig withDrums = config.withDrums(true);
        ModelCheckpoint now = ModelCheckpoint.decode(ModelKind.checkpoint(withDrums, 1, checkpoint.vocabulary(),
                Map.of()).encode());
        assertEquals(withDrums, ModelKind.configOf(now), "a drum model's checkpoint says so");
    }

    @Test
    void tokenGanCheckpointsStoredAsGanLoadAsTheTokenGanTheyWere() throws IOException {
        for (String formulation : List.of("gumbel", "study")) {
            ModelCheckpoint checkpoint = fixture("token-gan-" + formulation + "-v0.zip");
            assertEquals(ModelKind.TOKEN_GAN, ModelKind.kindOf(checkpoint), formulation);
            TokenGanConfig config = (TokenGanConfig) ModelKind.configOf(checkpoint);
            assertEquals(formulation, config.formulation());
            try (TokenGan model = TokenGan.load(config, checkpoint.readEncoding().size(), Device.cpu(),
                    checkpoint.parameters("model"))) {
                int[][] ids = model.sample(7, 2);
                String written = join(ids[0]) + ";" + join(ids[1]);
                assertEquals(expected("token-gan-" + formulation + ".ids"), written, formulation);
            }
        }
    }

    @Test
    void aCheckpointWrittenNowStatesItsKindAndEveryValueAndReadsBackEqual() throws IOException {
        for (String name : List.of("lstm-v0.zip", "roll-gan-before-onset-stream-v0.zip", "token-gan-study-v0.zip")) {
            ModelCheckpoint old = fixture(name);
            ModelConfig config = ModelKind.configOf(old);
            ModelCheckpoint now = ModelCheckpoint.decode(ModelKind.checkpoint(config, old.epoch(), old.vocabulary(),
                    old.parameters()).encode());
            assertEquals(ModelCheckpoint.SPEC_VERSION, now.specVersion());
            assertEquals(ModelKind.of(config).wireName(), now.model());
            assertEquals(ModelKind.of(config).keys(), now.config().keySet(), "every value stated: " + name);
            assertEquals(config, ModelKind.configOf(now), name);
        }
    }

    @Test
    void aSpecificationThatLacksAValueIsRefusedByNameNotFilledWithADefault() {
        Map<String, String> values = new HashMap<>(RollGanConfig.defaults().values());
        values.remove("timeScales");
        ModelCheckpoint checkpoint = new ModelCheckpoint("roll-gan", 1, 1, values, "<unk>\t0\n".getBytes(),
                Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelKind.configOf(checkpoint));
        assertTrue(e.getMessage().contains("timeScales"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelKind.configOf(new ModelCheckpoint("vae", 1, 1,
                Map.of(), "<unk>\t0\n".getBytes(), Map.of())));
    }

    @Test
    void aRequestNamesAFamilyOrAKind() {
        assertEquals(ModelKind.LSTM, ModelKind.requested("lstm", "default", Map.of()));
        assertEquals(ModelKind.ROLL_GAN, ModelKind.requested("gan", "default", Map.of()));
        assertEquals(ModelKind.ROLL_GAN, ModelKind.requested("gan", null, Map.of("formulation", "roll")));
        assertEquals(ModelKind.TOKEN_GAN, ModelKind.requested("gan", "default", Map.of("formulation", "gumbel")));
        assertEquals(ModelKind.TOKEN_GAN, ModelKind.requested("gan", "study", Map.of()), "the study's GAN");
        assertEquals(ModelKind.TOKEN_GAN, ModelKind.requested("token-gan", "default", Map.of()));
        assertEquals("study", ((TokenGanConfig) ModelKind.TOKEN_GAN.configure("study", Map.of())).formulation());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelKind.requested("transformer", "default", Map.of()));
        assertTrue(e.getMessage().contains("'lstm' or 'gan'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelKind.requested("gan", "huge", Map.of()));
        assertTrue(e.getMessage().contains("preset"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelKind.ROLL_GAN.configure("default",
                Map.of("gumbelAnneal", "0.5")));
        assertTrue(e.getMessage().contains("unknown piano-roll GAN hyper-parameter 'gumbelAnneal'"), e.getMessage());
        assertEquals(Map.of(), ModelKind.ROLL_GAN.ownOverrides(Map.of("formulation", "roll")));
        e = assertThrows(IllegalArgumentException.class, () -> ModelKind.ROLL_GAN.configure("study", Map.of()));
        assertTrue(e.getMessage().contains("no 'study' preset"), e.getMessage());
    }

    private static ModelCheckpoint fixture(String name) throws IOException {
        try (InputStream in = ModelKindTest.class.getResourceAsStream("/checkpoints/" + name)) {
            if (in == null) {
                throw new AssertionError("no fixture " + name);
            }
            return ModelCheckpoint.decode(in.readAllBytes());
        }
    }

    private static String expected(String key) throws IOException {
        Properties expected = new Properties();
        try (InputStream in = ModelKindTest.class.getResourceAsStream("/checkpoints/expected.properties")) {
            expected.load(in);
        }
        String value = expected.getProperty(key);
        if (value == null) {
            throw new AssertionError("no expected value " + key);
        }
        return value;
    }

    private static float[] floats(String csv) {
        String[] parts = csv.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    private static String join(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
