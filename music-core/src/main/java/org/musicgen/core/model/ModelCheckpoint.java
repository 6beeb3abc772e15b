package org.musicgen.core.model;

import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.tokens.Vocabulary;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Everything needed to rebuild a trained model: which model, its hyper-parameters by name, the
 * vocabulary it was trained with (the dataset's {@code token<TAB>count} text), and its parameter blocks
 * (one for the LSTM; generator and discriminator for the GAN). Stored as a small zip so that a person
 * can look inside with ordinary tools.
 *
 * @param model      {@code lstm} or {@code gan}
 * @param epoch      epochs completed when it was written
 * @param config     hyper-parameters by record component name
 * @param vocabulary the vocabulary file's bytes
 * @param parameters parameter blocks by name
 */
public record ModelCheckpoint(String model, int epoch, Map<String, String> config, byte[] vocabulary,
                              Map<String, byte[]> parameters) {

    private static final String META = "checkpoint.properties";
    private static final String VOCABULARY = "vocabulary.tsv";
    private static final String PARAMETERS = "parameters/";
    private static final String CONFIG_PREFIX = "config.";
    /**
     * GAN hyper-parameters that checkpoints written before them lack, with the values those checkpoints were trained
     * with (their defaults have changed since): without them an older discriminator's parameters would not fit.
     */
    private static final Map<String, String> GAN_COMPONENTS_ADDED_LATER = Map.of("onsetStream", "false",
            "holdThreshold", "0.5", "timeScales", "1", "generatorAverage", "0", "densityMatch", "false");

    public ModelCheckpoint {
        config = Map.copyOf(config);
        vocabulary = vocabulary.clone();
        parameters = Map.copyOf(parameters);
    }

    /** Hyper-parameters of a config record, by component name, as the config's {@code fromMap} reads them. */
    public static Map<String, String> configOf(Record config) {
        Map<String, String> values = new TreeMap<>();
        for (RecordComponent component : config.getClass().getRecordComponents()) {
            try {
                values.put(component.getName(), String.valueOf(component.getAccessor().invoke(config)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
        }
        return values;
    }

    /** The LSTM's hyper-parameters as trained; only for an {@code lstm} checkpoint. */
    public LstmConfig lstmConfig() {
        requireModel("lstm");
        return LstmConfig.fromMap(config, LstmConfig.defaults());
    }

    /** The GAN's hyper-parameters as trained; only for a {@code gan} checkpoint. */
    public GanConfig ganConfig() {
        requireModel("gan");
        Map<String, String> values = new TreeMap<>(config);
        GAN_COMPONENTS_ADDED_LATER.forEach(values::putIfAbsent);
        return GanConfig.fromMap(values, GanConfig.defaults());
    }

    /** The encoding the model was trained in, rebuilt from the stored vocabulary. */
    public Encoding readEncoding() {
        return Encodings.read(vocabulary);
    }

    public Vocabulary readVocabulary() {
        try {
            return Vocabulary.readFrom(new ByteArrayInputStream(vocabulary));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable vocabulary in checkpoint", e);
        }
    }

    private void requireModel(String expected) {
        if (!expected.equals(model)) {
            throw new IllegalStateException("checkpoint holds a " + model + " model, not " + expected);
        }
    }

    public byte[] parameters(String name) {
        byte[] block = parameters.get(name);
        if (block == null) {
            throw new IllegalArgumentException("checkpoint has no parameter block '" + name + "', only "
                    + parameters.keySet());
        }
        return block;
    }

    public byte[] encode() {
        Properties meta = new Properties();
        meta.setProperty("model", model);
        meta.setProperty("epoch", Integer.toString(epoch));
        config.forEach((key, value) -> meta.setProperty(CONFIG_PREFIX + key, value));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            StringWriter text = new StringWriter();
            meta.store(text, "musicgen model checkpoint");
            write(zip, META, text.toString().getBytes(StandardCharsets.UTF_8));
            write(zip, VOCABULARY, vocabulary);
            for (var block : new TreeMap<>(parameters).entrySet()) {
                write(zip, PARAMETERS + block.getKey() + ".bin", block.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static ModelCheckpoint decode(byte[] encoded) {
        Properties meta = null;
        byte[] vocabulary = null;
        Map<String, byte[]> parameters = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(encoded))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                byte[] content = zip.readAllBytes();
                String name = entry.getName();
                if (name.equals(META)) {
                    meta = new Properties();
                    meta.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
                } else if (name.equals(VOCABULARY)) {
                    vocabulary = content;
                } else if (name.startsWith(PARAMETERS) && name.endsWith(".bin")) {
                    parameters.put(name.substring(PARAMETERS.length(), name.length() - 4), content);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a model checkpoint: " + e.getMessage(), e);
        }
        if (meta == null || vocabulary == null || meta.getProperty("model") == null) {
            throw new IllegalArgumentException("not a model checkpoint: " + META + " or " + VOCABULARY + " missing");
        }
        Map<String, String> config = new TreeMap<>();
        for (String key : meta.stringPropertyNames()) {
            if (key.startsWith(CONFIG_PREFIX)) {
                config.put(key.substring(CONFIG_PREFIX.length()), meta.getProperty(key));
            }
        }
        return new ModelCheckpoint(meta.getProperty("model"), Integer.parseInt(meta.getProperty("epoch", "0")),
                config, vocabulary, parameters);
    }

    private static void write(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ModelCheckpoint that)) {
            return false;
        }
        return model.equals(that.model) && epoch == that.epoch && config.equals(that.config)
                && Arrays.equals(vocabulary, that.vocabulary) && parameters.keySet().equals(that.parameters.keySet())
                && parameters.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), that.parameters.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + epoch;
    }
}
