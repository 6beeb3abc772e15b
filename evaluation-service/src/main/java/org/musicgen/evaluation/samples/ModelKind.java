package org.musicgen.evaluation.samples;

import java.util.Arrays;
import java.util.Optional;

/** Where a sample came from; {@link #CORPUS} samples are real excerpts of the training data, the control. */
public enum ModelKind {
    LSTM("lstm", "LSTM"),
    GAN("gan", "GAN"),
    CORPUS("corpus", "Real excerpts (control)");

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
