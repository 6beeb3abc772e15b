package org.musicgen.ingest.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.musicgen.platform.events.CorpusIngested;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Sends {@code corpora.ingested}, keyed by corpus id, and waits for the broker's acknowledgement. */
@ApplicationScoped
public class CorpusEventPublisher {

    private final Emitter<CorpusIngested> emitter;

    public CorpusEventPublisher(@Channel("corpora-ingested") Emitter<CorpusIngested> emitter) {
        this.emitter = emitter;
    }

    /** Returns once the broker has the event; throws when it does not within the timeout. */
    public void publish(CorpusIngested event, Duration timeout) throws EventNotSentException {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<CorpusIngested> message = Message.of(event,
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.corpusId()).build()),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventNotSentException("interrupted while sending " + event.type(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new EventNotSentException("broker did not acknowledge " + event.type() + " for corpus "
                    + event.corpusId() + ": " + e, e);
        }
    }

    public static class EventNotSentException extends Exception {
        public EventNotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
