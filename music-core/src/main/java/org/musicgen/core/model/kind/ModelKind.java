package org.musicgen.core.model.kind;

import org.musicgen.core.model.ModelCheckpoint;
import org.musicgen.core.model.ModelConfig;
import org.musicgen.core.model.gan.roll.RollGanConfig;
import org.musicgen.core.model.gan.token.TokenGanConfig;
import org.musicgen.core.model.lstm.LstmConfig;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The model kinds, each registered once: its name in checkpoints, the family it is compared in (the listening test
 * compares {@code lstm} with {@code gan}), its presets and how its hyper-parameters are read. A new kind is a package
 * beside {@code lstm} and {@code gan} and one constant here.
 */
public enum ModelKind {
    LSTM("lstm", "lstm", LstmConfig.class, LstmConfig.KEYS,
            preset -> preset.equals("study") ? LstmConfig.studyPreset() : LstmConfig.defaults(),
            (values, base) -> LstmConfig.fromMap(values, (LstmConfig) base)),
    TOKEN_GAN("token-gan", "gan", TokenGanConfig.class, TokenGanConfig.KEYS,
            preset -> preset.equals("study") ? TokenGanConfig.studyPreset() : TokenGanConfig.defaults(),
            (values, base) -> TokenGanConfig.fromMap(values, (TokenGanConfig) base)),
    ROLL_GAN("roll-gan", "gan", RollGanConfig.class, RollGanConfig.KEYS,
            preset -> {
                if (preset.equals("study")) {
                    throw new IllegalArgumentException("the piano-roll GAN has no 'study' preset: the study's GAN is "
                            + "the token GAN (model 'gan' with preset 'study', or model 'token-gan')");
                }
                return RollGanConfig.defaults();
            },
            (values, base) -> RollGanConfig.fromMap(values, (RollGanConfig) base));

    /** The presets every kind answers to: its defaults, and the reference study's shapes where it has them. */
    public static final Set<String> PRESETS = Set.of("default", "study");
    /** The name both GANs were stored under before each had a kind of its own (specification version 0). */
    private static final String LEGACY_GAN = "gan";
    /**
     * Piano-roll GAN hyper-parameters that version-0 checkpoints may lack, with the values those checkpoints were
     * trained with. Frozen: from version 1 on a checkpoint states every value itself.
     */
    private static final Map<String, String> ROLL_VALUES_BEFORE_THEY_WERE_STORED = Map.of("onsetStream", "false",
            "holdThreshold", "0.5", "timeScales", "1", "generatorAverage", "0", "densityMatch", "false");

    /**
     * Hyper-parameters added in specification version 2 (controls, augmentation), with the values every model written
     * before had: none conditioned on anything, none trained on transposed copies. Frozen, like the map above; only the names a kind has apply to it.
     */
    private static final Map<String, String> VALUES_BEFORE_CONTROLS = Map.of("controls", "false",
            "controlDropout", "0.5", "labels", "", "transposeSemitones", "0", "timeStretch", "0");

    /**
     * Hyper-parameters added in specification version 3 (the piano-roll GAN's drum track), with the values every model
     * written before had: no drum track. Frozen, like the maps above.
     */
    private static final Map<String, String> VALUES_BEFORE_DRUMS = Map.of("drums", "false");

    private final String wireName;
    private final String family;
    private final Class<? extends ModelConfig> configType;
    private final Set<String> keys;
    private final Function<String, ModelConfig> preset;
    private final BiFunction<Map<String, String>, ModelConfig, ModelConfig> reader;

    ModelKind(String wireName, String family, Class<? extends ModelConfig> configType, Set<String> keys,
              Function<String, ModelConfig> preset, BiFunction<Map<String, String>, ModelConfig, ModelConfig> reader) {
        this.wireName = wireName;
        this.family = family;
        this.configType = configType;
        this.keys = keys;
        this.preset = preset;
        this.reader = reader;
    }

    /** The name in checkpoints and run specifications. */
    public String wireName() {
        return wireName;
    }

    /** What the kind is compared as: {@code lstm} or {@code gan}. */
    public String family() {
        return family;
    }

    /** The hyper-parameters' names. */
    public Set<String> keys() {
        return keys;
    }

    /** The named preset with a user's overrides by name; refuses unknown names and invalid values, by name. */
    public ModelConfig configure(String presetName, Map<String, String> overrides) {
        return reader.apply(overrides, preset.apply(validPreset(presetName)));
    }

    /**
     * Reads a specification that states every value (a checkpoint's from version 1 on): a missing name is refused, so
     * no value silently falls back to a default that may have changed since it was written.
     */
    public ModelConfig readExplicit(Map<String, String> values) {
        return readExplicit(values, ModelCheckpoint.SPEC_VERSION);
    }

    private ModelConfig readExplicit(Map<String, String> stated, int specVersion) {
        Map<String, String> values = new HashMap<>(stated);
        if (specVersion < 2) {
            withValuesBeforeControls(values);
        }
        if (specVersion < 3) {
            withValuesBeforeDrums(values);
        }
        Set<String> missing = new TreeSet<>(keys);
        missing.removeAll(values.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the " + wireName + " specification lacks " + missing);
        }
        return reader.apply(values, preset.apply("default"));
    }

