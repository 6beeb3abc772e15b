package org.musicgen.evaluation.trials;

import java.util.List;

/**
 * A trial as the rater's page receives it: opaque sample ids and the service's own URLs, never the model.
 *
 * @param kind {@code single} (answer the 1-5 questions) or {@code pair} (which of the two do you prefer)
 */
public record Trial(String kind, List<TrialSample> samples) {

    /** @param midi what the page plays on its bundled piano; null when the sample has none (then the WAV) */
    public record TrialSample(String id, String audio, String midi, String pianoRoll) {
    }
}
