package org.musicgen.trainer.training;

import org.musicgen.core.model.GanConfig;
import org.musicgen.core.model.LstmConfig;
import org.musicgen.trainer.run.ModelKind;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A run's hyper-parameters: a named preset ({@code default}, or {@code study} for the reference study's
 * shapes) with the user's overrides by name. The run's limits ({@link RunLimits#KEYS}) travel in the same map and
 * are not the model's. Invalid values throw {@link IllegalArgumentException} with a message meant for the user.
 */
public final class ModelSettings {

    public static final Set<String> PRESETS = Set.of("default", "study");

    private ModelSettings() {
    }

    public static String validPreset(String preset) {
        String value = preset == null || preset.isBlank() ? "default" : preset.trim().toLowerCase(Locale.ROOT);
        if (!PRESETS.contains(value)) {
            throw new IllegalArgumentException("preset must be 'default' or 'study', got '" + preset + "'");
        }
        return value;
    }

    public static LstmConfig lstm(String preset, Map<String, String> overrides, int sequenceLength) {
        LstmConfig base = validPreset(preset).equals("study") ? LstmConfig.studyPreset() : LstmConfig.defaults();
        try {
            return LstmConfig.fromMap(withSequenceLength(overrides, sequenceLength), base);
        } catch (IllegalArgumentException e) {
            throw withRunKeys(e);
        }
    }

    public static GanConfig gan(String preset, Map<String, String> overrides, int sequenceLength) {
        // the study preset is the study's GAN; formulation=gumbel picks the token GAN's own defaults
        String formulation = overrides == null ? null : overrides.get("formulation");
        GanConfig base = validPreset(preset).equals("study") ? GanConfig.studyPreset()
                : formulation != null && !formulation.trim().equalsIgnoreCase("roll") ? GanConfig.tokenPreset()
                : GanConfig.defaults();
        try {
            return GanConfig.fromMap(withSequenceLength(overrides, sequenceLength), base);
        } catch (IllegalArgumentException e) {
            throw withRunKeys(e);
        }
    }

    /** The most epochs the run will train for, after validating every hyper-parameter and limit. */
    public static int epochs(ModelKind kind, String preset, Map<String, String> overrides, int sequenceLength) {
        RunLimits.of(overrides);
        return kind == ModelKind.LSTM
                ? lstm(preset, overrides, sequenceLength).epochs()
                : gan(preset, overrides, sequenceLength).epochs();
    }

    /** An unknown name: the user also needs to know the run's own keys. */
    private static IllegalArgumentException withRunKeys(IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("unknown ")) {
            return new IllegalArgumentException(e.getMessage() + "; and for the run: "
                    + String.join(", ", RunLimits.KEYS.stream().sorted().toList()), e);
        }
        return e;
    }

    /** The dataset fixes the sequence length; a user cannot train on other lengths than were segmented. */
    private static Map<String, String> withSequenceLength(Map<String, String> overrides, int sequenceLength) {
        Map<String, String> all = new HashMap<>(RunLimits.modelParameters(overrides));
        all.put("sequenceLength", Integer.toString(sequenceLength));
        return all;
    }
}
