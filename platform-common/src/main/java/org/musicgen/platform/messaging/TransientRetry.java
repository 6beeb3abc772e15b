package org.musicgen.platform.messaging;

import org.jboss.logging.Logger;
import org.musicgen.platform.storage.ObjectStoreUnavailableException;

import java.time.Duration;

/**
 * Retries the handling of a message while the object store or the broker is away, so that an outage delays the
 * work instead of sending the message to its dead-letter topic. Anything else fails at once.
 */
public final class TransientRetry {

    private static final Logger LOG = Logger.getLogger(TransientRetry.class);

    private TransientRetry() {
    }

    @FunctionalInterface
    public interface Work {
        void run() throws KeyedSend.EventNotSentException;
    }

    public static void run(String what, Duration giveUpAfter, Work work) throws KeyedSend.EventNotSentException {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        long backoffMillis = 500;
        while (true) {
            try {
                work.run();
                return;
            } catch (ObjectStoreUnavailableException | KeyedSend.EventNotSentException e) {
                if (System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.warnf("%s: %s; trying again in %d ms", what, e.getMessage(), backoffMillis);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
            }
        }
    }
}
