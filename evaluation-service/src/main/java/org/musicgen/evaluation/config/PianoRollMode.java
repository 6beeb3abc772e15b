package org.musicgen.evaluation.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * When a rater may see a sample's piano roll ({@code musicgen.evaluation.piano-roll}). The study judges by ear: a roll
 * shows grid-locked onsets, repeats and density at a glance, so by default it is offered only once the rater's answer
 * to the trial is stored.
 */
public enum PianoRollMode {
    /** Offered ("See the notes") after the rater's answer is accepted; refused before. */
    AFTER_ANSWER("after-answer"),
    /** Never shown, always refused. */
    NEVER("never"),
    /** Shown beside the player while listening (how the form worked before). */
    DURING("during");

    private final String configName;

    PianoRollMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The mode of the configuration, or an error that lists the allowed values. */
    public static PianoRollMode of(EvaluationConfig config) {
        return parse(config.pianoRoll());
    }

    public static PianoRollMode parse(String value) {
        return Arrays.stream(values()).filter(m -> m.configName.equalsIgnoreCase(value == null ? "" : value.trim()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("musicgen.evaluation.piano-roll must be one of "
                        + Arrays.stream(values()).map(PianoRollMode::configName).collect(Collectors.joining(", "))
                        + ", not '" + value + "'"));
    }
}
