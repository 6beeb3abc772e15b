package org.musicgen.mainjob;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main job's options and what it prints, without starting anything. */
class MainJobTest {

    @Test
    void theEncodingIsPerformanceUnlessChosen() {
        assertEquals("performance", MainJob.parse(new String[0]).encoding());
        assertEquals("seed", MainJob.parse(new String[]{"--encoding", "seed"}).encoding());
        assertEquals("performance", MainJob.parse(new String[]{"--encoding", "Performance", "--pieces", "4"}).encoding());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> MainJob.parse(new String[]{"--encoding", "abc"}));
        assertTrue(bad.getMessage().contains("performance, seed"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MainJob.parse(new String[]{"--encoding"}));
    }

    @Test
    void theCorpusLineNamesTheEncodingAndTheWindows() throws Exception {
        String corpus = "{\"encoding\":\"performance\",\"acceptedFiles\":[{},{}],\"counts\":{\"notes\":990,"
                + "\"sequences\":15,\"sequenceLength\":336,\"notesPerWindow\":100.0,\"vocabularySize\":388,"
                + "\"unknownShare\":0.0}}";
        assertEquals("2 files, 990 notes, performance encoding: 15 windows of 336 events (about 100 notes each), "
                + "vocabulary 388, 0.0 % unknown", Flow.describeCorpus(new ObjectMapper().readTree(corpus)));
    }
}
