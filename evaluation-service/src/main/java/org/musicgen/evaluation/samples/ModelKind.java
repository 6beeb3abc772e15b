package org.musicgen.evaluation.samples;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where a sample came from; {@link #CORPUS} samples are real excerpts of the training data, the control, and
 * {@link #ANCHOR} samples are such excerpts with their pitches scrambled: the low anchor of the screening (catch)
 * trials, never a source of the verdict.
 */
public enum ModelKind {
    LSTM("lstm", "LSTM"),
    GAN("gan", "GAN"),
    CORPUS("corpus", "Real excerpts (control)"),
    ANCHOR("anchor", "Low anchor (screening)");

    /** The sources the verdict compares: the two models and real music. */
    public static final List<ModelKind> SOURCES = List.of(LSTM, GAN, CORPUS);

    private final String wireName;
    private final String label;

    ModelKind(String wireName, String label) {
        this.wireName = wireName;
        this.label = label;
    }

    /** The name on the wire ({@code SamplesGenerated.model}). */
    public String wireName() {
        return wireName;
    }

    public String label() {
        return label;
    }

    public static Optional<ModelKind> fromWire(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName.equals(name)).findFirst();
    }
}
