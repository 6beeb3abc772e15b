package org.musicgen.generator.generation;

import java.time.Instant;
import java.util.Map;

/**
 * A generated sample (or a real excerpt of the training corpus, {@code model = corpus}) and its provenance, stored as
 * {@code <id>/sample.json} in the {@code samples} bucket after its MIDI, audio and piano roll.
 *
 * @param origin {@code request} (asked for over the API) or {@code batch} (generated when the model was trained)
 */
public record Sample(
        String id,
        String model,
        String runId,
        String corpusId,
        String checkpointKey,
        Integer checkpointEpoch,
        SampleParameters parameters,
        int tokens,
        int notes,
        double durationSeconds,
        Map<String, Double> metrics,
        String origin,
        Instant createdAt) {

    public static final String CORPUS = "corpus";

    public Sample {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
