package org.musicgen.evaluation.rest;

import jakarta.ws.rs.CookieParam;
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
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.evaluation.config.PianoRollMode;
import org.musicgen.evaluation.ratings.RatingBook;
import org.musicgen.evaluation.ratings.RatingRepository;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.samples.SampleCatalogue;
import org.musicgen.platform.rest.ProblemException;
import org.musicgen.evaluation.trials.TrialService;
import org.musicgen.platform.storage.ObjectStore;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sample's MIDI, audio and piano roll, read from the {@code samples} bucket and served under the sample's opaque id,
 * so neither the page nor a URL nor a file name tells which model made it. The listening form plays the MIDI on the
 * piano it bundles ({@code js/piano.js}): a few kilobytes per minute of music instead of megabytes of WAV, and the
 * same samples in every browser; the WAV stays for players without it. The piano roll is for after the answer: by
 * default ({@code piano-roll = after-answer}) only a rater who has answered a trial that played the sample gets it.
 */
@Path("/api/samples/{id}")
@Tag(name = "Listening test")
public class SampleResource {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final SampleCatalogue catalogue;
    private final ObjectStore store;
    private final RaterSessions sessions;
    private final RatingBook book;
    private final RatingRepository repository;
    private final TrialService trials;
    private final PianoRollMode pianoRoll;

    public SampleResource(SampleCatalogue catalogue, ObjectStore store, RaterSessions sessions, RatingBook book,
                          RatingRepository repository, TrialService trials, EvaluationConfig config) {
        this.catalogue = catalogue;
        this.store = store;
        this.sessions = sessions;
        this.book = book;
        this.repository = repository;
        this.trials = trials;
        this.pianoRoll = PianoRollMode.of(config);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether a sample is in the listening test, with its media links (no model)")
    @APIResponse(responseCode = "404", description = "Unknown sample")
    public SampleView get(@PathParam("id") String id) {
        Sample sample = known(id);
        return new SampleView(sample.sampleId(), "/api/samples/" + id + "/audio",
                sample.hasMidi() ? "/api/samples/" + id + "/midi" : null,
                pianoRoll == PianoRollMode.DURING && sample.hasPianoRoll() ? "/api/samples/" + id + "/pianoroll" : null);
    }

    @GET
    @Path("midi")
    @Produces("audio/midi")
    @Operation(summary = "The sample's MIDI, which the listening form plays on its bundled piano")
    @APIResponse(responseCode = "404", description = "Unknown sample or no MIDI")
    public Response midi(@PathParam("id") String id) {
        Sample sample = known(id);
        return optional(sample, sample.hasMidi() ? sample.midiKey() : null, "MIDI", "audio/midi")
                .header("Cache-Control", "private, max-age=86400").build();
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
    @Operation(summary = "The sample's piano roll (PNG), for a rater who has answered a trial that played it",
            description = "piano-roll = after-answer (default): only for a rater who answered a trial with this sample; "
                    + "never: refused to everyone; during: for anyone.")
    @APIResponse(responseCode = "403", description = "Not before the rater's answer (or never, by configuration)")
    @APIResponse(responseCode = "404", description = "Unknown sample or no piano roll")
    public Response pianoRoll(@PathParam("id") String id, @CookieParam(RaterSessions.COOKIE) String cookie) {
        Sample sample = known(id);
        if (pianoRoll == PianoRollMode.NEVER) {
            throw new ProblemException(403, "Forbidden", "This listening test is judged by ear only: it does not "
                    + "show piano rolls.");
        }
        if (pianoRoll == PianoRollMode.AFTER_ANSWER) {
            String rater = sessions.requireRater(cookie);
            if (!heard(rater, id)) {
                throw new ProblemException(403, "Forbidden", "The notes of a piece are shown after you have "
                        + "answered its trial, so that it is judged by ear first.");
            }
        }
        return optional(sample, sample.hasPianoRoll() ? sample.pianoRollKey() : null, "piano roll", "image/png")
                .header("Cache-Control", "private, no-store").build();
    }

    /** Read-your-writes: an answer stored a moment ago by another replica is read from the bucket. */
    private boolean heard(String rater, String sampleId) {
        if (book.hasHeard(rater, sampleId)) {
            return true;
        }
        trials.adoptStored(repository.keysOf(rater));
        return book.hasHeard(rater, sampleId);
    }

    /** An object a sample may lack ({@code key} null): 404 when it has none or the store lost it. */
    private Response.ResponseBuilder optional(Sample sample, String key, String what, String type) {
        String id = sample.sampleId();
        if (key == null) {
            throw ProblemException.notFound("Sample '" + id + "' has no " + what + ".");
        }
        byte[] bytes = store.get(sample.bucket(), key).orElseThrow(() -> ProblemException.notFound(
                "The " + what + " of sample '" + id + "' is missing from the object store."));
        return Response.ok(bytes, type);
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

    /**
     * @param midi      null when the sample's announcement named no MIDI object
     * @param pianoRoll null unless {@code piano-roll = during} (otherwise it is offered after the answer, or never)
     */
    public record SampleView(String id, String audio, String midi, String pianoRoll) {
    }
}
