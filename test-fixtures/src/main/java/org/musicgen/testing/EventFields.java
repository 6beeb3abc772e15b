package org.musicgen.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A text field of a JSON event as tests read it off a topic. A record that is no JSON, or lacks the field, fails the
 * test with the record in the message: read as null instead, it would pass a filter silently or count as one more
 * distinct value.
 */
public final class EventFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventFields() {
    }

    public static String field(ConsumerRecord<String, String> record, String name) {
        return field(record.value(), name, record.topic() + "@" + record.offset());
    }

    public static String field(String event, String name) {
        return field(event, name, "event");
    }

    private static String field(String event, String name, String where) {
        JsonNode value;
        try {
            value = JSON.readTree(event).get(name);
        } catch (JsonProcessingException e) {
            throw new AssertionError(where + " is not JSON (" + e.getOriginalMessage() + "): " + event, e);
        }
        if (value == null || value.isNull()) {
            throw new AssertionError(where + " has no '" + name + "': " + event);
        }
        return value.asText();
    }
}
