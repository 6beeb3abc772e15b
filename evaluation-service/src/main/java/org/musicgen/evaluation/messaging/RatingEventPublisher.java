package org.musicgen.evaluation.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.platform.events.RatingSubmitted;
import org.musicgen.platform.messaging.KeyedSend;

/** {@code ratings.submitted}, keyed by sample id, sent once the rating is durable. */
@ApplicationScoped
public class RatingEventPublisher {

    private final Emitter<RatingSubmitted> emitter;
    private final EvaluationConfig config;

    public RatingEventPublisher(@Channel("ratings-submitted") Emitter<RatingSubmitted> emitter,
                                EvaluationConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    /** Returns once the broker acknowledged. The event id derives from the rating id: a re-send is recognisable. */
    public void publish(Rating rating) throws KeyedSend.EventNotSentException {
        RatingSubmitted event = RatingSubmitted.of(rating.ratingId(), rating.raterId(), rating.sampleId(),
                rating.model(), rating.scores(), rating.pairedWith(), rating.preferred(), rating.submittedAt());
        KeyedSend.sendAndAwait(emitter, rating.sampleId(), event, config.publishTimeout());
    }
}
