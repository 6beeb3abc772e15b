package org.musicgen.ingest.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.localstack.LocalStackTestResource;

import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad input gets a clear problem+json answer, and good files next to bad ones still go
 * through. Limits come from the test profile: 2 MiB uploads, 1 MiB files, 4 MiB archive expansion, 200 entries.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class BadInputTest {

    private final byte[] good = TestCorpora.pieces(3, 1).get(0).midi();

    @Test
    void nonMidiAndTruncatedFilesAreRejectedWithReasonsWhileTheRestGoesThrough() {
        String id = given().multiPart("name", "mixed")
                .multiPart("files", "good.mid", good, "audio/midi")
                .multiPart("files", "letter.mid", "Dear Sir, this is not music".getBytes(), "audio/midi")
                .multiPart("files", "cut.mid", TestCorpora.truncated(good), "audio/midi")
                .when().post("/api/corpora").then().statusCode(202).extract().path("id");

        JsonNode corpus = CorpusPolling.awaitFinished(id);
        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        assertEquals(1, corpus.get("acceptedFiles").size());
        Map<String, String> reasons = reasons(corpus);
        assertTrue(reasons.get("letter.mid").contains("not a Standard MIDI File"), reasons.toString());
        assertTrue(reasons.get("cut.mid").contains("truncated"), reasons.toString());
    }

    @Test
    void corpusWithoutAnyValidFileEndsFailedWithReasons() {
        String id = given().multiPart("name", "nothing usable")
                .multiPart("files", "empty.mid", new byte[0], "audio/midi")
                .multiPart("files", "photo.midi", new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x10}, "audio/midi")
                .when().post("/api/corpora").then().statusCode(202).extract().path("id");

        JsonNode corpus = CorpusPolling.awaitFinished(id);
        assertEquals("FAILED", corpus.get("status").asText());
        assertTrue(corpus.get("failure").asText().contains("no valid MIDI file"));
        assertEquals(2, corpus.get("rejectedFiles").size());
        reasons(corpus).values().forEach(reason -> assertTrue(reason.length() > 10, reason));
    }

    @Test
    void zipEntryEscapingTheArchiveIsRefused() {
        int before = corpusCount();
        refusedArchive(Map.of("../../etc/evil.mid", good), "unsafe path");
        refusedArchive(Map.of("/tmp/absolute.mid", good), "unsafe path");
        assertEquals(before, corpusCount(), "a refused upload stores nothing");
    }

    @Test
    void archivesNestedMoreThanOneLevelAreRefusedButOneLevelIsAccepted() {
        byte[] inner = TestCorpora.zip(Map.of("piece.mid", good));
        byte[] middle = TestCorpora.zip(Map.of("inner.zip", inner));
        refusedArchive(Map.of("middle.zip", middle), "nested");

        List<GeneratedPiece> pieces = TestCorpora.pieces(5, 1);
        byte[] oneLevel = TestCorpora.zip(Map.of("inner.zip", TestCorpora.zip(Map.of("p.mid", pieces.get(0).midi()))));
        String id = given().multiPart("name", "one level").multiPart("files", "outer.zip", oneLevel, "application/zip")
                .when().post("/api/corpora").then().statusCode(202).extract().path("id");
        assertEquals("READY", CorpusPolling.awaitFinished(id).get("status").asText());
    }

    @Test
    void archiveExpandingBeyondTheLimitIsRefused() {
        // five files of 900 KiB of zeros compress to a few KiB: each under the 1 MiB file limit, 4.4 MiB together
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            files.put("part" + i + ".mid", new byte[900 * 1024]);
        }
        int before = corpusCount();
        refusedArchive(files, 413, "expands beyond the limit of 4194304 bytes");
        assertEquals(before, corpusCount(), "a refused upload stores nothing");
    }

    /** The archive of the report: 1 MB holding a 1 GiB ZIP64 entry; with -Xmx384m it once answered 500 (OOM). */
    @Test
    void aZipBombGets413NamingTheEntryAndTheLimitAlsoTenAtOnce() throws Exception {
        byte[] bomb = TestCorpora.zip64Bomb("big.mid", 1L << 30);
        assertTrue(bomb.length < 1_200_000, "the archive is about 1 MB: " + bomb.length);
        int before = corpusCount();
        assertRefusedBomb(postBomb(bomb));
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(clients.submit(() -> postBomb(bomb)));
            }
            for (Future<ExtractableResponse<Response>> answer : answers) {
                assertRefusedBomb(answer.get(2, TimeUnit.MINUTES));
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(before, corpusCount(), "a refused upload stores nothing");
        given().when().get("/q/health/ready").then().statusCode(200);
        String id = given().multiPart("name", "after the bombs").multiPart("files", "good.mid", good, "audio/midi")
                .when().post("/api/corpora").then().statusCode(202).extract().path("id");
        assertEquals("READY", CorpusPolling.awaitFinished(id).get("status").asText());
    }

    private static ExtractableResponse<Response> postBomb(byte[] bomb) {
        return given().multiPart("name", "bomb").multiPart("files", "bomb.zip", bomb, "application/zip")
                .when().post("/api/corpora").then().extract();
    }

    private static void assertRefusedBomb(ExtractableResponse<Response> response) {
        assertEquals(413, response.statusCode(), response.body().asString());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        String detail = response.path("detail");
        assertTrue(detail.contains("'bomb.zip/big.mid'") && detail.contains("limit of 1048576 bytes"), detail);
    }

    @Test
    void aMidiFileOverTheFileLimitGets413() {
        given().multiPart("name", "huge piece")
                .multiPart("files", "huge.mid", new byte[1536 * 1024], "audio/midi")
                .when().post("/api/corpora")
                .then().statusCode(413)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("'huge.mid' is larger than the limit of 1048576 bytes"));
    }

    @Test
    void oversizedUploadGets413() {
        given().multiPart("name", "too big")
                .multiPart("files", "big.mid", new byte[3 * 1024 * 1024], "audio/midi")
                .when().post("/api/corpora")
                .then().statusCode(413)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(413))
                .body("detail", containsString("more than the limit of 2097152 bytes"));
    }

    @Test
    void missingPartsGet400() {
        given().multiPart("files", "good.mid", good, "audio/midi")
                .when().post("/api/corpora")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("'name'"));
        given().multiPart("name", "no files")
                .when().post("/api/corpora")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("no file part"));
    }

    @Test
    void unknownEncodingOrWindowGets400AndStoresNothing() {
        int before = corpusCount();
        given().multiPart("name", "odd encoding").multiPart("encoding", "midi-like")
                .multiPart("files", "good.mid", good, "audio/midi")
                .when().post("/api/corpora")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400))
                .body("detail", containsString("unknown encoding 'midi-like'"))
                .body("detail", containsString("performance, performance-drums, seed"));
        for (String window : List.of("many", "1", "100000")) {
            given().multiPart("name", "odd window").multiPart("windowNotes", window)
                    .multiPart("files", "good.mid", good, "audio/midi")
                    .when().post("/api/corpora")
                    .then().statusCode(400).contentType(startsWith("application/problem+json"))
                    .body("detail", containsString("'windowNotes' must be a whole number of notes from 2 to 2000"));
        }
        assertEquals(before, corpusCount(), "a refused upload stores nothing");
    }

    @Test
    void malformedMetadataCsvGets400NamingTheLineAndStoresNothing() {
        int before = corpusCount();
        List<GeneratedPiece> pieces = TestCorpora.pieces(41, 2);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("set/" + pieces.get(0).fileName(), pieces.get(0).midi());
        entries.put("set/" + pieces.get(1).fileName(), pieces.get(1).midi());
        // line 3: an unquoted comma in the composer makes one field too many
        entries.put("set/metadata.csv", ("file,composer\n" + pieces.get(0).fileName() + ",Bach\n"
                + pieces.get(1).fileName() + ",Bach, J. S.\n").getBytes());
        refusedArchive(entries, "line 3");
        refusedArchive(entries, "'corpus.zip/set/metadata.csv' is malformed");

        given().multiPart("name", "no label column")
                .multiPart("files", "metadata.csv", "file,title,year\na.mid,x,1900\n".getBytes(), "text/csv")
                .multiPart("files", pieces.get(0).fileName(), pieces.get(0).midi(), "audio/midi")
                .when().post("/api/corpora")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("no label column"))
                .body("detail", containsString("line 1"));
        given().multiPart("name", "bad label")
                .multiPart("files", "metadata.csv", ("file,style\n\n" + pieces.get(0).fileName() + ",a|b\n").getBytes(),
                        "text/csv")
                .multiPart("files", pieces.get(0).fileName(), pieces.get(0).midi(), "audio/midi")
                .when().post("/api/corpora")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("line 3"))
                .body("detail", containsString("'|'"));
        assertEquals(before, corpusCount(), "a refused upload stores nothing");
    }

    @Test
    void unknownIdsGet404() {
        given().when().get("/api/corpora/" + UUID.randomUUID())
                .then().statusCode(404).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("no corpus with id"));
        given().when().get("/api/corpora/not-an-id")
                .then().statusCode(404).contentType(startsWith("application/problem+json"));
    }

    private void refusedArchive(Map<String, byte[]> entries, String reason) {
        refusedArchive(entries, 400, reason);
    }

    private void refusedArchive(Map<String, byte[]> entries, int status, String reason) {
        given().multiPart("name", "refused")
                .multiPart("files", "corpus.zip", TestCorpora.zip(new LinkedHashMap<>(entries)), "application/zip")
                .when().post("/api/corpora")
                .then().statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString(reason));
    }

    private static int corpusCount() {
        return given().when().get("/api/corpora").then().statusCode(200).extract().jsonPath().getList("$").size();
    }

    private static Map<String, String> reasons(JsonNode corpus) {
        Map<String, String> reasons = new LinkedHashMap<>();
        corpus.get("rejectedFiles").forEach(r -> reasons.put(r.get("file").asText(), r.get("reason").asText()));
        return reasons;
    }
}
