package org.musicgen.platform.messaging;

import org.junit.jupiter.api.Test;
import org.musicgen.platform.storage.ObjectStoreUnavailableException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TransientRetryTest {

    @Test
    void anOutageIsWaitedOut() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        TransientRetry.run("work", Duration.ofSeconds(10), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new ObjectStoreUnavailableException("store down", null);
            }
        });
        assertEquals(3, calls.get());
    }

    @Test
    void aBrokerThatStaysAwayIsReportedAfterThePatienceRunsOut() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(KeyedSend.EventNotSentException.class, () -> TransientRetry.run("work", Duration.ofMillis(800),
                () -> {
                    calls.incrementAndGet();
                    throw new KeyedSend.EventNotSentException("broker down", null);
                }));
        assertEquals(2, calls.get(), "tried at once and after 500 ms; the next wait would pass the deadline");
    }

    @Test
    void anyOtherFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> TransientRetry.run("work", Duration.ofSeconds(10), () -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("bad event");
        }));
        assertEquals(1, calls.get());
    }
}
