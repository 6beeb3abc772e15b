package org.musicgen.evaluation.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.samples.SampleCatalogue;
import org.musicgen.platform.rest.ProblemException;
import org.musicgen.platform.storage.ObjectStore;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sample's MIDI, audio and piano roll, read from the {@code samples} bucket and served under the sample's opaque id,
 * so neither the page nor a URL nor a file name tells which model made it. The listening form plays the MIDI on the
 * piano it bundles ({@code js/piano.js}): a few kilobytes per minute of music instead of megabytes of WAV, and the
 * same samples in every browser; the WAV stays for players without it.
 */
@Path("/api/samples/{id}")
@Tag(name = "Listening test")
public class SampleResource {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final SampleCatalogue catalogue;
    private final ObjectStore store;

    public SampleResource(SampleCatalogue catalogue, ObjectStore store) {
        this.catalogue = catalogue;
        this.store = store;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether a sample is in the listening test, with its media links (no model)")
    @APIResponse(responseCode = "404", description = "Unknown sample")
    public SampleView get(@PathParam("id") String id) {
        Sample sample = known(id);
        return new SampleView(sample.sampleId(), "/api/samples/" + id + "/audio",
                sample.hasMidi() ? "/api/samples/" + id + "/midi" : null,
                sample.hasPianoRoll() ? "/api/samples/" + id + "/pianoroll" : null);
    }

    @GET
    @Path("midi")
    @Produces("audio/midi")
    @Operation(summary = "The sample's MIDI, which the listening form plays on its bundled piano")
    @APIResponse(responseCode = "404", description = "Unknown sample or no MIDI")
    public Response midi(@PathParam("id") String id) {
        Sample sample = known(id);
        return optional(sample, sample.hasMidi() ? sample.midiKey() : null, "MIDI", "audio/midi");
    }

    @GET
    @Path("audio")
    @Produces("audio/wav")
    @Operation(summary = "The sample's audio (WAV); supports single byte ranges for seeking")
    @APIResponse(responseCode = "404", description = "Unknown sample")
    public Response audio(@PathParam("id") String id, @HeaderParam("Range") String range) {
        Sample sample = known(id);
        byte[] audio = store.get(sample.bucket(), sample.audioKey()).orElseThrow(() -> ProblemException.notFound(
                "The audio of sample '" + id + "' is missing from the object store."));
        return ranged(audio, "audio/wav", range);
    }

    @GET
    @Path("pianoroll")
    @Produces("image/png")
    @Operation(summary = "The sample's piano roll (PNG)")
    @APIResponse(responseCode = "404", description = "Unknown sample or no piano roll")
    public Response pianoRoll(@PathParam("id") String id) {
        Sample sample = known(id);
        return optional(sample, sample.hasPianoRoll() ? sample.pianoRollKey() : null, "piano roll", "image/png");
    }

    /** An object a sample may lack ({@code key} null): 404 when it has none or the store lost it. */
    private Response optional(Sample sample, String key, String what, String type) {
        String id = sample.sampleId();
        if (key == null) {
            throw ProblemException.notFound("Sample '" + id + "' has no " + what + ".");
        }
        byte[] bytes = store.get(sample.bucket(), key).orElseThrow(() -> ProblemException.notFound(
                "The " + what + " of sample '" + id + "' is missing from the object store."));
        return Response.ok(bytes, type).header("Cache-Control", "private, max-age=86400").build();
    }

    private Sample known(String id) {
        return catalogue.find(id).orElseThrow(() -> ProblemException.notFound("There is no sample '" + id
                + "' in the listening test."));
    }

    static Response ranged(byte[] content, String type, String range) {
        Response.ResponseBuilder response;
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            long length = content.length;
            long start;
            long end;
            if (m.group(1).isEmpty()) { // suffix range: the last N bytes
                long suffix = Long.parseLong(m.group(2));
                start = Math.max(0, length - suffix);
                end = length - 1;
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
            }
            if (start >= length || start > end) {
                return Response.status(416).header("Content-Range", "bytes */" + length).build();
            }
            response = Response.status(206)
                    .entity(Arrays.copyOfRange(content, (int) start, (int) end + 1))
                    .type(type)
                    .header("Content-Range", "bytes " + start + "-" + end + "/" + length);
        } else {
            response = Response.ok(content, type);
        }
        return response.header("Accept-Ranges", "bytes").header("Cache-Control", "private, max-age=86400").build();
    }

    /** @param midi null when the sample's announcement named no MIDI object */
    public record SampleView(String id, String audio, String midi, String pianoRoll) {
    }
}
