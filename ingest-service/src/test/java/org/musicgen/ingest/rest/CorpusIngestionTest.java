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
import org.musicgen.core.dataset.SequenceCodec;
import org.musicgen.core.dataset.SequenceSet;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;

import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(4, corpus.get("acceptedFiles").size());
        assertEquals(0, corpus.get("rejectedFiles").size());
        JsonNode counts = corpus.get("counts");
        assertEquals(100, counts.get("sequenceLength").asInt());
        assertTrue(counts.get("sequences").asInt() >= 4, "each piece gives at least one 100-token sequence");
        assertTrue(counts.get("vocabularySize").asInt() > 10);
        assertTrue(counts.get("notes").asLong() > 100);

        MinioClient s3 = MinioClient.builder().endpoint(stack.s3Endpoint())
                .credentials(stack.accessKey(), stack.secretKey()).build();
        JsonNode dataset = corpus.get("dataset");
        SequenceSet sequences = SequenceCodec.decode(read(s3, "datasets", dataset.get("sequences").asText()));
        assertEquals(counts.get("sequences").asInt(), sequences.sequences().size());
        assertEquals(100, sequences.sequences().get(0).length);
        String vocabulary = new String(read(s3, "datasets", dataset.get("vocabulary").asText()));
        assertEquals(counts.get("vocabularySize").asInt(), vocabulary.split("\n").length);
        JsonNode manifest = JSON.readTree(read(s3, "datasets", dataset.get("manifest").asText()));
        for (GeneratedPiece piece : pieces) {
            assertTrue(manifest.toString().contains(sha256(piece.midi())), "manifest lists " + piece.fileName());
        }
        for (int i = 0; i < pieces.size(); i++) {
            String key = corpus.get("uploadKeys").get(i).asText();
            assertArrayEquals(pieces.get(i).midi(), read(s3, "corpora", key), "raw upload stored as received");
        }

        JsonNode event = awaitEvent(stack, "corpora.ingested", id);
        assertEquals("corpora.ingested", event.get("type").asText());
        assertNotNull(event.get("eventId").asText());
        assertNotNull(event.get("occurredAt").asText());
        assertEquals(counts.get("sequences").asInt(), event.get("sequenceCount").asInt());
        assertEquals(dataset.get("sequences").asText(), event.get("sequencesKey").asText());

        // The same content again is recognised: same corpus, no second dataset.
        var again = given().multiPart("name", "same pieces, other name");
        for (GeneratedPiece piece : pieces) {
            again = again.multiPart("files", piece.fileName(), piece.midi(), "audio/midi");
        }
        again.when().post("/api/corpora").then().statusCode(200).body("id", equalTo(id));

        given().when().get("/api/corpora").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem(id));
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
    void healthReportsKafkaAndObjectStoreAndApiIsDocumented() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body(containsString("object-store"))
                .body(containsString("Kafka connection health check"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/corpora"));
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    static byte[] read(MinioClient s3, String bucket, String key) throws Exception {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    static JsonNode awaitEvent(LocalStack stack, String topic, String corpusId) throws Exception {
        ConsumerRecord<String, String> record = stack.topics().await(topic,
                r -> corpusId.equals(readCorpusId(r.value())), Duration.ofSeconds(30));
        assertEquals(corpusId, record.key(), "events are keyed by corpus id");
        return JSON.readTree(record.value());
    }

    private static String readCorpusId(String value) {
        try {
            return JSON.readTree(value).path("corpusId").asText();
        } catch (Exception e) {
            return null;
        }
    }
}
