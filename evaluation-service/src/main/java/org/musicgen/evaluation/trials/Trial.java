package org.musicgen.evaluation.trials;

import java.util.List;

/**
 * A trial as the rater's page receives it: an opaque trial id, opaque sample ids and the service's own URLs, never
 * the model, and nothing that tells a catch item from any other single trial.
 *
 * @param id   what the answer names ({@code trialId} of {@code POST /api/ratings})
 * @param kind {@code single} (answer the 1-5 questions), {@code pair} (which of the two do you prefer) or
 *             {@code turing} (which of the two was written by a person)
 */
public record Trial(String id, String kind, List<TrialSample> samples) {

    /**
     * @param midi      what the page plays on its bundled piano; null when the sample has none (then the WAV)
     * @param pianoRoll the piano roll while listening, only when {@code piano-roll = during}; otherwise null (it is
     *                  offered after the answer, or never)
     * @param clipSeconds the clip length the sample was cut to (the same for every clip of the experiment): the page's
     *                  piano plays the MIDI for that long and fades its last second out, as the WAV does; null for
     *                  samples cut before clips existed
     */
    public record TrialSample(String id, String audio, String midi, String pianoRoll, Double clipSeconds) {
    }
}
