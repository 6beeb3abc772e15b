package org.musicgen.generator.generation;

import java.time.Instant;
import java.util.Map;

/**
 * A generated sample (or a real excerpt of the training corpus, {@code model = corpus}) and its provenance, stored as
 * {@code <id>/sample.json} in the {@code samples} bucket after its MIDI, audio and piano roll.
 *
 * @param encoding the encoding of the model's corpus ({@code performance} or {@code seed}); null in samples stored
 *                 before encodings existed
 * @param tokens   ids of that encoding the sample is made of (performance events or seed tokens)
 * @param notes    notes the ids decode to: the measure of length comparable across encodings
 * @param origin   {@code request} (asked for over the API) or {@code batch} (generated when the model was trained)
 */
public record Sample(
        String id,
        String model,
        String runId,
        String corpusId,
        String checkpointKey,
        Integer checkpointEpoch,
        String encoding,
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
