package org.musicgen.trainer.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The two models, written {@code lstm} and {@code gan} on the wire as in every event. */
public enum ModelKind {
    LSTM, GAN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code lstm} or {@code gan}; anything else is the caller's mistake. */
    @JsonCreator
    public static ModelKind parse(String value) {
        if (value != null) {
            for (ModelKind kind : values()) {
                if (kind.wireName().equalsIgnoreCase(value.trim())) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("model must be 'lstm' or 'gan', got '" + value + "'");
    }
}
