package org.musicgen.core.model;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCheckpointTest {

    private static final byte[] VOCABULARY = "<unk>\t0\nn60:4\t12\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripKeepsEverything() {
        ModelCheckpoint checkpoint = new ModelCheckpoint("roll-gan", ModelCheckpoint.SPEC_VERSION, 3,
                Map.of("hidden", "256", "rate", "0.003", "optimizer", "adam"), VOCABULARY,
                Map.of("generator", new byte[]{1, 2, 3}, "discriminator", new byte[]{4, 5}));
        ModelCheckpoint back = ModelCheckpoint.decode(checkpoint.encode());
        assertEquals(checkpoint, back);
        assertEquals(Map.of("hidden", "256", "rate", "0.003", "optimizer", "adam"), back.config());
        assertEquals(2, back.readVocabulary().size());
        assertArrayEquals(new byte[]{4, 5}, back.parameters("discriminator"));
        assertThrows(IllegalArgumentException.class, () -> back.parameters("lstm"));
    }

    @Test
    void theSpecificationIsJsonAPersonCanReadWithEveryValueStated() throws IOException {
        byte[] encoded = new ModelCheckpoint("lstm", ModelCheckpoint.SPEC_VERSION, 1,
                Map.of("hiddenSize", "192", "optimizer", "adam"), VOCABULARY, Map.of("model", new byte[0])).encode();
        String spec = entry(encoded, "model-spec.json");
        assertTrue(spec.contains("\"specVersion\": " + ModelCheckpoint.SPEC_VERSION) && spec.contains("\"kind\": \"lstm\"")
                && spec.contains("\"hiddenSize\": \"192\"") && spec.contains("\"optimizer\": \"adam\""), spec);
        assertTrue(!entry(encoded, "checkpoint.properties").contains("config."),
                "hyper-parameters are stated once, in the specification");
    }

    @Test
    void onlyTheCurrentVersionIsWrittenAndANewerOneIsRefusedOnRead() throws IOException {
        assertThrows(IllegalStateException.class, () -> new ModelCheckpoint("gan", 0, 1, Map.of(), VOCABULARY,
                Map.of()).encode());
        byte[] newer = zip(Map.of("checkpoint.properties", "model=lstm\nepoch=1\n", "vocabulary.tsv", "<unk>\t0\n",
                "model-spec.json", "{\"specVersion\": " + (ModelCheckpoint.SPEC_VERSION + 1) + ", \"kind\": \"lstm\", \"hyperParameters\": {}}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.decode(newer));
        assertTrue(e.getMessage().contains("version " + (ModelCheckpoint.SPEC_VERSION + 1)), e.getMessage());
    }

    @Test
    void somethingElseIsRefused() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.decode("not a zip".getBytes()));
        byte[] broken = zip(Map.of("checkpoint.properties", "model=lstm\n", "vocabulary.tsv", "<unk>\t0\n",
                "model-spec.json", "{\"kind\": "));
        assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.decode(broken));
    }

    private static String entry(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no " + name + " in the checkpoint");
    }

    private static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
