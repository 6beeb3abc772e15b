package org.musicgen.evaluation.trials;

import org.musicgen.evaluation.samples.ModelKind;

import java.util.Arrays;
import java.util.Optional;

/** The model pairings of preference trials: the two models against each other, and each against real music. */
public enum PairType {
    LSTM_GAN(ModelKind.LSTM, ModelKind.GAN),
    LSTM_CORPUS(ModelKind.LSTM, ModelKind.CORPUS),
    GAN_CORPUS(ModelKind.GAN, ModelKind.CORPUS);

    private final ModelKind first;
    private final ModelKind second;

    PairType(ModelKind first, ModelKind second) {
        this.first = first;
        this.second = second;
    }

    public ModelKind first() {
        return first;
    }

    public ModelKind second() {
        return second;
    }

    public String label() {
        return first.label() + " vs " + (second == ModelKind.CORPUS ? "real excerpts" : second.label());
    }

    /** The pairing of two different models, in either order. */
    public static Optional<PairType> of(ModelKind a, ModelKind b) {
        return Arrays.stream(values())
                .filter(t -> (t.first == a && t.second == b) || (t.first == b && t.second == a))
                .findFirst();
    }
}
