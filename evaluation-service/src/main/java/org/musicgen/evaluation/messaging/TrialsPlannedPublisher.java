package org.musicgen.evaluation.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.platform.messaging.KeyedSend;

/** {@code trials.planned}, keyed by rater id (a rater's series stay in order), acknowledged before the page gets it. */
@ApplicationScoped
public class TrialsPlannedPublisher {

    private final Emitter<TrialsPlanned> emitter;
    private final EvaluationConfig config;

    public TrialsPlannedPublisher(@Channel("trials-planned-out") Emitter<TrialsPlanned> emitter,
                                  EvaluationConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    public void publish(TrialsPlanned event) throws KeyedSend.EventNotSentException {
        KeyedSend.sendAndAwait(emitter, event.raterId(), event, config.publishTimeout());
    }
}
