package org.musicgen.generator.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.musicgen.generator.generation.GeneratorConfig;
import org.musicgen.generator.generation.Sample;
import org.musicgen.generator.generation.SampleRequest;
import org.musicgen.generator.generation.SampleService;
import org.musicgen.generator.storage.SampleRepository;
import org.musicgen.platform.events.SampleKeys;
import org.musicgen.platform.rest.ProblemException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

@Path("/api/samples")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Samples", description = "Generate new music from trained models and fetch it as MIDI, audio or piano roll")
public class SampleResource {

    private final SampleService service;
    private final SampleRepository repository;
    private final ObjectMapper json;
    private final GeneratorConfig config;

    public SampleResource(SampleService service, SampleRepository repository, ObjectMapper json,
                          GeneratorConfig config) {
        this.service = service;
        this.repository = repository;
        this.json = json;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Generate a sample",
            description = "Same model, same parameters and same seed give byte-identical MIDI.")
    @APIResponse(responseCode = "201", description = "Generated and stored")
    @APIResponse(responseCode = "400", description = "A parameter out of range or not for this model")
    @APIResponse(responseCode = "404", description = "Unknown run, or no trained model for the corpus")
    @APIResponse(responseCode = "409", description = "The run has not finished training")
    public Response create(SampleRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with runId (or corpusId and model) is required");
        }
        return created(service.generate(request, null));
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Generate an LSTM sample that continues an uploaded MIDI prompt",
            description = "Parts: 'request' (the JSON of the plain POST) and 'prompt' (a .mid file).")
    @APIResponse(responseCode = "201", description = "Generated and stored")
    @APIResponse(responseCode = "400", description = "The prompt is not MIDI, or a parameter is out of range")
    public Response createWithPrompt(@RestForm("request") String requestJson, @RestForm("prompt") FileUpload prompt) {
        if (requestJson == null || requestJson.isBlank()) {
            throw ProblemException.badRequest("the 'request' part (JSON) is required");
        }
        SampleRequest request;
        try {
            request = json.readValue(requestJson, SampleRequest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ProblemException.badRequest("the 'request' part is not a valid sample request: "
                    + e.getOriginalMessage());
        }
        if (prompt == null) {
            throw ProblemException.badRequest("the 'prompt' part (a MIDI file) is required");
        }
        if (prompt.size() > config.maxPromptBytes()) {
            throw new ProblemException(413, "Prompt too large", "the prompt is " + prompt.size()
                    + " bytes; at most " + config.maxPromptBytes() + " are accepted");
        }
        try {
            return created(service.generate(request, Files.readAllBytes(prompt.uploadedFile())));
        } catch (IOException e) {
            throw ProblemException.badRequest("the prompt upload could not be read: " + e.getMessage());
        }
    }

    @GET
    @Operation(summary = "List samples, newest first, optionally of one run or model")
    public List<SampleView> list(@QueryParam("runId") String runId, @QueryParam("model") String model) {
        return repository.findAll().stream()
                .filter(s -> runId == null || runId.equals(s.runId()))
                .filter(s -> model == null || model.equals(s.model()))
                .map(SampleView::of)
                .toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A sample with its provenance (run, checkpoint, parameters, seed) and metrics")
    @APIResponse(responseCode = "404", description = "Unknown sample")
    public SampleView get(@PathParam("id") String id) {
        return SampleView.of(find(id));
    }

    @GET
    @Path("{id}/midi")
    @Produces("audio/midi")
    public Response midi(@PathParam("id") String id) {
        return object(id, SampleKeys::midi, SampleRepository.MIDI_TYPE, ".mid");
    }

    @GET
    @Path("{id}/audio")
    @Produces("audio/wav")
    public Response audio(@PathParam("id") String id) {
        return object(id, SampleKeys::audio, SampleRepository.AUDIO_TYPE, ".wav");
    }

    @GET
    @Path("{id}/pianoroll")
    @Produces("image/png")
    public Response pianoRoll(@PathParam("id") String id) {
        return object(id, SampleKeys::pianoRoll, SampleRepository.PNG_TYPE, ".png");
    }

    private Sample find(String id) {
        return repository.find(id).orElseThrow(() -> ProblemException.notFound("no sample '" + id + "'"));
    }

    private Response object(String id, Function<SampleKeys, String> which, String type, String extension) {
        find(id);
        SampleKeys keys = SampleKeys.forSample(id);
        byte[] bytes = repository.object(keys.bucket(), which.apply(keys))
                .orElseThrow(() -> ProblemException.notFound("sample '" + id + "' has no such object"));
        return Response.ok(bytes, type)
                .header("Content-Disposition", "inline; filename=\"" + id + extension + "\"")
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .build();
    }

    private static Response created(Sample sample) {
        return Response.created(URI.create("/api/samples/" + sample.id())).entity(SampleView.of(sample)).build();
    }

    /**
     * A sample as the API shows it: the stored record, how many events (ids of its encoding) and seconds of music it
     * holds, and where to fetch its renderings.
     */
    public record SampleView(Sample sample, int events, double seconds, Map<String, String> links) {
        static SampleView of(Sample sample) {
            String self = "/api/samples/" + sample.id();
            Map<String, String> links = new LinkedHashMap<>();
            links.put("self", self);
            links.put("midi", self + "/midi");
            links.put("audio", self + "/audio");
            links.put("pianoroll", self + "/pianoroll");
            return new SampleView(sample, sample.tokens(), sample.durationSeconds(), links);
        }
    }
}
