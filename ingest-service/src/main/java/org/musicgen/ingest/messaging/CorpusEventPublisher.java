package org.musicgen.ingest.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.musicgen.platform.events.CorpusIngested;
import org.musicgen.platform.messaging.KeyedSend;

import java.time.Duration;

/** Sends {@code corpora.ingested}, keyed by corpus id, and waits for the broker's acknowledgement. */
@ApplicationScoped
public class CorpusEventPublisher {

    private final Emitter<CorpusIngested> emitter;

    public CorpusEventPublisher(@Channel("corpora-ingested") Emitter<CorpusIngested> emitter) {
        this.emitter = emitter;
    }

    public void publish(CorpusIngested event, Duration timeout) throws KeyedSend.EventNotSentException {
        KeyedSend.sendAndAwait(emitter, event.corpusId(), event, timeout);
    }
}
