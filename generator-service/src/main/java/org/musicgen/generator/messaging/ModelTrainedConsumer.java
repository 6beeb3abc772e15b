package org.musicgen.generator.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.musicgen.generator.generation.GeneratorConfig;
import org.musicgen.generator.generation.Sample;
import org.musicgen.generator.generation.SampleRequest;
import org.musicgen.generator.generation.SampleService;
import org.musicgen.generator.model.ModelCatalogue;
import org.musicgen.generator.model.TrainedModel;
import org.musicgen.platform.events.EventIds;
import org.musicgen.platform.events.ModelTrained;
import org.musicgen.platform.messaging.KeyedSend;
import org.musicgen.platform.messaging.TransientRetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers each trained model and generates its batch of samples, plus real excerpts of its corpus as the
 * listening test's control and a low anchor per excerpt, all cut to the same clip length
 * ({@code musicgen.generator.clip-seconds}). Sample ids derive from the run (or corpus) and the sample's index, so a redelivered event
 * finds the samples already stored and only announces them again with the same event ids. The offset is committed
 * after every sample is stored and announced; an event that cannot be handled goes to {@code models.trained.dlq}.
 */
@ApplicationScoped
public class ModelTrainedConsumer {

    private static final Logger LOG = Logger.getLogger(ModelTrainedConsumer.class);
    private static final Duration OUTAGE_PATIENCE = Duration.ofMinutes(10);

    private final ModelCatalogue catalogue;
    private final SampleService samples;
    private final SampleEventPublisher events;
    private final GeneratorConfig config;

    public ModelTrainedConsumer(ModelCatalogue catalogue, SampleService samples, SampleEventPublisher events,
                                GeneratorConfig config) {
        this.catalogue = catalogue;
        this.samples = samples;
        this.events = events;
        this.config = config;
    }

    @Incoming("models-trained")
    @Blocking(ordered = true)
    public void onModelTrained(ModelTrained event) throws KeyedSend.EventNotSentException {
        if (event == null || event.runId() == null || event.checkpointKey() == null || event.corpusId() == null
                || !("lstm".equals(event.model()) || "gan".equals(event.model()))) {
            throw new IllegalArgumentException("unreadable models.trained event: it needs runId, corpusId, "
                    + "checkpointKey and model lstm|gan");
        }
        TrainedModel trained = new TrainedModel(event.runId(), event.corpusId(), event.model(),
                event.checkpointBucket(), event.checkpointKey(), event.epochs(), event.metrics(), event.occurredAt());
        long t0 = System.nanoTime();
        // An outage of the store or broker delays the batch; samples already stored are not made again.
        TransientRetry.run("batch of run " + event.runId(), OUTAGE_PATIENCE, () -> produceBatch(trained));
        LOG.infof("run %s: %d samples, %d corpus excerpts and their anchors ready in %d ms", event.runId(),
                config.batchSize(),
                config.corpusExcerpts(), (System.nanoTime() - t0) / 1_000_000);
    }

    private void produceBatch(TrainedModel trained) throws KeyedSend.EventNotSentException {
        catalogue.register(trained);
        double clipSeconds = config.clipSeconds();
        List<String> ids = new ArrayList<>();
        List<SampleRequest> requests = new ArrayList<>();
        for (int i = 0; i < config.batchSize(); i++) {
            ids.add(EventIds.of("sample", trained.runId() + "/batch/" + i));
            requests.add(SampleRequest.forClip(trained.runId(), clipSeconds, i + 1L));
        }
        for (Sample sample : samples.generateAllOnce(ids, requests, "batch")) {
            events.publish(sample);
        }
        LOG.infof("batch of run %s: %d samples stored and announced", trained.runId(), ids.size());
        // each excerpt, then its low anchor: the same for both models of a corpus (ids from the corpus and index)
        for (int i = 0; i < config.corpusExcerpts(); i++) {
            String excerptId = EventIds.of("sample", trained.corpusId() + "/excerpt/" + i);
            events.publish(samples.excerptOnce(excerptId, trained, i, clipSeconds));
            events.publish(samples.anchorOnce(EventIds.of("sample", trained.corpusId() + "/anchor/" + i), excerptId,
                    trained, i, clipSeconds));
        }
    }
}
