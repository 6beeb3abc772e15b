package org.musicgen.trainer.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * What the listening test compares: {@code lstm} or {@code gan}, as every event writes it. A family holds model kinds
 * (the GAN family: the piano-roll and the token GAN).
 */
public enum ModelFamily {
    LSTM, GAN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code lstm} or {@code gan}; anything else is the caller's mistake. */
    @JsonCreator
    public static ModelFamily parse(String value) {
        if (value != null) {
            for (ModelFamily kind : values()) {
                if (kind.wireName().equalsIgnoreCase(value.trim())) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("model must be 'lstm' or 'gan', got '" + value + "'");
    }
}