    /** The kind of a configuration. */
    public static ModelKind of(ModelConfig config) {
        for (ModelKind kind : values()) {
            if (kind.configType.isInstance(config)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no model kind is registered for " + config.getClass().getName());
    }

    /** The kind by its name in checkpoints ({@code lstm}, {@code token-gan}, {@code roll-gan}). */
    public static ModelKind named(String name) {
        for (ModelKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown model kind '" + name + "'");
    }

    /**
     * The kind a user asks for by family ({@code lstm}, {@code gan}) or by kind: a GAN is the piano-roll GAN unless its
     * {@code formulation} is {@code gumbel} or {@code study}, or the {@code study} preset asks for the study's GAN.
     */
    public static ModelKind requested(String model, String presetName, Map<String, String> overrides) {
        String name = model == null ? "" : model.trim().toLowerCase(Locale.ROOT);
        for (ModelKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        if (!name.equals(LEGACY_GAN)) {
            throw new IllegalArgumentException("model must be 'lstm' or 'gan' (or a kind: 'token-gan', 'roll-gan'), "
                    + "got '" + model + "'");
        }
        String formulation = overrides == null ? null : overrides.get("formulation");
        if (formulation != null && !formulation.trim().equalsIgnoreCase("roll")) {
            return TOKEN_GAN;
        }
        return formulation == null && validPreset(presetName).equals("study") ? TOKEN_GAN : ROLL_GAN;
    }

    /**
     * The user's overrides as the kind reads them: {@code formulation=roll} only chose the piano-roll GAN, and is
     * not one of its hyper-parameters.
     */
    public Map<String, String> ownOverrides(Map<String, String> overrides) {
        Map<String, String> own = new HashMap<>(overrides == null ? Map.of() : overrides);
        if (this == ROLL_GAN && "roll".equalsIgnoreCase(String.valueOf(own.get("formulation")).trim())) {
            own.remove("formulation");
        }
        return own;
    }

    /** A checkpoint of a model trained with {@code config}, in the current specification version. */
    public static ModelCheckpoint checkpoint(ModelConfig config, int epoch, byte[] vocabulary,
                                             Map<String, byte[]> parameters) {
        return new ModelCheckpoint(of(config).wireName, ModelCheckpoint.SPEC_VERSION, epoch, config.values(),
                vocabulary, parameters);
    }

    /** The configuration a checkpoint was trained with, whichever specification version wrote it. */
    public static ModelConfig configOf(ModelCheckpoint checkpoint) {
        if (checkpoint.specVersion() >= 1) {
            return named(checkpoint.model()).readExplicit(checkpoint.config(), checkpoint.specVersion());
        }
        // Version 0: hyper-parameters as the record had them when written; both GANs under "gan".
        if (checkpoint.model().equals(LEGACY_GAN)) {
            String formulation = checkpoint.config().get("formulation");
            if (formulation == null) {
                throw new IllegalArgumentException("a gan checkpoint without its formulation");
            }
            ModelKind kind = formulation.equals("roll") ? ROLL_GAN : TOKEN_GAN;
            Map<String, String> values = new HashMap<>(checkpoint.config());
            if (kind == ROLL_GAN) {
                ROLL_VALUES_BEFORE_THEY_WERE_STORED.forEach(values::putIfAbsent);
            }
            kind.withValuesBeforeControls(values);
            kind.withValuesBeforeDrums(values);
            values.keySet().retainAll(kind.keys);
            return kind.reader.apply(values, kind.preset.apply("default"));
        }
        ModelKind kind = named(checkpoint.model());
        Map<String, String> values = new HashMap<>(checkpoint.config());
        kind.withValuesBeforeControls(values);
        kind.withValuesBeforeDrums(values);
        return kind.reader.apply(values, kind.preset.apply("default"));
    }

    private void withValuesBeforeControls(Map<String, String> values) {
        VALUES_BEFORE_CONTROLS.forEach((name, value) -> {
            if (keys.contains(name)) {
                values.putIfAbsent(name, value);
            }
        });
    }

    private void withValuesBeforeDrums(Map<String, String> values) {
        VALUES_BEFORE_DRUMS.forEach((name, value) -> {
            if (keys.contains(name)) {
                values.putIfAbsent(name, value);
            }
        });
    }

    /** The kind of a checkpoint, whichever specification version wrote it. */
    public static ModelKind kindOf(ModelCheckpoint checkpoint) {
        return of(configOf(checkpoint));
    }

    private static String validPreset(String presetName) {
        String value = presetName == null || presetName.isBlank() ? "default"
                : presetName.trim().toLowerCase(Locale.ROOT);
        if (!PRESETS.contains(value)) {
            throw new IllegalArgumentException("preset must be 'default' or 'study', got '" + presetName + "'");
        }
        return value;
    }
}
