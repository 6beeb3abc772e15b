package org.musicgen.core.model;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.tokens.Vocabulary;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Everything needed to rebuild a trained model: which model kind, its hyper-parameters by name, the vocabulary it was
 * trained with (the dataset's {@code token<TAB>count} text), and its parameter blocks. Stored as a small zip so that a
 * person can look inside with ordinary tools; {@code ModelKind.configOf} reads the
 * hyper-parameters back, whichever version wrote them.
 *
 * <p>Specification versions: 0 - hyper-parameters as {@code config.*} properties, as the record had them when
 * written (both GANs stored as {@code gan}); 1 - {@value #SPEC_FILE}: the kind and every hyper-parameter stated
 * explicitly, defaults included, so that a value added later never needs guessing for older checkpoints; 2 - the
 * same file, written by models that may read controls (their values for versions 0 and 1 are in {@code ModelKind});
 * 3 - the same file, written by piano-roll GANs that may write drums (their value for older versions is in
 * {@code ModelKind}).
 *
 * @param model       the model kind's name ({@code lstm}, {@code token-gan}, {@code roll-gan}; {@code gan} in
 *                    version 0)
 * @param specVersion the version of the hyper-parameters' format it was written in
 * @param epoch       epochs completed when it was written
 * @param config      hyper-parameters by name
 * @param vocabulary  the vocabulary file's bytes
 * @param parameters  parameter blocks by name
 */
public record ModelCheckpoint(String model, int specVersion, int epoch, Map<String, String> config, byte[] vocabulary,
                              Map<String, byte[]> parameters) {

    /** The version {@link #encode} writes. */
    public static final int SPEC_VERSION = 3;
    private static final String SPEC_FILE = "model-spec.json";

    private static final String META = "checkpoint.properties";
    private static final String VOCABULARY = "vocabulary.tsv";
    private static final String PARAMETERS = "parameters/";
    private static final String CONFIG_PREFIX = "config.";
    public ModelCheckpoint {
        config = Map.copyOf(config);
        vocabulary = vocabulary.clone();
        parameters = Map.copyOf(parameters);
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

    public byte[] parameters(String name) {
        byte[] block = parameters.get(name);
        if (block == null) {
            throw new IllegalArgumentException("checkpoint has no parameter block '" + name + "', only "
                    + parameters.keySet());
        }
        return block;
    }

    public byte[] encode() {
        if (specVersion != SPEC_VERSION) {
            throw new IllegalStateException("checkpoints are written in specification version " + SPEC_VERSION
                    + " only, not " + specVersion);
        }
        Properties meta = new Properties();
        meta.setProperty("model", model);
        meta.setProperty("epoch", Integer.toString(epoch));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            StringWriter text = new StringWriter();
            meta.store(text, "musicgen model checkpoint");
            write(zip, META, text.toString().getBytes(StandardCharsets.UTF_8));
            write(zip, SPEC_FILE, specJson().getBytes(StandardCharsets.UTF_8));
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
        JsonObject spec = null;
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
                } else if (name.equals(SPEC_FILE)) {
                    spec = parseSpec(content);
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
        int epoch = Integer.parseInt(meta.getProperty("epoch", "0"));
        if (spec != null) {
            return fromSpec(spec, epoch, vocabulary, parameters);
        }
        Map<String, String> config = new TreeMap<>();
        for (String key : meta.stringPropertyNames()) {
            if (key.startsWith(CONFIG_PREFIX)) {
                config.put(key.substring(CONFIG_PREFIX.length()), meta.getProperty(key));
            }
        }
        return new ModelCheckpoint(meta.getProperty("model"), 0, epoch, config, vocabulary, parameters);
    }

    private String specJson() {
        JsonObject values = new JsonObject();
        new TreeMap<>(config).forEach(values::addProperty);
        JsonObject spec = new JsonObject();
        spec.addProperty("specVersion", specVersion);
        spec.addProperty("kind", model);
        spec.add("hyperParameters", values);
        return new GsonBuilder().setPrettyPrinting().create().toJson(spec);
    }

    private static JsonObject parseSpec(byte[] content) {
        try {
            return JsonParser.parseString(new String(content, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a model checkpoint: unreadable " + SPEC_FILE + ": "
                    + e.getMessage(), e);
        }
    }

    private static ModelCheckpoint fromSpec(JsonObject spec, int epoch, byte[] vocabulary,
                                            Map<String, byte[]> parameters) {
        if (!spec.has("specVersion") || !spec.has("kind") || !spec.has("hyperParameters")) {
            throw new IllegalArgumentException("not a model checkpoint: " + SPEC_FILE
                    + " needs specVersion, kind and hyperParameters");
        }
        int version = spec.get("specVersion").getAsInt();
        if (version < 1 || version > SPEC_VERSION) {
            throw new IllegalArgumentException("checkpoint specification version " + version + " is newer than this "
                    + "build reads (up to " + SPEC_VERSION + "): update the service");
        }
        Map<String, String> config = new TreeMap<>();
        spec.getAsJsonObject("hyperParameters").entrySet()
                .forEach(e -> config.put(e.getKey(), e.getValue().getAsString()));
        return new ModelCheckpoint(spec.get("kind").getAsString(), version, epoch, config, vocabulary, parameters);
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
        return model.equals(that.model) && specVersion == that.specVersion && epoch == that.epoch && config.equals(that.config)
                && Arrays.equals(vocabulary, that.vocabulary) && parameters.keySet().equals(that.parameters.keySet())
                && parameters.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), that.parameters.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + epoch;
    }
}
