package org.musicgen.ingest.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.musicgen.core.dataset.NotesCodec;
import org.musicgen.core.dataset.SequenceCodec;
import org.musicgen.core.dataset.SequenceSet;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.encoding.PerformanceEncoding;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Score;
import org.musicgen.core.synth.DrumGrooves;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;

import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploads with drums and other instruments, through HTTP against a real broker and object store: each file says what
 * became of its drum hits and of instruments read as piano.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class DrumIngestionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MidiReader WITH_DRUMS = MidiReader.sounding().withDrums();
    private static final String KEEP_THEM = " drum hits left out (the performance-drums encoding keeps them)";

    @InjectLocalStack
    LocalStack stack;

    @Test
    void performanceDrumsReportsEachFilesDrumHitsBesideItsNotesAndKeepsThem() throws Exception {
        List<GeneratedPiece> pieces = new DrumGrooves(21).generate(2);
        JsonNode corpus = CorpusPolling.awaitFinished(upload(pieces, "performance-drums", "groove")
                .then().statusCode(202).body("encoding", equalTo("performance-drums")).extract().path("id"));

        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        assertEquals("performance-drums", corpus.get("encoding").asText());
        long hitsInAll = 0;
        for (int i = 0; i < pieces.size(); i++) {
            JsonNode file = corpus.get("acceptedFiles").get(i);
            byte[] midi = pieces.get(i).midi();
            int hits = DrumKit.hits(WITH_DRUMS.read(midi));
            assertTrue(hits > 50, pieces.get(i) + " has a groove");
            assertEquals(hits, file.get("drumHits").asInt(), file.toString());
            assertEquals(MidiReader.sounding().read(midi).notes().size(), file.get("notes").asInt(),
                    "notes are the piano's, drum hits apart: " + file);
            assertEquals("", file.get("instruments").asText(), "nothing left out: " + file);
            hitsInAll += hits;
        }
        JsonNode counts = corpus.get("counts");
        assertEquals(hitsInAll, counts.get("drumHits").asLong());
        assertEquals(PerformanceEncoding.SIZE_WITH_DRUMS, counts.get("vocabularySize").asInt());

        MinioClient s3 = s3();
        JsonNode dataset = corpus.get("dataset");
        List<Score> stored = NotesCodec.decode(CorpusIngestionTest.read(s3, "datasets", dataset.get("notes").asText()));
        for (int i = 0; i < pieces.size(); i++) {
            assertEquals(WITH_DRUMS.read(pieces.get(i).midi()).notes(), stored.get(i).notes(),
                    "the stored notes keep the hits on the drum channel");
            assertEquals(corpus.get("acceptedFiles").get(i).get("drumHits").asInt(), DrumKit.hits(stored.get(i)));
        }
        Encoding encoding = Encodings.read(CorpusIngestionTest.read(s3, "datasets", dataset.get("vocabulary").asText()));
        assertEquals("performance-drums", encoding.name());
        assertEquals(PerformanceEncoding.SIZE_WITH_DRUMS, encoding.size());
        assertTrue(drumEvents(s3, dataset) > hitsInAll / 2, "the windows hold DRUM events (they overlap by half)");
        JsonNode manifest = JSON.readTree(CorpusIngestionTest.read(s3, "datasets", dataset.get("manifest").asText()));
        assertEquals("performance-drums", manifest.get("encoding").asText());
        assertEquals(hitsInAll, manifest.get("counts").get("drumHits").asLong());
        assertEquals(corpus.get("acceptedFiles").get(0).get("drumHits").asInt(),
                manifest.get("files").get(0).get("drumHits").asInt());
        assertEquals("", manifest.get("files").get(0).get("instruments").asText());
        assertEquals("performance-drums",
                CorpusIngestionTest.awaitEvent(stack, "corpora.ingested", corpus.get("id").asText())
                        .get("encoding").asText());
    }

    @Test
    void thePianoOnlyEncodingSaysPerFileThatItsDrumHitsWereLeftOut() throws Exception {
        List<GeneratedPiece> pieces = new DrumGrooves(22).generate(2);
        JsonNode corpus = CorpusPolling.awaitFinished(upload(pieces, "performance", "groove as piano")
                .then().statusCode(202).extract().path("id"));

        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        for (int i = 0; i < pieces.size(); i++) {
            JsonNode file = corpus.get("acceptedFiles").get(i);
            int hits = DrumKit.hits(WITH_DRUMS.read(pieces.get(i).midi()));
            assertEquals(hits + KEEP_THEM, file.get("instruments").asText());
            assertEquals(0, file.get("drumHits").asInt());
            assertEquals(MidiReader.sounding().read(pieces.get(i).midi()).notes().size(), file.get("notes").asInt());
        }
        assertEquals(0, corpus.get("counts").get("drumHits").asLong());
        assertEquals(PerformanceEncoding.SIZE, corpus.get("counts").get("vocabularySize").asInt());
        MinioClient s3 = s3();
        JsonNode dataset = corpus.get("dataset");
        assertEquals(0, drumEvents(s3, dataset), "no DRUM event in the piano-only encoding");
        for (Score score : NotesCodec.decode(CorpusIngestionTest.read(s3, "datasets", dataset.get("notes").asText()))) {
            assertFalse(score.hasDrums());
        }
        JsonNode manifest = JSON.readTree(CorpusIngestionTest.read(s3, "datasets", dataset.get("manifest").asText()));
        assertEquals(corpus.get("acceptedFiles").get(1).get("instruments").asText(),
                manifest.get("files").get(1).get("instruments").asText());
    }

    @Test
    void notesOfAGuitarProgramAreReadAsPianoAndTheFileSaysSo() throws Exception {
        byte[] guitar = guitarAndPiano();
        JsonNode corpus = CorpusPolling.awaitFinished(given().multiPart("name", "guitar")
                .multiPart("files", "guitar.mid", guitar, "audio/midi")
                .when().post("/api/corpora").then().statusCode(202).extract().path("id"));

        assertEquals("READY", corpus.get("status").asText(), corpus.toString());
        JsonNode file = corpus.get("acceptedFiles").get(0);
        assertEquals("notes of General MIDI programs 25 read as piano", file.get("instruments").asText());
        assertEquals(48, file.get("notes").asInt(), "the guitar's 32 notes and the piano's 16");
        assertEquals(0, file.get("drumHits").asInt());
    }

    @Test
    void drumsAloneAreAcceptedWithDrumsAndRejectedWithAReasonWithout() throws Exception {
        byte[] groove = new MidiWriter().write(DrumGrooves.grooveOnly(60, new Random(3)));
        int hits = DrumKit.hits(WITH_DRUMS.read(groove));
        GeneratedPiece piano = new DrumGrooves(23).piece(0);

        JsonNode kept = CorpusPolling.awaitFinished(given().multiPart("name", "drums alone")
                .multiPart("encoding", "performance-drums")
                .multiPart("files", "groove.mid", groove, "audio/midi")
                .when().post("/api/corpora").then().statusCode(202).extract().path("id"));
        assertEquals("READY", kept.get("status").asText(), kept.toString());
        JsonNode file = kept.get("acceptedFiles").get(0);
        assertEquals(0, file.get("notes").asInt());
        assertEquals(hits, file.get("drumHits").asInt());
        assertEquals(hits, kept.get("counts").get("drumHits").asInt());

        JsonNode refused = CorpusPolling.awaitFinished(given().multiPart("name", "drums alone as piano")
                .multiPart("encoding", "performance")
                .multiPart("files", "groove.mid", groove, "audio/midi")
                .multiPart("files", piano.fileName(), piano.midi(), "audio/midi")
                .when().post("/api/corpora").then().statusCode(202).extract().path("id"));
        assertEquals("READY", refused.get("status").asText(), refused.toString());
        assertEquals(1, refused.get("acceptedFiles").size());
        JsonNode rejected = refused.get("rejectedFiles").get(0);
        assertEquals("groove.mid", rejected.get("file").asText());
        assertEquals("no notes outside the drum channel (" + hits + " drum hits, left out); the performance encoding "
                + "has no drums: upload it in the performance-drums encoding to keep them",
                rejected.get("reason").asText());
    }

    private static Response upload(List<GeneratedPiece> pieces, String encoding, String name) {
        var request = given().multiPart("name", name).multiPart("encoding", encoding);
        for (GeneratedPiece piece : pieces) {
            request = request.multiPart("files", piece.fileName(), piece.midi(), "audio/midi");
        }
        return request.when().post("/api/corpora");
    }

    private MinioClient s3() {
        return MinioClient.builder().endpoint(stack.s3Endpoint())
                .credentials(stack.accessKey(), stack.secretKey()).build();
    }

    private static long drumEvents(MinioClient s3, JsonNode dataset) throws Exception {
        SequenceSet windows = SequenceCodec.decode(CorpusIngestionTest.read(s3, "datasets",
                dataset.get("sequences").asText()));
        long drums = 0;
        for (int[] window : windows.sequences()) {
            for (int id : window) {
                if (id >= PerformanceEncoding.DRUM) {
                    drums++;
                }
            }
        }
        return drums;
    }

    /** A nylon-string guitar (General MIDI program 25) on channel 1 playing 32 notes over 16 of a piano on channel 2. */
    private static byte[] guitarAndPiano() throws Exception {
        Sequence sequence = new Sequence(Sequence.PPQ, 480);
        Track track = sequence.createTrack();
        track.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, 0, 24, 0), 0));
        track.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, 1, 0, 0), 0));
        for (int i = 0; i < 32; i++) {
            note(track, 0, 52 + (i * 5) % 17, i * 240L, 200);
        }
        for (int i = 0; i < 16; i++) {
            note(track, 1, 60 + (i * 7) % 12, i * 480L, 400);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MidiSystem.write(sequence, 1, out);
        return out.toByteArray();
    }

    private static void note(Track track, int channel, int pitch, long tick, long length) throws Exception {
        track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, pitch, 90), tick));
        track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, pitch, 0), tick + length));
    }
}
