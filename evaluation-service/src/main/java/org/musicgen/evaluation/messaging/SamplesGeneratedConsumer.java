package org.musicgen.evaluation.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.musicgen.evaluation.samples.SampleCatalogue;
import org.musicgen.platform.events.SamplesGenerated;

/**
 * Puts every sample announced on {@code samples.generated} into the listening test. The catalogue copy is stored
 * before the method returns, so the offset is committed only once the sample is durable; a redelivered event
 * registers nothing twice; an event that cannot be used goes to {@code samples.generated.dlq} with its reason.
 */
@ApplicationScoped
public class SamplesGeneratedConsumer {

    private static final Logger LOG = Logger.getLogger(SamplesGeneratedConsumer.class);

    private final SampleCatalogue catalogue;

    public SamplesGeneratedConsumer(SampleCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Incoming("samples-generated")
    @Blocking(ordered = true)
    public void onSamplesGenerated(SamplesGenerated event) {
        if (catalogue.register(event)) {
            LOG.infof("sample %s (run %s) joined the listening test", event.sampleId(), event.runId());
        } else {
            LOG.debugf("sample %s was already in the listening test", event.sampleId());
        }
    }
}
