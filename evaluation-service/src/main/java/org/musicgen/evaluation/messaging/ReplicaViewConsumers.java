package org.musicgen.evaluation.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.musicgen.evaluation.curves.TrainingCurves;
import org.musicgen.evaluation.ratings.RatingService;
import org.musicgen.evaluation.samples.SampleCatalogue;
import org.musicgen.evaluation.trials.TrialService;
import org.musicgen.platform.events.RatingSubmitted;
import org.musicgen.platform.events.SamplesGenerated;
import org.musicgen.platform.events.TrainingProgress;

import java.time.Instant;

/**
 * What makes every replica show the same listening test: each replica reads these topics in a consumer group of
 * its own (a fresh one per start, from the earliest offset), so every replica sees every event, and applies them to
 * its memory. Applying is idempotent, so replays and a replica's own events change nothing twice. The durable work
 * on {@code samples.generated} and {@code training.progress} (the stored copy, the dead-letter topic) stays with the
 * shared group ({@link SamplesGeneratedConsumer}, {@link TrainingProgressConsumer}); here a bad record is skipped.
 */
@ApplicationScoped
public class ReplicaViewConsumers {

    private static final Logger LOG = Logger.getLogger(ReplicaViewConsumers.class);

    private final SampleCatalogue catalogue;
    private final TrainingCurves curves;
    private final RatingService ratings;
    private final TrialService trials;
    private final ReplicaSync sync;

    public ReplicaViewConsumers(SampleCatalogue catalogue, TrainingCurves curves, RatingService ratings,
                                TrialService trials, ReplicaSync sync) {
        this.catalogue = catalogue;
        this.curves = curves;
        this.ratings = ratings;
        this.trials = trials;
        this.sync = sync;
    }

    @Incoming("samples-view")
    @Blocking(ordered = true)
    public void onSample(ConsumerRecord<String, SamplesGenerated> record) {
        apply(record, () -> catalogue.register(record.value()));
    }

    @Incoming("training-progress-view")
    @Blocking(ordered = true)
    public void onProgress(ConsumerRecord<String, TrainingProgress> record) {
        apply(record, () -> curves.apply(record.value()));
    }

    @Incoming("ratings-view")
    @Blocking(ordered = true)
    public void onRating(ConsumerRecord<String, RatingSubmitted> record) {
        apply(record, () -> ratings.adopt(record.value(), Instant.ofEpochMilli(record.timestamp())));
    }

    @Incoming("trials-planned")
    @Blocking(ordered = true)
    public void onPlan(ConsumerRecord<String, TrialsPlanned> record) {
        apply(record, () -> trials.apply(record.value()));
    }

    /** The offset counts as applied even when the record could not be: waiting for it would never end. */
    private void apply(ConsumerRecord<String, ?> record, Runnable action) {
        try {
            if (record.value() == null) {
                LOG.debugf("skipping an unreadable record on %s at offset %d", record.topic(), record.offset());
            } else {
                action.run();
            }
        } catch (SampleCatalogue.InvalidSampleException e) {
            LOG.debugf("skipping a record on %s at offset %d: %s", record.topic(), record.offset(), e.getMessage());
        } catch (RuntimeException e) {
            // e.g. the object store away: the periodic resync adopts what storage holds
            LOG.warnf("could not apply a record on %s at offset %d: %s", record.topic(), record.offset(),
                    e.getMessage());
        } finally {
            sync.applied(record.topic(), record.partition(), record.offset());
        }
    }
}
