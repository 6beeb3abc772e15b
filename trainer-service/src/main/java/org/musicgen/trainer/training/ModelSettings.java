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
 * shapes) with the user's overrides by name. Invalid values throw {@link IllegalArgumentException} with a
 * message meant for the user.
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
        return LstmConfig.fromMap(withSequenceLength(overrides, sequenceLength), base);
    }

    public static GanConfig gan(String preset, Map<String, String> overrides, int sequenceLength) {
        GanConfig base = validPreset(preset).equals("study") ? GanConfig.studyPreset() : GanConfig.defaults();
        return GanConfig.fromMap(withSequenceLength(overrides, sequenceLength), base);
    }

    /** Epochs the run will train for, after validating every hyper-parameter. */
    public static int epochs(ModelKind kind, String preset, Map<String, String> overrides, int sequenceLength) {
        return kind == ModelKind.LSTM
                ? lstm(preset, overrides, sequenceLength).epochs()
                : gan(preset, overrides, sequenceLength).epochs();
    }

    /** The dataset fixes the sequence length; a user cannot train on other lengths than were segmented. */
    private static Map<String, String> withSequenceLength(Map<String, String> overrides, int sequenceLength) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("sequenceLength", Integer.toString(sequenceLength));
        return all;
    }
}
