package org.musicgen.generator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.musicgen.core.control.Controls;
import org.musicgen.core.control.MusicalKey;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Score;
import org.musicgen.generator.generation.Sample;
import org.musicgen.generator.messaging.SampleEventPublisher;
import org.musicgen.generator.model.ModelCatalogue;
import org.musicgen.generator.model.TrainedModel;
import org.musicgen.generator.storage.SampleRepository;
import org.musicgen.localstack.InjectLocalStack;
import org.musicgen.localstack.LocalStack;
import org.musicgen.localstack.LocalStackTestResource;
import org.musicgen.platform.events.ModelTrained;
import org.musicgen.testing.TestDatasets;
import org.musicgen.testing.TestModels;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.musicgen.testing.EventFields.field;

/**
 * Controls over the API (key, notesPerSecond, label, likePrompt) against the real local stack, with small models
 * made here and registered as the trainer's {@code models.trained} would: values refused by name, controls refused
 * by a model trained without them, an unknown label refused naming the known ones, controls accepted by an LSTM and a
 * piano-roll GAN that read them, and what every sample was asked and reached recorded in its JSON and its event.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackTestResource.class)
class SampleControlsTest {

    private static ModelTrained plain;
    private static ModelTrained conditioned;

    @InjectLocalStack
    LocalStack stack;

    @Inject
    ObjectMapper json;

    @Inject
    ModelCatalogue catalogue;

    @Inject
    SampleRepository repository;

    @Inject
    SampleEventPublisher events;

    /** An LSTM trained without controls, on a performance-encoded corpus, registered once for the class. */
    private ModelTrained plain() {
        if (plain == null) {
            CorpusDataset dataset = TestDatasets.oneKeyCorpus(8, "performance");
            String corpusId = TestDatasets.publish(stack, dataset);
            plain = register(TestModels.trainPlainLstm(stack, corpusId, dataset, 1));
        }
        return plain;
    }

    /** An LSTM that reads controls and knows two labels, on a corpus of its own. */
    private ModelTrained conditioned() {
        if (conditioned == null) {
            CorpusDataset dataset = TestDatasets.oneKeyCorpus(8, "performance");
            String corpusId = TestDatasets.publish(stack, dataset);
            conditioned = register(TestModels.conditionedLstm(stack, corpusId, dataset, List.of("Bach", "Chopin")));
        }
        return conditioned;
    }

    private ModelTrained register(ModelTrained event) {
        catalogue.register(new TrainedModel(event.runId(), event.corpusId(), event.model(), event.checkpointBucket(),
                event.checkpointKey(), event.epochs(), event.metrics(), event.occurredAt()));
        return event;
    }

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/samples").then();
    }

    private static void refused(String body, String... inDetail) {
        ValidatableResponse response = post(body).statusCode(400)
                .contentType(startsWith("application/problem+json"));
        for (String part : inDetail) {
            response.body("detail", containsString(part));
        }
    }

    @Test
    void theModelListShowsEachCorpusModelsWithEncodingControlsLabelsAndMetrics() {
        ModelTrained lstm = plain();
        given().queryParam("corpusId", lstm.corpusId()).when().get("/api/models").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].corpusId", equalTo(lstm.corpusId()))
                .body("[0].models.size()", equalTo(1))
                .body("[0].models[0].runId", equalTo(lstm.runId()))
                .body("[0].models[0].model", equalTo("lstm"))
                .body("[0].models[0].kind", equalTo("lstm"))
                .body("[0].models[0].encoding", equalTo("performance"))
                .body("[0].models[0].controls", equalTo(false))
                .body("[0].models[0].labels.size()", equalTo(0))
                .body("[0].models[0].checkpointEpoch", equalTo(1));
        // every corpus without the filter, this one among them
        List<String> corpora = given().when().get("/api/models").then().statusCode(200).extract().path("corpusId");
        assertTrue(corpora.contains(lstm.corpusId()), corpora.toString());
    }

    @Test
    void aModelWithControlsIsListedWithItsLabels() {
        ModelTrained lstm = conditioned();
        given().queryParam("corpusId", lstm.corpusId()).when().get("/api/models").then().statusCode(200)
                .body("[0].models[0].runId", equalTo(lstm.runId()))
                .body("[0].models[0].controls", equalTo(true))
                .body("[0].models[0].labels", equalTo(List.of("Bach", "Chopin")));
    }

    @Test
    void controlsAreAcceptedAndTheSampleRecordsThoseAskedAndThoseReached() throws Exception {
        String run = "\"runId\":\"" + conditioned().runId() + "\",\"seconds\":5,\"seed\":4";
        JsonNode view = json.readTree(post("{" + run + ",\"key\":\"D minor\",\"notesPerSecond\":4,"
                + "\"label\":\"Chopin\"}").statusCode(201).extract().asString());
        JsonNode asked = view.path("sample").path("controls").path("asked");
        assertEquals("D minor", asked.path("key").asText(), asked.toString());
        double[] profile = MusicalKey.parse("D minor").profile();
        for (int i = 0; i < 12; i++) {
            assertEquals(profile[i], asked.path("pitchClasses").get(i).asDouble(), 1e-4, "asked pc " + i);
        }
        assertEquals(4.0, asked.path("notesPerSecond").asDouble());
        assertEquals("Chopin", asked.path("label").asText());
        byte[] midi = given().when().get(view.path("links").path("midi").asText()).then().statusCode(200).extract()
                .asByteArray();
        JsonNode reached = view.path("sample").path("controls").path("reached");
        assertEquals(Controls.of(new MidiReader().read(midi)).key().displayName(), reached.path("key").asText());
        assertEquals(12, reached.path("pitchClasses").size());
        assertTrue(reached.path("notesPerSecond").asDouble() > 0, reached.toString());

        // a histogram (the Krumhansl-Kessler D major profile) asks its estimated key; likePrompt asks the prompt's key and density
        String dMajorProfile = "[2.29,2.88,6.35,2.23,3.48,2.33,4.38,4.09,2.52,5.19,2.39,3.66]";
        JsonNode histogram = json.readTree(post("{" + run + ",\"key\":" + dMajorProfile + "}").statusCode(201)
                .extract().asString()).path("sample").path("controls").path("asked");
        assertEquals("D major", histogram.path("key").asText(), histogram.toString());
        assertTrue(histogram.path("label").isMissingNode());
        Controls prompt = Controls.of(new MidiReader().read(midi));
        JsonNode like = json.readTree(given().multiPart("request", "{" + run + ",\"likePrompt\":true}")
                .multiPart("prompt", "prompt.mid", midi, "audio/midi").when().post("/api/samples").then()
                .statusCode(201).extract().asString()).path("sample").path("controls").path("asked");
        assertEquals(prompt.key().displayName(), like.path("key").asText(), like.toString());
        assertEquals(prompt.notesPerSecond(), like.path("notesPerSecond").asDouble(), 1e-3);
    }

    @Test
    void thePianoRollGanTakesTheSameControls() throws Exception {
        CorpusDataset dataset = TestDatasets.oneKeyCorpus(4, "performance");
        String corpusId = TestDatasets.publish(stack, dataset);
        ModelTrained gan = register(TestModels.untrainedGan(stack, corpusId, dataset));
        given().queryParam("corpusId", corpusId).when().get("/api/models").then().statusCode(200)
                .body("[0].models[0].kind", equalTo("roll-gan"))
                .body("[0].models[0].controls", equalTo(true));
        JsonNode asked = json.readTree(post("{\"runId\":\"" + gan.runId() + "\",\"seconds\":4,\"seed\":2,"
                + "\"key\":\"Eb major\",\"notesPerSecond\":3}").statusCode(201).extract().asString())
                .path("sample").path("controls").path("asked");
        assertEquals("Eb major", asked.path("key").asText(), asked.toString());
        assertEquals(3.0, asked.path("notesPerSecond").asDouble());
        refused("{\"runId\":\"" + gan.runId() + "\",\"seconds\":4,\"label\":\"Brahms\"}", "Brahms");
    }

    @Test
    void anUnknownLabelIsRefusedNamingTheKnownOnes() {
        refused("{\"runId\":\"" + conditioned().runId() + "\",\"seconds\":4,\"label\":\"Brahms\"}",
                "unknown label 'Brahms'", "Bach", "Chopin");
    }

    @Test
    void invalidControlValuesAreRefusedByName() {
        String run = "\"runId\":\"" + plain().runId() + "\",\"seconds\":4";
        int storedBefore = repository.findAll().size();
        refused("{" + run + ",\"key\":\"H minor\"}", "key", "unknown key 'H minor'");
        refused("{" + run + ",\"key\":[1,0,1]}", "key", "12 values", "got 3");
        refused("{" + run + ",\"key\":[1,0,1,0,1,1,0,1,0,1,0,-1]}", "key", ">= 0");
        refused("{" + run + ",\"key\":[0,0,0,0,0,0,0,0,0,0,0,0]}", "key", "at least one weight above 0");
        refused("{" + run + ",\"key\":[1,0,1,0,1,1,0,1,0,1,0,\"B\"]}", "key", "at position 11");
        refused("{" + run + ",\"key\":7}", "key must be a key name");
        refused("{" + run + ",\"notesPerSecond\":-2}", "notesPerSecond must be in (0, 100]");
        refused("{" + run + ",\"notesPerSecond\":500}", "notesPerSecond must be in (0, 100]");
        refused("{" + run + ",\"label\":\"  \"}", "label", "blank");
        refused("{" + run + ",\"likePrompt\":true}", "likePrompt", "'prompt' part");
        assertEquals(storedBefore, repository.findAll().size(), "nothing is stored for a refused request");
    }

    @Test
    void controlsAskedOfAModelTrainedWithoutThemAreRefusedSayingSo() {
        String run = "\"runId\":\"" + plain().runId() + "\",\"seconds\":4";
        for (String control : List.of("\"key\":\"D minor\"", "\"key\":[6,0,3,0,4,4,0,5,0,3,0,2]",
                "\"notesPerSecond\":4", "\"label\":\"Chopin\"")) {
            refused("{" + run + "," + control + "}", "trained without controls", plain().runId());
        }
        // likePrompt with a prompt: the prompt's controls are asked, and refused the same way
        String link = post("{" + run + ",\"seed\":5}").statusCode(201).extract().path("links.midi");
        byte[] prompt = given().when().get(link).then().statusCode(200).extract().asByteArray();
        given().multiPart("request", "{" + run + ",\"likePrompt\":true}")
                .multiPart("prompt", "prompt.mid", prompt, "audio/midi")
                .when().post("/api/samples").then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("trained without controls"));
    }

    @Test
    void aSampleRecordsTheControlsItReachedInItsJsonAndItsEvent() throws Exception {
        String run = "\"runId\":\"" + plain().runId() + "\",\"seconds\":6,\"seed\":11";
        JsonNode view = json.readTree(post("{" + run + "}").statusCode(201).extract().asString());
        JsonNode controls = view.path("sample").path("controls");
        assertTrue(controls.path("asked").isMissingNode(), "nothing asked: " + controls);
        JsonNode reached = controls.path("reached");

        // what the notes reached, measured again here on the MIDI as stored
        byte[] midi = given().when().get(view.path("links").path("midi").asText()).then().statusCode(200).extract()
                .asByteArray();
        Score score = new MidiReader().read(midi);
        assertFalse(score.notes().isEmpty(), "the sample has notes");
        Controls measured = Controls.of(score);
        assertEquals(measured.key().displayName(), reached.path("key").asText(), reached.toString());
        assertEquals(12, reached.path("pitchClasses").size());
        double sum = 0;
        for (int i = 0; i < 12; i++) {
            assertEquals(measured.pitchClasses()[i], reached.path("pitchClasses").get(i).asDouble(), 1e-3, "pc " + i);
            sum += reached.path("pitchClasses").get(i).asDouble();
        }
        assertEquals(1.0, sum, 1e-3);
        assertEquals(score.notes().size() / view.path("seconds").asDouble(), reached.path("notesPerSecond").asDouble(),
                0.15 * reached.path("notesPerSecond").asDouble(), "notes per second of the clip");
        assertTrue(reached.path("label").isMissingNode(), "a label is not measured");

        // the stored record and the samples.generated event carry the same controls
        String id = view.path("sample").path("id").asText();
        Sample stored = repository.find(id).orElseThrow();
        assertNotNull(stored.controls());
        events.publish(stored);
        ConsumerRecord<String, String> event = stack.topics().awaitCount("samples.generated",
                r -> id.equals(field(r, "sampleId")), 1, Duration.ofSeconds(30)).get(0);
        assertEquals(reached, json.readTree(event.value()).path("controls").path("reached"));
        assertTrue(json.readTree(event.value()).path("controls").path("asked").isMissingNode());
    }
}
