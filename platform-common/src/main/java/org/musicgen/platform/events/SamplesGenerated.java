package org.musicgen.platform.events;

import java.time.Instant;
import java.util.Map;

/**
 * Sent on {@link Topics#SAMPLES_GENERATED} once all objects of one sample are durable in the {@code samples} bucket.
 *
 * @param model   {@code lstm}, {@code gan}, {@code corpus} for a real excerpt of the training data rendered the
 *                same way (the listening test's control), or {@code anchor} for a low anchor made from such an excerpt
 * @param runId   training run that made it; for {@code corpus} excerpts the run whose dataset it came from
 * @param encoding the encoding of the corpus the sample's model was trained on ({@code performance} or {@code seed});
 *                 null in events sent before encodings existed (those were {@code seed})
 * @param tokens   ids of that encoding the sample is made of
 * @param notes    notes the sample holds; null in events sent before it was announced
 * @param metrics  objective metrics of the sample (music-core {@code SampleMetrics}), by name
 * @param clipSeconds the listening test's clip length this sample was cut to (the same for every source of one
 *                    experiment); null for samples not made as listening clips and in events sent before clips were
 *                    cut. A sample whose {@code durationSeconds} falls short of it by more than half a second is a
 *                    model that could not fill the clip: it is reported, never planned into a trial
 * @param referenceSampleId for a low anchor ({@code model = anchor}: a real excerpt with its pitches scrambled, the
 *                    listening test's screening item), the id of the real excerpt it was made from; null otherwise
 * @param controls  the controls the sample was asked for and those it reached (key, pitch classes, notes per
 *                  second); null in events sent before samples recorded them
 */
public record SamplesGenerated(
        String eventId,
        String type,
        Instant occurredAt,
        String sampleId,
        String runId,
        String corpusId,
        String model,
        String bucket,
        String midiKey,
        String audioKey,
        String pianoRollKey,
        String metadataKey,
        String encoding,
        int tokens,
        Integer notes,
        double durationSeconds,
        Map<String, Double> metrics,
        Double clipSeconds,
        String referenceSampleId,
        SampleControls controls) {

    public static final String TYPE = Topics.SAMPLES_GENERATED;

    public static SamplesGenerated of(String sampleId, String runId, String corpusId, String model, SampleKeys keys,
                                      String encoding, int tokens, Integer notes, double durationSeconds,
                                      Map<String, Double> metrics, Instant occurredAt) {
        return new SamplesGenerated(EventIds.of(TYPE, sampleId), TYPE, occurredAt, sampleId, runId, corpusId, model,
                keys.bucket(), keys.midi(), keys.audio(), keys.pianoRoll(), keys.metadata(), encoding, tokens, notes,
                durationSeconds, Map.copyOf(metrics), null, null, null);
    }

    /** This event for a listening clip cut to {@code clipSeconds}; an anchor names its real excerpt. */
    public SamplesGenerated asClip(Double clipSeconds, String referenceSampleId) {
        return new SamplesGenerated(eventId, type, occurredAt, sampleId, runId, corpusId, model, bucket, midiKey,
                audioKey, pianoRollKey, metadataKey, encoding, tokens, notes, durationSeconds, metrics, clipSeconds,
                referenceSampleId, controls);
    }

    /** This event with the sample's asked and reached controls. */
    public SamplesGenerated withControls(SampleControls sampleControls) {
        return new SamplesGenerated(eventId, type, occurredAt, sampleId, runId, corpusId, model, bucket, midiKey,
                audioKey, pianoRollKey, metadataKey, encoding, tokens, notes, durationSeconds, metrics, clipSeconds,
                referenceSampleId, sampleControls);
    }

    /** An event as sent before encodings existed: no encoding, no note count. */
    public static SamplesGenerated of(String sampleId, String runId, String corpusId, String model, SampleKeys keys,
                                      int tokens, double durationSeconds, Map<String, Double> metrics,
                                      Instant occurredAt) {
        return of(sampleId, runId, corpusId, model, keys, null, tokens, null, durationSeconds, metrics, occurredAt);
    }
}
