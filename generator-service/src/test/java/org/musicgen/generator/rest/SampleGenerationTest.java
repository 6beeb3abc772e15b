package org.musicgen.generator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.PianoSynth;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.generator.model.ModelCache;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.ModelTrained;
import org.musicgen.testing.TestDatasets;
import org.musicgen.testing.TestModels;
import org.musicgen.testing.TestObjects;

import javax.imageio.ImageIO;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.musicgen.testing.EventFields.field;

/**
 * The generator against the real local stack, with small models really trained in the test and announced on
 * {@code models.trained} exactly as the trainer announces them.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class SampleGenerationTest {

    private static Trained trained;
    private static Trained performance;

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectMapper json;

    @Inject
    ModelCache models;

    record Trained(String corpusId, ModelTrained lstm, ModelTrained gan) {
    }

    /** Trains, announces and waits for both batches once for the whole class: a seed-encoded corpus. */
    private Trained trained() throws Exception {
        if (trained == null) {
            trained = trainAndAnnounce(TestDatasets.oneKeyCorpus(12));
        }
        return trained;
    }

    /** The same for a corpus in the performance encoding. */
    private Trained performance() throws Exception {
        if (performance == null) {
            performance = trainAndAnnounce(TestDatasets.oneKeyCorpus(12, "performance"));
        }
        return performance;
    }

    private Trained trainAndAnnounce(CorpusDataset dataset) throws Exception {
        String corpusId = TestDatasets.publish(stack, dataset);
        ModelTrained lstm = TestModels.trainLstm(stack, corpusId, dataset, 3);
        ModelTrained gan = TestModels.trainGan(stack, corpusId, dataset, 2);
        stack.topics().send("models.trained", lstm.runId(), json.writeValueAsString(lstm));
        stack.topics().send("models.trained", gan.runId(), json.writeValueAsString(gan));
        // batch-size 2 per model (test profile), one corpus excerpt and its low anchor
        stack.topics().awaitCount("samples.generated", r -> corpusId.equals(field(r, "corpusId")), 6,
                Duration.ofSeconds(240));
        return new Trained(corpusId, lstm, gan);
    }

    @Test
    void aTrainedModelGetsItsBatchOfPlayableSamplesAndEvents() throws Exception {
        Trained t = trained();
        List<ConsumerRecord<String, String>> events = stack.topics().readAll("samples.generated",
                r -> t.corpusId().equals(field(r, "corpusId")), Duration.ofSeconds(2));
        // The corpus excerpt and its anchor are announced by both models' batches, with the same sample and event id.
        assertEquals(6, distinct(events, "sampleId"), "2 LSTM + 2 GAN samples + 1 corpus excerpt + its anchor");
        assertEquals(distinct(events, "sampleId"), distinct(events, "eventId"));
        assertEquals(2, distinct(events.stream().filter(r -> "lstm".equals(field(r, "model"))).toList(), "sampleId"));
        assertEquals(2, distinct(events.stream().filter(r -> "gan".equals(field(r, "model"))).toList(), "sampleId"));
        assertEquals(1, distinct(events.stream().filter(r -> "corpus".equals(field(r, "model"))).toList(),
                "sampleId"));
        assertEquals(1, distinct(events.stream().filter(r -> "anchor".equals(field(r, "model"))).toList(),
                "sampleId"));
        assertEverySourceFillsTheClip(events);

        TestObjects objects = TestObjects.of(stack);
        for (ConsumerRecord<String, String> record : events) {
            JsonNode event = json.readTree(record.value());
            String id = event.get("sampleId").asText();
            assertEquals(id, record.key(), "events are keyed by sample id");
            // Everything the event names is durable before the event.
            for (String key : List.of("midiKey", "audioKey", "pianoRollKey", "metadataKey")) {
                assertTrue(objects.get("samples", event.get(key).asText()).length > 0, key);
            }
            assertTrue(event.get("metrics").has("pitch_class_entropy"), "metrics travel with the event");
            assertEquals("seed", event.get("encoding").asText(), "the encoding is the checkpoint's");

            byte[] midi = given().when().get("/api/samples/" + id + "/midi").then().statusCode(200)
                    .contentType("audio/midi").extract().asByteArray();
            Score score = new MidiReader().read(midi);
            assertFalse(score.notes().isEmpty(), "the MIDI parses back into notes");
            assertEquals(score.notes().size(), event.get("notes").asInt(), "the event counts the sample's notes");

            byte[] wav = given().when().get("/api/samples/" + id + "/audio").then().statusCode(200)
                    .contentType("audio/wav").extract().asByteArray();
            assertTrue(rms(wav) > 100, "the audio is a valid WAV with sound in it");
            // the MIDI's sound as a clip: exactly its length, the last second faded out
            assertArrayEquals(new PianoSynth(22_050, 1.0, 120).render(score, event.get("durationSeconds").asDouble()),
                    wav, "the WAV is the MIDI's sound");

            byte[] png = given().when().get("/api/samples/" + id + "/pianoroll").then().statusCode(200)
                    .contentType("image/png").extract().asByteArray();
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(image, "the piano roll is a PNG");
        }

        String sampleId = json.readTree(events.get(0).value()).get("sampleId").asText();
        given().when().get("/api/samples/" + sampleId).then().statusCode(200)
                .body("sample.id", equalTo(sampleId))
                .body("sample.metrics.distinct_pitch_classes", org.hamcrest.Matchers.notNullValue())
                .body("sample.encoding", equalTo("seed"))
                .body("links.audio", equalTo("/api/samples/" + sampleId + "/audio"));
    }

    @Test
    void aPerformanceEncodedCorpusGivesPlayableSamplesOfComparableLength() throws Exception {
        Trained t = performance();
        List<ConsumerRecord<String, String>> events = stack.topics().readAll("samples.generated",
                r -> t.corpusId().equals(field(r, "corpusId")), Duration.ofSeconds(2));
        assertEquals(6, distinct(events, "sampleId"), "2 LSTM + 2 GAN samples + 1 corpus excerpt + its anchor");
        assertEverySourceFillsTheClip(events);
        for (ConsumerRecord<String, String> record : events) {
            JsonNode event = json.readTree(record.value());
            String id = event.get("sampleId").asText();
            assertEquals("performance", event.get("encoding").asText(), event.toString());
            byte[] midi = given().when().get("/api/samples/" + id + "/midi").then().statusCode(200)
                    .contentType("audio/midi").extract().asByteArray();
            Score score = new MidiReader().read(midi);
            assertFalse(score.notes().isEmpty(), "the MIDI decodes to notes: " + event);
            assertEquals(score.notes().size(), event.get("notes").asInt(), event.toString());
            given().when().get("/api/samples/" + id).then().statusCode(200)
                    .body("sample.encoding", equalTo("performance"))
                    .body("sample.notes", equalTo(score.notes().size()));
            // the clip's notes in the corpus's events (a sparse model's 10 s hold a few dozen)
            assertTrue(event.get("tokens").asInt() >= 2 * event.get("notes").asInt(), event.toString());
        }

        String lstmRequest = "{\"runId\":\"" + t.lstm().runId() + "\",\"length\":80,\"seed\":5,\"topK\":40}";
        String first = post(lstmRequest);
        assertArrayEquals(midiOf(first), midiOf(post(lstmRequest)), "performance LSTM: same seed, same bytes");
        given().when().get("/api/samples/" + first).then().statusCode(200)
                .body("sample.encoding", equalTo("performance"))
                .body("sample.tokens", equalTo(80));
        problem("{\"runId\":\"" + t.lstm().runId() + "\",\"topK\":389}", 400, "388");

        // a length in seconds of music: cut as the listening clips are; the response says how many events it holds
        String inSeconds = "{\"runId\":\"" + t.lstm().runId() + "\",\"seconds\":4,\"seed\":9}";
        io.restassured.response.Response timed = given().contentType("application/json").body(inSeconds)
                .when().post("/api/samples").then().statusCode(201)
                .body("sample.parameters.seconds", equalTo(4.0f))
                .body("sample.clipSeconds", equalTo(4.0f)).extract().response();
        int held = timed.path("events");
        float seconds = timed.path("seconds");
        assertEquals(held, (int) timed.path("sample.tokens"));
        assertEquals(4.0f, (float) timed.path("sample.durationSeconds"), 1e-6, "exactly the seconds asked");
        assertEquals(4.0f, seconds, 1e-6);
        assertTrue(held > 0, timed.asString());
        Score timedScore = new MidiReader().read(midiOf(timed.path("sample.id")));
        assertTrue(timedScore.lengthSeconds() <= 4.0 + 1e-9, "every note released by 4 s: " + timedScore.lengthSeconds());
        problem("{\"runId\":\"" + t.lstm().runId() + "\",\"seconds\":4,\"length\":50}", 400, "not several");
        problem("{\"runId\":\"" + t.lstm().runId() + "\",\"seconds\":-1}", 400, "seconds");

        byte[] prompt = new SyntheticCorpus(3).piece(1).midi();
        given().multiPart("request", "{\"runId\":\"" + t.lstm().runId() + "\",\"length\":50,\"seed\":2}")
                .multiPart("prompt", "prompt.mid", prompt, "audio/midi")
                .when().post("/api/samples")
                .then().statusCode(201)
                .body("sample.encoding", equalTo("performance"))
                .body("sample.parameters.prompt", startsWith("midi:"))
                .body("sample.tokens", equalTo(50));
    }

    @Test
    void aRedeliveredModelsTrainedEventLeavesOneBatch() throws Exception {
        Trained t = trained();
        stack.topics().send("models.trained", t.lstm().runId(), json.writeValueAsString(t.lstm()));
        // The batch is announced again (same sample ids, same event ids) and no new sample is stored.
        List<ConsumerRecord<String, String>> lstmEvents = stack.topics().awaitCount("samples.generated",
                r -> t.lstm().runId().equals(field(r, "runId")) && "lstm".equals(field(r, "model")), 4,
                Duration.ofSeconds(60));
        assertEquals(2, lstmEvents.stream().map(r -> field(r, "eventId")).distinct().count());
        List<String> origins = given().queryParam("runId", t.lstm().runId()).queryParam("model", "lstm")
                .when().get("/api/samples").then().statusCode(200).extract().jsonPath().getList("sample.origin");
        assertEquals(2, origins.stream().filter("batch"::equals).count());
    }

    @Test
    void sameModelParametersAndSeedGiveByteIdenticalMidi() throws Exception {
        Trained t = trained();
        String lstmRequest = "{\"runId\":\"" + t.lstm().runId() + "\",\"length\":60,\"seed\":7,"
                + "\"temperature\":0.9,\"topP\":0.9}";
        byte[] first = midiOf(post(lstmRequest));
        byte[] second = midiOf(post(lstmRequest));
        assertArrayEquals(first, second, "LSTM: same seed, same bytes");
        // concurrent requests sample on their own threads at once; the same request among them gives the same bytes
        List<java.util.concurrent.CompletableFuture<String>> concurrent = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String body = i == 2 ? lstmRequest : lstmRequest.replace("\"seed\":7", "\"seed\":" + (30 + i));
            concurrent.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> post(body)));
        }
        assertArrayEquals(first, midiOf(concurrent.get(2).join()), "LSTM among concurrent requests: same seed, same bytes");
        concurrent.forEach(java.util.concurrent.CompletableFuture::join);
        byte[] otherSeed = midiOf(post(lstmRequest.replace("\"seed\":7", "\"seed\":8")));
        assertFalse(java.util.Arrays.equals(first, otherSeed), "another seed gives other music");

        String ganRequest = "{\"corpusId\":\"" + t.corpusId() + "\",\"model\":\"gan\",\"seed\":3,\"sequences\":2}";
        assertArrayEquals(midiOf(post(ganRequest)), midiOf(post(ganRequest)), "GAN: same noise seed, same bytes");
        // The cache holds one model in tests: going back to the LSTM reloads it and gives the same music.
        assertEquals(1, models.size());
        assertArrayEquals(first, midiOf(post(lstmRequest)), "a reloaded model generates the same bytes");

        String id = post(lstmRequest);
        given().when().get("/api/samples/" + id).then().statusCode(200)
                .body("sample.runId", equalTo(t.lstm().runId()))
                .body("sample.checkpointKey", equalTo(t.lstm().checkpointKey()))
                .body("sample.parameters.seed", equalTo(7))
                .body("sample.parameters.length", equalTo(60))
                .body("sample.parameters.prompt", startsWith("dataset:"))
                .body("sample.origin", equalTo("request"));
    }

    @Test
    void aGanThatWritesSilenceGetsSilentSamplesNotADeadLetter() throws Exception {
        CorpusDataset dataset = TestDatasets.oneKeyCorpus(6);
        String corpusId = TestDatasets.publish(stack, dataset);
        ModelTrained silent = TestModels.untrainedGan(stack, corpusId, dataset);
        WarningLog warnings = WarningLog.of(org.musicgen.generator.generation.SampleService.class);
        stack.topics().send("models.trained", silent.runId(), json.writeValueAsString(silent));
        // its batch of 2, the corpus excerpt and its anchor are all announced
        List<ConsumerRecord<String, String>> events = stack.topics().awaitCount("samples.generated",
                r -> corpusId.equals(field(r, "corpusId")), 4, Duration.ofSeconds(180));
        List<JsonNode> gan = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> record : events) {
            JsonNode event = json.readTree(record.value());
            if ("gan".equals(event.get("model").asText())) {
                gan.add(event);
            }
        }
        assertEquals(2, gan.stream().map(e -> e.get("sampleId").asText()).distinct().count());
        for (JsonNode event : gan) {
            assertEquals(0, event.get("notes").asInt(), "the untrained GAN writes no notes");
            assertEquals(10.0, event.get("clipSeconds").asDouble(), 0, "announced as a clip of 10 s");
            assertEquals(0.0, event.get("durationSeconds").asDouble(), 0, "that its music does not fill");
            byte[] wav = given().when().get("/api/samples/" + event.get("sampleId").asText() + "/audio").then()
                    .statusCode(200).contentType("audio/wav").extract().asByteArray();
            assertEquals(44, wav.length, "not padded with 10 s of silence: an empty WAV");
            String id = event.get("sampleId").asText();
            assertTrue(warnings.stop().stream().anyMatch(line -> line.startsWith("GAN run " + silent.runId()
                    + " sample " + id + " plays 0.0 s of the 10 s clip")), "reported by name: " + warnings.lines());
        }
        String asked = given().contentType(ContentType.JSON)
                .body("{\"runId\":\"" + silent.runId() + "\",\"seed\":4,\"sequences\":1}").when()
                .post("/api/samples").then().statusCode(201).body("sample.notes", equalTo(0))
                .extract().path("sample.id");
        assertTrue(midiOf(asked).length > 0, "a silent sample still has its MIDI file");
    }

    @Test
    void thePianoRollGanAndTheTokenGanBothWriteSamplesInTheCorpusEncoding() throws Exception {
        Trained t = performance();
        String roll = post("{\"runId\":\"" + t.gan().runId() + "\",\"seed\":5,\"sequences\":3}");
        given().when().get("/api/samples/" + roll).then().statusCode(200)
                .body("sample.encoding", equalTo("performance"))
                .body("sample.parameters.sequences", equalTo(3));

        ModelTrained token = TestModels.trainTokenGan(stack, t.corpusId(), TestDatasets.oneKeyCorpus(12, "performance"),
                1);
        stack.topics().send("models.trained", token.runId(), json.writeValueAsString(token));
        stack.topics().awaitCount("samples.generated", r -> token.runId().equals(field(r, "runId")), 2,
                Duration.ofSeconds(120));
        String request = "{\"runId\":\"" + token.runId() + "\",\"seed\":4,\"sequences\":2}";
        assertArrayEquals(midiOf(post(request)), midiOf(post(request)), "token GAN: same noise seed, same bytes");
    }

    @Test
    void anUploadedMidiPromptSeedsTheLstm() throws Exception {
        Trained t = trained();
        byte[] prompt = new SyntheticCorpus(3).piece(0).midi();
        given().multiPart("request", "{\"runId\":\"" + t.lstm().runId() + "\",\"length\":40,\"seed\":1}")
                .multiPart("prompt", "prompt.mid", prompt, "audio/midi")
                .when().post("/api/samples")
                .then().statusCode(201)
                .body("sample.parameters.prompt", startsWith("midi:"))
                .body("sample.tokens", equalTo(40));
    }

    @Test
    void badRequestsGetProblemsAndWriteNothing() throws Exception {
        Trained t = trained();
        int before = TestObjects.of(stack).list("samples", "").size();
        String run = t.lstm().runId();

        problem("{\"runId\":\"no-such-run\"}", 404, "no trained model");
        String unfinished = TestModels.storeUnfinishedRun(stack, t.corpusId());
        problem("{\"runId\":\"" + unfinished + "\"}", 409, "has not finished training");
        problem("{\"runId\":\"" + run + "\",\"temperature\":0}", 400, "temperature");
        problem("{\"runId\":\"" + run + "\",\"length\":0}", 400, "length");
        problem("{\"runId\":\"" + run + "\",\"length\":100000}", 400, "length");
        problem("{\"runId\":\"" + run + "\",\"topP\":1.5}", 400, "topP");
        problem("{\"runId\":\"" + run + "\",\"sequences\":2}", 400, "GAN only");
        problem("{\"runId\":\"" + t.gan().runId() + "\",\"temperature\":1.0}", 400, "LSTM only");
        problem("{\"runId\":\"" + t.gan().runId() + "\",\"sequences\":1000}", 400, "sequences");
        problem("{\"corpusId\":\"" + t.corpusId() + "\",\"model\":\"rnn\"}", 400, "model must be");
        problem("{\"corpusId\":\"no-such-corpus\",\"model\":\"lstm\"}", 404, "no trained lstm model");
        given().multiPart("request", "{\"runId\":\"" + run + "\"}")
                .multiPart("prompt", "notes.mid", "these are not notes".getBytes(), "audio/midi")
                .when().post("/api/samples")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not a readable MIDI file"));
        given().when().get("/api/samples/no-such-sample/midi").then().statusCode(404)
                .contentType("application/problem+json");

        assertEquals(before, TestObjects.of(stack).list("samples", "").size(), "nothing half-written");
    }

    @Test
    void anUnreadableEventGoesToTheDeadLetterTopic() {
        stack.topics().send("models.trained", "garbage", "this is not an event");
        ConsumerRecord<String, String> dead = stack.topics().await("models.trained.dlq",
                r -> "garbage".equals(r.key()), Duration.ofSeconds(60));
        assertNotNull(dead.headers().lastHeader("dead-letter-reason"));
    }

    /**
     * Every listening clip (the models' batches, the excerpt, the anchor) is announced as a clip of the test
     * profile's 10 s and plays within half a second of it; the anchor names its excerpt, announced before it; the
     * stored records carry the same.
     */
    private void assertEverySourceFillsTheClip(List<ConsumerRecord<String, String>> events) throws Exception {
        java.util.Map<String, JsonNode> bySample = new java.util.LinkedHashMap<>();
        List<String> order = new java.util.ArrayList<>();
        for (ConsumerRecord<String, String> record : events) {
            JsonNode event = json.readTree(record.value());
            bySample.putIfAbsent(event.get("sampleId").asText(), event);
            order.add(event.get("sampleId").asText());
        }
        for (JsonNode event : bySample.values()) {
            assertEquals(10.0, event.get("clipSeconds").asDouble(), 0, event.toString());
            assertEquals(10.0, event.get("durationSeconds").asDouble(), 0.5, event.toString());
            JsonNode stored = json.readTree(TestObjects.of(stack).get("samples", event.get("metadataKey").asText()));
            assertEquals(10.0, stored.get("clipSeconds").asDouble(), 0, stored.toString());
            assertEquals(event.get("durationSeconds").asDouble(), stored.get("durationSeconds").asDouble(), 0);
        }
        JsonNode anchor = bySample.values().stream().filter(e -> "anchor".equals(e.get("model").asText()))
                .findFirst().orElseThrow();
        JsonNode excerpt = bySample.values().stream().filter(e -> "corpus".equals(e.get("model").asText()))
                .findFirst().orElseThrow();
        String excerptId = excerpt.get("sampleId").asText();
        assertEquals(excerptId, anchor.get("referenceSampleId").asText(), "the anchor names its excerpt");
        assertTrue(excerpt.get("referenceSampleId").isNull(), excerpt.toString());
        assertTrue(order.indexOf(excerptId) < order.indexOf(anchor.get("sampleId").asText()),
                "the excerpt is announced before its anchor");
        JsonNode storedAnchor = json.readTree(TestObjects.of(stack).get("samples",
                anchor.get("metadataKey").asText()));
        assertEquals(excerptId, storedAnchor.get("referenceSampleId").asText());
        assertEquals(excerpt.get("notes").asInt(), anchor.get("notes").asInt(), "the anchor plays the excerpt's notes");
    }

    private static void problem(String body, int status, String reason) {
        given().contentType(ContentType.JSON).body(body).when().post("/api/samples")
                .then().statusCode(status).contentType("application/problem+json")
                .body("detail", containsString(reason));
    }

    private static String post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/samples")
                .then().statusCode(201).extract().path("sample.id");
    }

    private static byte[] midiOf(String id) {
        return given().when().get("/api/samples/" + id + "/midi").then().statusCode(200).extract().asByteArray();
    }

    private long distinct(List<ConsumerRecord<String, String>> records, String name) {
        return records.stream().map(r -> field(r, name)).distinct().count();
    }

    /** Root mean square of 16-bit PCM samples. */
    static double rms(byte[] wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            assertEquals(16, in.getFormat().getSampleSizeInBits());
            byte[] pcm = in.readAllBytes();
            boolean bigEndian = in.getFormat().isBigEndian();
            double sum = 0;
            int n = pcm.length / 2;
            for (int i = 0; i < n; i++) {
                int lo = pcm[2 * i + (bigEndian ? 1 : 0)] & 0xff;
                int hi = pcm[2 * i + (bigEndian ? 0 : 1)];
                int v = (hi << 8) | lo;
                sum += (double) v * v;
            }
            return Math.sqrt(sum / Math.max(1, n));
        }
    }
}
