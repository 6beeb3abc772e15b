package org.musicgen.trainer.messaging;

import java.time.Instant;
import java.util.UUID;

/**
 * A record of {@code training.runs}, the trainer fleet's own topic: a run to train ({@code run.queued}) or to stop
 * ({@code run.cancelled}). Whichever trainer replica holds the record's partition trains the run.
 */
public record RunCommand(String eventId, String type, Instant occurredAt, String runId) {

    public static final String QUEUED = "run.queued";
    public static final String CANCELLED = "run.cancelled";

    public static RunCommand queued(String runId, Instant now) {
        return new RunCommand(UUID.randomUUID().toString(), QUEUED, now, runId);
    }

    public static RunCommand cancelled(String runId, Instant now) {
        return new RunCommand(UUID.randomUUID().toString(), CANCELLED, now, runId);
    }
}
