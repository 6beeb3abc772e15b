package org.musicgen.ingest.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Corpus records stored before labels and drums existed still load, as corpora without labels or drum hits. */
class CorpusRecordCompatibilityTest {

    @Test
    void aRecordWithoutLabelsLoadsWithNone() throws Exception {
        String stored = """
                {"id":"9c371ced-28eb-4cfd-bb0b-17019c2b8aed","name":"old","status":"READY",
                 "createdAt":"2026-11-01T10:00:00Z","updatedAt":"2026-11-01T10:00:05Z","fingerprint":"ab",
                 "uploadKeys":["uploads/x/000-a.mid"],"encoding":"performance","windowNotes":null,
                 "acceptedFiles":[{"file":"a.mid","sha256":"cd","notes":10,"tokens":40,"unknown":0,"sequences":1}],
                 "rejectedFiles":[],"counts":null,"dataset":null,"failure":null}""";

        Corpus corpus = new ObjectMapper().findAndRegisterModules().readValue(stored, Corpus.class);

        assertNull(corpus.labelSource());
        assertEquals(List.of(), corpus.labels());
        assertEquals(List.of(), corpus.warnings());
        assertNull(corpus.acceptedFiles().get(0).label());
        assertEquals(40, corpus.acceptedFiles().get(0).events());
        assertEquals(0, corpus.acceptedFiles().get(0).drumHits(), "written before drums: none kept");
        assertEquals("", corpus.acceptedFiles().get(0).instruments());
    }
}
