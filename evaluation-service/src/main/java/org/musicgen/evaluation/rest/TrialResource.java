package org.musicgen.evaluation.rest;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.musicgen.evaluation.StateRebuilder;
import org.musicgen.evaluation.trials.TrialService;

import java.util.Optional;

/** The rater's session and series of trials. Nothing here names a model. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Listening test", description = "Blind trials for an anonymous rater (cookie)")
public class TrialResource {

    private final RaterSessions sessions;
    private final TrialService trials;
    private final StateRebuilder state;

    public TrialResource(RaterSessions sessions, TrialService trials, StateRebuilder state) {
        this.sessions = sessions;
        this.trials = trials;
        this.state = state;
    }

    @GET
    @Path("session")
    @Operation(summary = "The anonymous rater session: sets the rater cookie when missing and returns the CSRF token "
            + "that POST requests must send in the X-CSRF-Token header")
    public Response session(@CookieParam(RaterSessions.COOKIE) String cookie) {
        Optional<String> existing = sessions.valid(cookie);
        String token = existing.orElseGet(sessions::newToken);
        Response.ResponseBuilder response = Response.ok(new Session(RaterSessions.csrfToken(token),
                        RaterSessions.CSRF_HEADER))
                .header("Cache-Control", "no-store");
        if (existing.isEmpty()) {
            response.cookie(sessions.cookie(token));
        }
        return response.build();
    }

    @GET
    @Path("trials")
    @Operation(summary = "The rater's current series: trials left to answer, in order (a new series when none)",
            description = "Each trial: an opaque id (send it as trialId with the answer), its kind (single, pair or "
                    + "turing) and its samples by opaque id; a catch item is a single trial like any other.")
    @APIResponse(responseCode = "403", description = "No rater cookie")
    public Response current(@CookieParam(RaterSessions.COOKIE) String cookie) {
        String rater = sessions.requireRater(cookie);
        state.requireLoaded();
        return Response.ok(trials.current(rater)).header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("trials")
    @Operation(summary = "Start a new series (to rate more once a series is done)")
    @APIResponse(responseCode = "403", description = "No rater cookie or CSRF token")
    public Response next(@CookieParam(RaterSessions.COOKIE) String cookie,
                         @HeaderParam(RaterSessions.CSRF_HEADER) String csrf) {
        sessions.requireCsrf(cookie, csrf);
        state.requireLoaded();
        return Response.ok(trials.next(sessions.requireRater(cookie))).header("Cache-Control", "no-store").build();
    }

    public record Session(String csrfToken, String csrfHeader) {
    }
}
