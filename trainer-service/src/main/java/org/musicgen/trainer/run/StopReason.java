package org.musicgen.trainer.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Why a completed run stopped training; written {@code epochs}, {@code budget}, {@code patience} on the wire. */
public enum StopReason {
    /** It trained every epoch it was asked for. */
    EPOCHS,
    /** Its time budget ({@code maxMinutes}) ran out. */
    BUDGET,
    /** Its held-out measure stopped improving for {@code patience} epochs (early stopping). */
    PATIENCE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static StopReason parse(String value) {
        return value == null ? null : valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
