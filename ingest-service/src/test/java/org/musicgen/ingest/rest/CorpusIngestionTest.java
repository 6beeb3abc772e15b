package org.musicgen.ingest.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.musicgen.core.dataset.Checksums;
import org.musicgen.core.dataset.SequenceCodec;
import org.musicgen.core.dataset.NotesCodec;
import org.musicgen.core.dataset.SequenceSet;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.encoding.SeedEncoding;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.EventIds;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.musicgen.testing.EventFields.field;

/** Real uploads through HTTP, against a real Kafka broker and a real S3-compatible server. */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class CorpusIngestionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectLocalStack
    LocalStack stack;

    @Test
    void uploadedCorpusBecomesADatasetAndAnEvent() throws Exception {
        List<GeneratedPiece> pieces = TestCorpora.pieces(7, 4);
        var request = given().multiPart("name", "synthetic four");
        for (GeneratedPiece piece : pieces) {
            request = request.multiPart("files", piece.fileName(), piece.midi(), "audio/midi");
        }
        Response accepted = request.when().post("/api/corpora");
        accepted.then().statusCode(202).body("status", equalTo("PROCESSING"));
        String id = accepted.jsonPath().getString("id");
        assertTrue(accepted.header("Location").endsWith("/api/corpora/" + id));

        JsonNode corpus = CorpusPolling.awaitFinished(id);
        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        assertEquals("performance", corpus.get("encoding").asText(), "performance is the default encoding");
        assertEquals(4, corpus.get("acceptedFiles").size());
        assertEquals(0, corpus.get("rejectedFiles").size());
        JsonNode counts = corpus.get("counts");
        long notes = counts.get("notes").asLong();
        long events = counts.get("events").asLong();
        assertEquals(notesOf(pieces), notes, "notes as read with the sustain pedal folded in");
        assertTrue(events > 2 * notes, "a NOTE_ON and a NOTE_OFF per note, plus time shifts and velocities");
        assertEquals(Math.round(100.0 * events / notes), counts.get("sequenceLength").asInt(),
                "a window is 100 notes' worth of events");
        assertEquals(counts.get("sequenceLength").asInt() / 2, counts.get("stride").asInt());
        assertEquals(100, counts.get("notesPerWindow").asDouble(), 0.5);
        assertEquals(0, counts.get("unknown").asLong());
        assertEquals(0.0, counts.get("unknownShare").asDouble());
        assertEquals(388, counts.get("vocabularySize").asInt(), "the fixed performance vocabulary");
        assertTrue(notes > 100);
        JsonNode file = corpus.get("acceptedFiles").get(0);
        assertEquals(pieces.get(0).fileName(), file.get("file").asText());
        assertEquals(notesOf(pieces.subList(0, 1)), file.get("notes").asInt());
        assertTrue(file.get("events").asInt() > 2 * file.get("notes").asInt(), file.toString());
        assertEquals(0, file.get("unknown").asInt());
        int windows = 0;
        for (JsonNode f : corpus.get("acceptedFiles")) {
            windows += f.get("windows").asInt();
        }
        assertEquals(counts.get("sequences").asInt(), windows, "the files' windows add up to the corpus's");
        assertTrue(windows >= 4, "the pieces give at least one window each: " + corpus);

        MinioClient s3 = MinioClient.builder().endpoint(stack.s3Endpoint())
                .credentials(stack.accessKey(), stack.secretKey()).build();
        JsonNode dataset = corpus.get("dataset");
        SequenceSet sequences = SequenceCodec.decode(read(s3, "datasets", dataset.get("sequences").asText()));
        assertEquals(counts.get("sequences").asInt(), sequences.sequences().size());
        assertEquals(counts.get("sequenceLength").asInt(), sequences.sequences().get(0).length);
        Encoding encoding = Encodings.read(read(s3, "datasets", dataset.get("vocabulary").asText()));
        assertEquals("performance", encoding.name());
        assertEquals(388, encoding.size());
        assertStoredNotes(s3, dataset, pieces);
        JsonNode manifest = JSON.readTree(read(s3, "datasets", dataset.get("manifest").asText()));
        assertEquals("performance", manifest.get("encoding").asText());
        assertEquals(100, manifest.get("windowNotes").asInt());
        assertEquals(counts.get("sequenceLength").asInt(), manifest.get("sequenceLength").asInt());
        assertEquals(counts.get("stride").asInt(), manifest.get("stride").asInt());
        assertEquals(388, manifest.get("vocabularySize").asInt());
        assertEquals(0.0, manifest.get("unknownShare").asDouble());
        assertEquals(dataset.get("notes").asText(), manifest.get("dataset").get("notes").asText());
        for (int i = 0; i < pieces.size(); i++) {
            JsonNode listed = manifest.get("files").get(i);
            assertEquals(Checksums.sha256(pieces.get(i).midi()), listed.get("sha256").asText(), "manifest lists " + pieces.get(i).fileName());
            assertEquals(corpus.get("acceptedFiles").get(i), listed, "manifest and record agree on each file");
        }
        for (int i = 0; i < pieces.size(); i++) {
            String key = corpus.get("uploadKeys").get(i).asText();
            assertArrayEquals(pieces.get(i).midi(), read(s3, "corpora", key), "raw upload stored as received");
        }

        JsonNode event = awaitEvent(stack, "corpora.ingested", id);
        assertEquals("corpora.ingested", event.get("type").asText());
        assertEquals(EventIds.of("corpora.ingested", id), event.get("eventId").asText(),
                "the event id is derived from the corpus, so a re-sent event is recognisable");
        Instant occurredAt = Instant.parse(event.get("occurredAt").asText());
        assertFalse(occurredAt.isBefore(Instant.parse(corpus.get("createdAt").asText())), event.toString());
        assertFalse(occurredAt.isAfter(Instant.parse(corpus.get("updatedAt").asText())), event.toString());
        assertEquals("performance", event.get("encoding").asText());
        assertEquals(counts.get("sequences").asInt(), event.get("sequenceCount").asInt());
        assertEquals(counts.get("sequenceLength").asInt(), event.get("sequenceLength").asInt());
        assertEquals(388, event.get("vocabularySize").asInt());
        assertEquals(dataset.get("sequences").asText(), event.get("sequencesKey").asText());
        assertEquals(dataset.get("vocabulary").asText(), event.get("vocabularyKey").asText());
        assertEquals(dataset.get("manifest").asText(), event.get("manifestKey").asText());
        assertEquals(id + "/notes.bin", event.get("notesKey").asText());

        // The same content again is recognised: same corpus, no second dataset.
        var again = given().multiPart("name", "same pieces, other name");
        for (GeneratedPiece piece : pieces) {
            again = again.multiPart("files", piece.fileName(), piece.midi(), "audio/midi");
        }
        again.when().post("/api/corpora").then().statusCode(200).body("id", equalTo(id));

        given().when().get("/api/corpora").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(id));
    }

    @Test
    void seedEncodingIsChosenPerUploadAndTheSameFilesInAnotherEncodingAreAnotherCorpus() throws Exception {
        List<GeneratedPiece> pieces = TestCorpora.pieces(13, 3);
        String seedId = upload(pieces, "seed").then().statusCode(202).body("encoding", equalTo("seed"))
                .extract().path("id");
        JsonNode corpus = CorpusPolling.awaitFinished(seedId);
        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        assertEquals("seed", corpus.get("encoding").asText());
        JsonNode counts = corpus.get("counts");
        assertEquals(100, counts.get("sequenceLength").asInt(), "seed windows are 100 tokens, as in the study");
        assertEquals(50, counts.get("stride").asInt());
        assertEquals(notesOf(pieces), counts.get("notes").asLong());
        assertTrue(counts.get("unknownShare").asDouble() >= 0 && counts.get("unknownShare").asDouble() < 0.5);

        MinioClient s3 = MinioClient.builder().endpoint(stack.s3Endpoint())
                .credentials(stack.accessKey(), stack.secretKey()).build();
        JsonNode dataset = corpus.get("dataset");
        Encoding encoding = Encodings.read(read(s3, "datasets", dataset.get("vocabulary").asText()));
        assertInstanceOf(SeedEncoding.class, encoding);
        assertEquals(counts.get("vocabularySize").asInt(), encoding.size());
        assertStoredNotes(s3, dataset, pieces);
        SequenceSet sequences = SequenceCodec.decode(read(s3, "datasets", dataset.get("sequences").asText()));
        assertEquals(100, sequences.sequenceLength());
        assertEquals("seed", JSON.readTree(read(s3, "datasets", dataset.get("manifest").asText()))
                .get("encoding").asText());
        assertEquals("seed", awaitEvent(stack, "corpora.ingested", seedId).get("encoding").asText());

        // the same files with the default encoding make a new dataset; the seed upload again finds the first
        String performanceId = upload(pieces, null).then().statusCode(202).body("encoding", equalTo("performance"))
                .extract().path("id");
        assertNotEquals(seedId, performanceId);
        assertEquals("READY", CorpusPolling.awaitFinished(performanceId).get("status").asText());
        upload(pieces, " Seed ").then().statusCode(200).body("id", equalTo(seedId));
    }

    @Test
    void windowNotesSetsTheWindowOfOneUpload() throws Exception {
        List<GeneratedPiece> pieces = TestCorpora.pieces(17, 3);
        var request = given().multiPart("name", "short windows").multiPart("windowNotes", "20");
        for (GeneratedPiece piece : pieces) {
            request = request.multiPart("files", piece.fileName(), piece.midi(), "audio/midi");
        }
        String id = request.when().post("/api/corpora").then().statusCode(202).body("windowNotes", equalTo(20))
                .extract().path("id");
        JsonNode corpus = CorpusPolling.awaitFinished(id);
        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        JsonNode counts = corpus.get("counts");
        assertEquals(Math.round(20.0 * counts.get("events").asLong() / counts.get("notes").asLong()),
                counts.get("sequenceLength").asInt());
        assertEquals(20, counts.get("notesPerWindow").asDouble(), 0.5);
    }

    @Test
    void zipOfMidiFilesIsExpandedAndUnsupportedEntriesAreRejectedWithReason() {
        List<GeneratedPiece> pieces = TestCorpora.pieces(11, 3);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (GeneratedPiece piece : pieces) {
            entries.put("set/" + piece.fileName(), piece.midi());
        }
        entries.put("set/README.txt", "notes about the set".getBytes());
        String id = given().multiPart("name", "zipped")
                .multiPart("files", "set.zip", TestCorpora.zip(entries), "application/zip")
                .when().post("/api/corpora").then().statusCode(202).extract().path("id");

        JsonNode corpus = CorpusPolling.awaitFinished(id);
        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        assertEquals(3, corpus.get("acceptedFiles").size());
        assertEquals(1, corpus.get("rejectedFiles").size());
        assertEquals("set.zip/set/README.txt", corpus.get("rejectedFiles").get(0).get("file").asText());
        assertTrue(corpus.get("rejectedFiles").get(0).get("reason").asText().contains("unsupported file type"));
    }

    @Test
    void metadataCsvLabelsEachPieceAndRowsForAbsentFilesAreWarnings() throws Exception {
        List<GeneratedPiece> pieces = TestCorpora.pieces(29, 4);
        // file is not the first column, a title holds a comma, one piece has no composer, one row names no upload
        String metadata = "title,file,composer,year\r\n"
                + "\"Prelude, first\"," + pieces.get(0).fileName() + ",Bach,1722\r\n"
                + "Fugue," + pieces.get(1).fileName() + ", Bach ,1722\r\n"
                + "Nocturne," + pieces.get(2).fileName() + ",\"Chopin, F.\",1830\r\n"
                + "Untitled," + pieces.get(3).fileName() + ",,\r\n"
                + "Gone,absent.mid,Liszt,1850\r\n";
        var request = given().multiPart("name", "labelled by metadata")
                .multiPart("files", "metadata.csv", metadata.getBytes(StandardCharsets.UTF_8), "text/csv");
        for (GeneratedPiece piece : pieces) {
            request = request.multiPart("files", piece.fileName(), piece.midi(), "audio/midi");
        }
        Response accepted = request.when().post("/api/corpora");
        accepted.then().statusCode(202).body("labelSource", equalTo("metadata"))
                .body("warnings[0]", containsString("'absent.mid'"));
        String id = accepted.jsonPath().getString("id");

        JsonNode corpus = CorpusPolling.awaitFinished(id);
        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        assertEquals(4, corpus.get("acceptedFiles").size(), "metadata.csv is read, not taken for a piece");
        assertEquals(0, corpus.get("rejectedFiles").size(), corpus.toString());
        assertEquals(4, corpus.get("counts").get("files").asInt());
        List<String> labels = new ArrayList<>();
        corpus.get("acceptedFiles").forEach(f -> labels.add(f.get("label").isNull() ? null : f.get("label").asText()));
        assertEquals(Arrays.asList("Bach", "Bach", "Chopin, F.", null), labels);
        assertEquals(JSON.readTree("[{\"label\":\"Bach\",\"pieces\":2},{\"label\":\"Chopin, F.\",\"pieces\":1}]"),
                corpus.get("labels"));
        assertEquals(1, corpus.get("warnings").size(), corpus.get("warnings").toString());
        assertTrue(corpus.get("warnings").get(0).asText().contains("'absent.mid'"));

        MinioClient s3 = MinioClient.builder().endpoint(stack.s3Endpoint())
                .credentials(stack.accessKey(), stack.secretKey()).build();
        JsonNode manifest = JSON.readTree(read(s3, "datasets", corpus.get("dataset").get("manifest").asText()));
        assertEquals(corpus.get("labels"), manifest.get("labels"), "the manifest lists the labels with counts");
        assertEquals(corpus.get("acceptedFiles"), manifest.get("files"), "and each file's label");
        assertEquals("Bach", manifest.get("files").get(0).get("label").asText());
        assertEquals("metadata", manifest.get("labelSource").asText());
    }

    @Test
    void topFoldersOfAZipLabelThePiecesWhenThereIsNoMetadata() throws Exception {
        List<GeneratedPiece> pieces = TestCorpora.pieces(31, 4);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("chopin/" + pieces.get(0).fileName(), pieces.get(0).midi());
        entries.put("chopin/op10/" + pieces.get(1).fileName(), pieces.get(1).midi());
        entries.put("bach/" + pieces.get(2).fileName(), pieces.get(2).midi());
        entries.put(pieces.get(3).fileName(), pieces.get(3).midi());
        String id = given().multiPart("name", "labelled by folders")
                .multiPart("files", "composers.zip", TestCorpora.zip(entries), "application/zip")
                .when().post("/api/corpora").then().statusCode(202).extract().path("id");

        JsonNode corpus = CorpusPolling.awaitFinished(id);
        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        assertEquals("folders", corpus.get("labelSource").asText());
        Map<String, String> labelByFile = new LinkedHashMap<>();
        corpus.get("acceptedFiles").forEach(f -> labelByFile.put(f.get("file").asText(),
                f.get("label").isNull() ? "(none)" : f.get("label").asText()));
        assertEquals(Map.of(
                "composers.zip/chopin/" + pieces.get(0).fileName(), "chopin",
                "composers.zip/chopin/op10/" + pieces.get(1).fileName(), "chopin",
                "composers.zip/bach/" + pieces.get(2).fileName(), "bach",
                "composers.zip/" + pieces.get(3).fileName(), "(none)"), labelByFile);
        assertEquals(JSON.readTree("[{\"label\":\"bach\",\"pieces\":1},{\"label\":\"chopin\",\"pieces\":2}]"),
                corpus.get("labels"));
        assertEquals(0, corpus.get("warnings").size());

        MinioClient s3 = MinioClient.builder().endpoint(stack.s3Endpoint())
                .credentials(stack.accessKey(), stack.secretKey()).build();
        JsonNode manifest = JSON.readTree(read(s3, "datasets", corpus.get("dataset").get("manifest").asText()));
        assertEquals(corpus.get("labels"), manifest.get("labels"));
        assertEquals("chopin", manifest.get("files").get(0).get("label").asText());
    }

    @Test
    void aCorpusWithoutMetadataOrFoldersHasNoLabels() {
        String id = upload(TestCorpora.pieces(37, 2), null).then().statusCode(202).extract().path("id");
        JsonNode corpus = CorpusPolling.awaitFinished(id);
        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        assertEquals("none", corpus.get("labelSource").asText());
        assertEquals(0, corpus.get("labels").size());
        assertTrue(corpus.get("acceptedFiles").get(0).get("label").isNull());
    }

    @Test
    void healthReportsKafkaAndObjectStoreAndApiIsDocumented() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body(containsString("object-store"))
                .body(containsString("Kafka connection health check"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/corpora"));
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    private static Response upload(List<GeneratedPiece> pieces, String encoding) {
        var request = given().multiPart("name", encoding == null ? "default encoding" : "encoded as " + encoding);
        if (encoding != null) {
            request = request.multiPart("encoding", encoding);
        }
        for (GeneratedPiece piece : pieces) {
            request = request.multiPart("files", piece.fileName(), piece.midi(), "audio/midi");
        }
        return request.when().post("/api/corpora");
    }

    /** Notes of the pieces as the service reads them: the sustain pedal folded into their lengths. */
    private static long notesOf(List<GeneratedPiece> pieces) throws Exception {
        long notes = 0;
        for (GeneratedPiece piece : pieces) {
            notes += MidiReader.sounding().read(piece.midi()).notes().size();
        }
        return notes;
    }

    /** notes.bin holds each accepted piece's notes, in upload order. */
    private static void assertStoredNotes(MinioClient s3, JsonNode dataset, List<GeneratedPiece> pieces)
            throws Exception {
        List<Score> stored = NotesCodec.decode(read(s3, "datasets", dataset.get("notes").asText()));
        assertEquals(pieces.size(), stored.size());
        for (int i = 0; i < pieces.size(); i++) {
            Score expected = MidiReader.sounding().read(pieces.get(i).midi());
            assertEquals(expected.notes().size(), stored.get(i).notes().size(), pieces.get(i).fileName());
            assertEquals(expected.notes(), stored.get(i).notes(), pieces.get(i).fileName());
        }
    }

    static byte[] read(MinioClient s3, String bucket, String key) throws Exception {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }


    static JsonNode awaitEvent(LocalStack stack, String topic, String corpusId) throws Exception {
        ConsumerRecord<String, String> record = stack.topics().await(topic,
                r -> corpusId.equals(field(r, "corpusId")), Duration.ofSeconds(30));
        assertEquals(corpusId, record.key(), "events are keyed by corpus id");
        return JSON.readTree(record.value());
    }

}
