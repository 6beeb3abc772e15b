package org.musicgen.evaluation.samples;

import org.musicgen.platform.events.SamplesGenerated;

import java.time.Instant;
import java.util.Map;

/**
 * A sample in the listening test, as announced on {@code samples.generated}. Kept durably (the catalogue copy) so
 * a restarted service knows its samples without re-reading the topic. Never sent to raters: it names the model.
 *
 * @param encoding the encoding of the corpus the sample's model was trained on; null for samples announced before
 *                 encodings existed
 * @param notes    notes in the sample; null when its event did not say
 * @param clipSeconds the clip length the sample was cut to for the listening test; null for older samples
 * @param referenceSampleId for a low anchor, the real excerpt it was made from; null otherwise
 */
public record Sample(
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
        Instant generatedAt,
        Instant registeredAt,
        Double clipSeconds,
        String referenceSampleId) {

    public static Sample of(SamplesGenerated event, Instant registeredAt) {
        return new Sample(event.sampleId(), event.runId(), event.corpusId(), event.model(), event.bucket(),
                event.midiKey(), event.audioKey(), event.pianoRollKey(), event.metadataKey(), event.encoding(),
                event.tokens(), event.notes(), event.durationSeconds(), event.metrics() == null ? Map.of() : Map.copyOf(event.metrics()),
                event.occurredAt(), registeredAt, event.clipSeconds(), event.referenceSampleId());
    }

    public ModelKind kind() {
        return ModelKind.fromWire(model).orElseThrow();
    }

    public boolean hasMidi() {
        return midiKey != null && !midiKey.isBlank();
    }

    public boolean hasPianoRoll() {
        return pianoRollKey != null && !pianoRollKey.isBlank();
    }
}
