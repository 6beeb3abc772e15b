package org.musicgen.platform.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event ids derived from what the event is about, so that an event sent again after a crash carries
 * the same id and consumers can recognise it as a duplicate.
 */
public final class EventIds {
    private EventIds() {
    }

    public static String of(String type, String subjectId) {
        return UUID.nameUUIDFromBytes((type + ":" + subjectId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
