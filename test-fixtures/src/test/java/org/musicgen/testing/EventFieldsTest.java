package org.musicgen.testing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventFieldsTest {

    @Test
    void aFieldIsReadAsText() {
        assertEquals("c1", EventFields.field("{\"corpusId\":\"c1\",\"notes\":12}", "corpusId"));
        assertEquals("12", EventFields.field("{\"corpusId\":\"c1\",\"notes\":12}", "notes"));
    }

    @Test
    void aRecordThatIsNoJsonOrLacksTheFieldFailsTheTestNamingTheRecord() {
        ConsumerRecord<String, String> broken = new ConsumerRecord<>("samples.generated", 0, 41, "k", "{not json");
        AssertionError e = assertThrows(AssertionError.class, () -> EventFields.field(broken, "sampleId"));
        assertTrue(e.getMessage().contains("samples.generated@41") && e.getMessage().contains("not JSON"),
                e.getMessage());
        e = assertThrows(AssertionError.class, () -> EventFields.field("{\"sampleId\":null}", "sampleId"));
        assertTrue(e.getMessage().contains("no 'sampleId'"), e.getMessage());
        assertThrows(AssertionError.class, () -> EventFields.field("{}", "sampleId"));
    }
}
