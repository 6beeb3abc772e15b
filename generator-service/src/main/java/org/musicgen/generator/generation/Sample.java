package org.musicgen.generator.generation;

import org.musicgen.platform.events.SampleControls;

import java.time.Instant;
import java.util.Map;

/**
 * A generated sample (or a real excerpt of the training corpus, {@code model = corpus}, or its low anchor,
 * {@code model = anchor}) and its provenance, stored as
 * {@code <id>/sample.json} in the {@code samples} bucket after its MIDI, audio and piano roll.
 *
 * @param encoding the encoding of the model's corpus ({@code performance} or {@code seed}); null in samples stored
 *                 before encodings existed
 * @param tokens   ids of that encoding the sample is made of (performance events or seed tokens)
 * @param notes    notes the ids decode to: the measure of length comparable across encodings
 * @param origin   {@code request} (asked for over the API) or {@code batch} (generated when the model was trained)
 * @param durationSeconds how long the sample plays: for a clip, the clip's length, or less when the model's music
 *                 ended before it (never padded)
 * @param clipSeconds the listening clip's length it was cut to ({@code musicgen.generator.clip-seconds} for batches,
 *                 excerpts and anchors; the seconds asked for a request in seconds); null when not cut, and in
 *                 samples stored before clips were cut
 * @param referenceSampleId for a low anchor ({@code model = anchor}), the id of the real excerpt it scrambles
 * @param controls the controls asked for (absent when none were) and those the sample's notes reached (estimated
 *                 key, pitch classes, notes per second); null in samples stored before controls existed
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
        Instant createdAt,
        Double clipSeconds,
        String referenceSampleId,
        SampleControls controls) {

    public static final String CORPUS = "corpus";
    /** A low anchor: a real excerpt with its pitches scrambled within its range. */
    public static final String ANCHOR = "anchor";

    public Sample {
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }
}
