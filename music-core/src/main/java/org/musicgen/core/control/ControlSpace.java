package org.musicgen.core.control;

import java.util.List;

/**
 * How a model reads controls: one vector per step, {@code [pitch classes (12) | density (12) | labels (L)]}, each
 * group all zeros when absent, which is how a model trained with controls dropped writes without them.
 *
 * <p>The pitch classes are given as twelve times their shares (1 on average), so that they weigh in the first layer
 * as much as an embedding's values do; shares summing to 1 were too faint for a model to learn from in time.
 *
 * <p>The density is a soft one-hot over twelve notes-per-second centres {@code 2^(k/2)}, k = -1..10 (0.71 to 32):
 * a rate between two centres weighs both by its distance in log scale, so every rate in range has its own vector and
 * the model can be asked for 5 notes per second exactly, not only for a bin.
 *
 * @param labels the corpus's labels, in the order of their one-hot positions (empty: no label group)
 */
public record ControlSpace(List<String> labels) {

    /** Seconds of music ahead of each step that its controls describe. */
    public static final double WINDOW_SECONDS = 5.0;
    public static final int PITCH_CLASSES = 12;
    public static final int DENSITY_CENTRES = 12;
    /** What a pitch-class share is multiplied by in the vector. */
    public static final float PITCH_CLASS_SCALE = 12f;
    private static final int FIRST_CENTRE_EXPONENT = -1;

    public ControlSpace {
        labels = List.copyOf(labels);
        for (String label : labels) {
            if (label.isBlank() || label.contains("|")) {
                throw new IllegalArgumentException("a label must be non-blank and without '|', got '" + label + "'");
            }
        }
        if (labels.stream().distinct().count() != labels.size()) {
            throw new IllegalArgumentException("labels must be distinct, got " + labels);
        }
    }

    /** The labels stored as one text value (a checkpoint's hyper-parameter). */
    public static ControlSpace ofStored(String joined) {
        return new ControlSpace(joined == null || joined.isEmpty() ? List.of() : List.of(joined.split("\\|")));
    }

    public String stored() {
        return String.join("|", labels);
    }

    /** Values per step. */
    public int size() {
        return PITCH_CLASSES + DENSITY_CENTRES + labels.size();
    }

    /** Index of {@code label}, or -1 for null; refuses an unknown one by listing the known ones. */
    public int labelIndex(String label) {
        if (label == null) {
            return -1;
        }
        int index = labels.indexOf(label);
        if (index < 0) {
            throw new IllegalArgumentException(labels.isEmpty()
                    ? "label '" + label + "' asked of a model trained without labels"
                    : "unknown label '" + label + "'; this model knows " + labels);
        }
        return index;
    }

    /** The vector of asked controls. */
    public float[] vector(Controls controls) {
        float[] out = new float[size()];
        double[] pcs = controls.pitchClasses();
        if (pcs != null) {
            for (int i = 0; i < PITCH_CLASSES; i++) {
                out[i] = (float) pcs[i] * PITCH_CLASS_SCALE;
            }
        }
        if (controls.notesPerSecond() != null) {
            writeDensity(controls.notesPerSecond(), out, PITCH_CLASSES);
        }
        int label = labelIndex(controls.label());
        if (label >= 0) {
            out[PITCH_CLASSES + DENSITY_CENTRES + label] = 1;
        }
        return out;
    }

    /** Writes the density's soft one-hot into {@code out[offset .. offset + 12)}; rates outside the centres clamp. */
    public static void writeDensity(double notesPerSecond, float[] out, int offset) {
        double position = 2 * Math.log(Math.max(notesPerSecond, 1e-6)) / Math.log(2) - FIRST_CENTRE_EXPONENT;
        position = Math.max(0, Math.min(DENSITY_CENTRES - 1, position));
        int low = (int) Math.floor(position);
        double frac = position - low;
        out[offset + low] += (float) (1 - frac);
        if (low + 1 < DENSITY_CENTRES) {
            out[offset + low + 1] += (float) frac;
        }
    }

    /** The rate a density vector stands for (the inverse of {@link #writeDensity}), or null when it is all zeros. */
    public static Double readDensity(float[] vector, int offset) {
        double weight = 0;
        double position = 0;
        for (int k = 0; k < DENSITY_CENTRES; k++) {
            weight += vector[offset + k];
            position += k * vector[offset + k];
        }
        if (weight <= 0) {
            return null;
        }
        return Math.pow(2, (position / weight + FIRST_CENTRE_EXPONENT) / 2);
    }
}
