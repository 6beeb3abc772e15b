package org.musicgen.trainer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.musicgen.platform.events.ModelTrained;
import org.musicgen.platform.events.TrainingProgress;
import org.musicgen.platform.messaging.KeyedSend;

import java.time.Duration;

/** {@code training.progress} and {@code models.trained}, keyed by run id. */
@ApplicationScoped
public class TrainingEventPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final Emitter<TrainingProgress> progress;
    private final Emitter<ModelTrained> trained;

    public TrainingEventPublisher(@Channel("training-progress") Emitter<TrainingProgress> progress,
                                  @Channel("models-trained") Emitter<ModelTrained> trained) {
        this.progress = progress;
        this.trained = trained;
    }

    /** Progress is informative: sent without waiting; a lost one is superseded by the next. */
    public void progress(TrainingProgress event) {
        KeyedSend.send(progress, event.runId(), event);
    }

    /** Returns once the broker has the event, so a run is marked COMPLETED only after it was announced. */
    public void trained(ModelTrained event) throws KeyedSend.EventNotSentException {
        KeyedSend.sendAndAwait(trained, event.runId(), event, ACK_TIMEOUT);
    }
}
