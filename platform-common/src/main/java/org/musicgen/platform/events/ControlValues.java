package org.musicgen.platform.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The controls of a sample as they are stored and announced (music-core's {@code Controls}, in plain values): what a
 * request asked for, or what the sample reached. Any of them may be absent.
 *
 * @param key            the key name, e.g. {@code "D minor"}: the one asked by name, or for a histogram the key it
 *                       estimates to (Krumhansl-Schmuckler); null without pitch classes
 * @param pitchClasses   12 shares of sounding time from C, summing to 1; null when not asked (or a silent sample)
 * @param notesPerSecond note onsets per second; null when not asked
 * @param label          one of the model's labels (a composer, a style word); a reached label is not measured, null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlValues(String key, List<Double> pitchClasses, Double notesPerSecond, String label) {

    public ControlValues {
        pitchClasses = pitchClasses == null ? null : List.copyOf(pitchClasses);
    }
}
