package org.musicgen.trainer.run;

import java.util.Locale;

public enum ModelKind {
    LSTM, GAN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code lstm} or {@code gan}; anything else is the caller's mistake. */
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
