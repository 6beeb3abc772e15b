package org.musicgen.generator.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.musicgen.generator.generation.Sample;
import org.musicgen.platform.events.SampleKeys;
import org.musicgen.platform.events.SamplesGenerated;
import org.musicgen.platform.messaging.KeyedSend;

import java.time.Duration;

/** Announces samples on {@code samples.generated}, keyed by sample id, once the broker has them. */
@ApplicationScoped
public class SampleEventPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final Emitter<SamplesGenerated> emitter;

    public SampleEventPublisher(@Channel("samples-generated") Emitter<SamplesGenerated> emitter) {
        this.emitter = emitter;
    }

    public void publish(Sample sample) throws KeyedSend.EventNotSentException {
        SamplesGenerated event = SamplesGenerated.of(sample.id(), sample.runId(), sample.corpusId(), sample.model(),
                SampleKeys.forSample(sample.id()), sample.encoding(), sample.tokens(), sample.notes(),
                sample.durationSeconds(), sample.metrics(), sample.createdAt());
        if (sample.clipSeconds() != null) {
            event = event.asClip(sample.clipSeconds(), sample.referenceSampleId());
        }
        if (sample.controls() != null) {
            event = event.withControls(sample.controls());
        }
        KeyedSend.sendAndAwait(emitter, sample.id(), event, ACK_TIMEOUT);
    }
}
