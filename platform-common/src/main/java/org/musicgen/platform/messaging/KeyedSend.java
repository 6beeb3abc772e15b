package org.musicgen.platform.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends events keyed by the id they are about (so one subject's events stay in order on one partition),
 * either without waiting or waiting for the broker's acknowledgement, for events whose sending must be
 * durable before the caller records that it happened.
 */
public final class KeyedSend {

    private KeyedSend() {
    }

    public static <T> void send(Emitter<T> emitter, String key, T payload) {
        emitter.send(Message.of(payload, keyed(key)));
    }

    /** Returns once the broker acknowledged; throws {@link EventNotSentException} otherwise. */
    public static <T> void sendAndAwait(Emitter<T> emitter, String key, T payload, Duration timeout)
            throws EventNotSentException {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<T> message = Message.of(payload, keyed(key),
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
            throw new EventNotSentException("interrupted while sending the event about " + key, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new EventNotSentException("the broker did not acknowledge the event about " + key + ": " + e, e);
        }
    }

    private static Metadata keyed(String key) {
        return Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }

    public static class EventNotSentException extends Exception {
        public EventNotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
