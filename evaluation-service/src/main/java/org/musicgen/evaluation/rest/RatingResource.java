package org.musicgen.evaluation.rest;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.musicgen.evaluation.StateRebuilder;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.evaluation.config.PianoRollMode;
import org.musicgen.evaluation.ratings.Question;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.ratings.RatingBook;
import org.musicgen.evaluation.ratings.RatingRequest;
import org.musicgen.evaluation.ratings.RatingService;
import org.musicgen.evaluation.ratings.SubmissionGate;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.samples.SampleCatalogue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

@Path("/api/ratings")
@Tag(name = "Ratings", description = "Submit ratings; export all of them")
public class RatingResource {

    private final RaterSessions sessions;
    private final SubmissionGate gate;
    private final RatingService ratings;
    private final RatingBook book;
    private final StateRebuilder state;
    private final SampleCatalogue catalogue;
    private final PianoRollMode pianoRoll;

    public RatingResource(RaterSessions sessions, SubmissionGate gate, RatingService ratings, RatingBook book,
                          StateRebuilder state, SampleCatalogue catalogue, EvaluationConfig config) {
        this.sessions = sessions;
        this.gate = gate;
        this.ratings = ratings;
        this.book = book;
        this.state = state;
        this.catalogue = catalogue;
        this.pianoRoll = PianoRollMode.of(config);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit one trial's answer",
            description = "Name the trial with \"trialId\" (from GET /api/trials); the planned series says what it is. "
                    + "Single trial: {\"trialId\", \"sampleId\", \"scores\": {\"pleasing\": 1-5, \"humanlike\": 1-5, "
                    + "\"interesting\": 1-5}}. Paired trial: {\"trialId\", \"sampleId\": left, \"pairedWith\": right, "
                    + "\"preferred\": one of them}. Turing trial: as a pair, \"preferred\" = the piece a person wrote, "
                    + "optional \"confidence\" 1-3. Without trialId: an ordinary single rating or preference. "
                    + "Needs the rater cookie and the X-CSRF-Token header.")
    @APIResponse(responseCode = "201", description = "Stored in bucket 'ratings' and sent on ratings.submitted")
    @APIResponse(responseCode = "400", description = "Missing answers, scores outside 1-5, malformed pair, an answer "
            + "that does not fit its trial, confidence outside 1-3")
    @APIResponse(responseCode = "403", description = "No rater cookie, or missing/wrong CSRF token")
    @APIResponse(responseCode = "404", description = "Unknown sample, or no such trial in the rater's series")
    @APIResponse(responseCode = "409", description = "This rater already answered this trial (sample, pair): the first "
            + "stands")
    @APIResponse(responseCode = "429", description = "Rate limit; see Retry-After")
    public Response submit(@CookieParam(RaterSessions.COOKIE) String cookie,
                           @HeaderParam(RaterSessions.CSRF_HEADER) String csrf,
                           @Context HttpServerRequest http,
                           RatingRequest request) {
        sessions.requireCsrf(cookie, csrf);
        String rater = sessions.requireRater(cookie);
        state.requireLoaded();
        gate.admit(rater, http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
        Rating rating = ratings.submit(rater, request);
        return Response.status(Response.Status.CREATED)
                .entity(new Accepted(rating.ratingId(), request.trialId(), rating.sampleId(), rating.pairedWith(),
                        rating.submittedAt(), book.ofRater(rater).size(), reveal(rating)))
                .build();
    }

    /** The piano rolls the rater may now see ("See the notes"), left first: only when they come after the answer. */
    private List<String> reveal(Rating rating) {
        if (pianoRoll != PianoRollMode.AFTER_ANSWER) {
            return List.of();
        }
        List<String> rolls = new ArrayList<>();
        for (String id : Stream.of(rating.sampleId(), rating.pairedWith()).filter(Objects::nonNull).toList()) {
            catalogue.find(id).filter(Sample::hasPianoRoll)
                    .ifPresent(sample -> rolls.add("/api/samples/" + id + "/pianoroll"));
        }
        return rolls;
    }

    @GET
    @Path("export.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every rating as JSON (pseudonymous rater ids, models revealed)")
    public Response exportJson() {
        state.requireLoaded();
        return Response.ok(book.all().stream().map(ExportRow::of).toList())
                .header("Content-Disposition", "attachment; filename=\"ratings.json\"")
                .build();
    }

    @GET
    @Path("export.csv")
    @Produces("text/csv")
    @Operation(summary = "Every rating as CSV, one row per rating")
    public Response exportCsv() {
        state.requireLoaded();
        StringBuilder csv = new StringBuilder();
        csv.append(String.join(",", ExportRow.COLUMNS)).append("\r\n");
        for (Rating rating : book.all()) {
            csv.append(String.join(",", ExportRow.of(rating).cells().stream().map(RatingResource::csvCell).toList()))
                    .append("\r\n");
        }
        return Response.ok(csv.toString(), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"ratings.csv\"")
                .build();
    }

    static String csvCell(String value) {
        if (value == null) {
            return "";
        }
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    /**
     * Answer to a stored rating: ids only, never the model nor whether it was a catch item.
     *
     * @param pianoRolls the piano rolls of the trial's pieces, left first, now that it is answered; empty unless
     *                   {@code piano-roll = after-answer}
     */
    public record Accepted(String ratingId, String trialId, String sampleId, String pairedWith, Instant submittedAt,
                           int ratedByYou, List<String> pianoRolls) {
    }

    /**
     * One exported rating.
     *
     * @param trialType         single, pair or turing
     * @param catchTrial        a screening item (hidden reference or low anchor)
     * @param clipSeconds       the clip length the rated samples were cut to (empty for older ratings)
     * @param confidence        how sure the rater was of a Turing answer (1-3), when they said
     * @param preferred         for a Turing trial, the clip the rater says a person wrote
     * @param preferredPosition left or right, for a pair or a Turing trial
     */
    public record ExportRow(String ratingId, Instant submittedAt, String raterId, String trialType,
                            boolean catchTrial, Double clipSeconds, String sampleId, String model, Integer pleasing,
                            Integer humanlike, Integer interesting, String pairedWith, String pairedModel,
                            String preferred, String preferredModel, String preferredPosition, Integer confidence) {

        static final List<String> COLUMNS = List.of("ratingId", "submittedAt", "raterId", "trialType", "catchTrial",
                "clipSeconds", "sampleId", "model", "pleasing", "humanlike", "interesting", "pairedWith",
                "pairedModel", "preferred", "preferredModel", "preferredPosition", "confidence");

        static ExportRow of(Rating r) {
            Map<String, Integer> s = r.scores();
            return new ExportRow(r.ratingId(), r.submittedAt(), r.raterId(), r.trialType(), r.catchTrial(),
                    r.clipSeconds(), r.sampleId(), r.model(), s.get(Question.PLEASING.id()),
                    s.get(Question.HUMANLIKE.id()), s.get(Question.INTERESTING.id()), r.pairedWith(), r.pairedModel(),
                    r.preferred(), r.preferredModel(), r.hasTwoClips() ? (r.preferredLeft() ? "left" : "right") : null,
                    r.confidence());
        }

        List<String> cells() {
            return Arrays.asList(ratingId, String.valueOf(submittedAt), raterId, trialType,
                    String.valueOf(catchTrial), clipSeconds == null ? null : String.valueOf(clipSeconds), sampleId,
                    model, str(pleasing), str(humanlike), str(interesting), pairedWith, pairedModel, preferred,
                    preferredModel, preferredPosition, str(confidence));
        }

        private static String str(Integer value) {
            return value == null ? null : value.toString();
        }
    }
}
