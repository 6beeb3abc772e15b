package org.musicgen.evaluation.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.musicgen.evaluation.StateRebuilder;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.evaluation.ratings.Question;
import org.musicgen.evaluation.results.Results;
import org.musicgen.evaluation.results.ResultsService;

import java.util.List;
import java.util.Optional;

/** The two pages: the listening form ({@code /}) and the results ({@code /results}), rendered with Qute. */
@Path("/")
@Tag(name = "Pages")
public class PageResource {

    /**
     * Scripts, styles, media and data come from this service only (no CDN, no inline script); media may also be a
     * {@code blob:} the page made itself (the audio its bundled piano renders from a sample's MIDI).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(String csrfToken, List<Question> questions, int trialsPerSession,
                                             boolean ready);

        static native TemplateInstance results(Results results, String resultsJson);
    }

    private final RaterSessions sessions;
    private final EvaluationConfig config;
    private final StateRebuilder state;
    private final ResultsService results;
    private final ObjectMapper json;

    public PageResource(RaterSessions sessions, EvaluationConfig config, StateRebuilder state,
                        ResultsService results, ObjectMapper json) {
        this.sessions = sessions;
        this.config = config;
        this.state = state;
        this.results = results;
        this.json = json;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The listening form: consent, then a blind, randomised series of trials")
    public Response form(@CookieParam(RaterSessions.COOKIE) String cookie) {
        Optional<String> existing = sessions.valid(cookie);
        String token = existing.orElseGet(sessions::newToken);
        // the count the rater will see in "Trial 1 of N": the catch items (two per catch trial) are trials to them
        String html = Templates.index(RaterSessions.csrfToken(token), List.of(Question.values()),
                config.trialsPerSession() + 2 * Math.max(0, config.catchTrials()), state.isLoaded()).render();
        Response.ResponseBuilder response = page(html);
        if (existing.isEmpty()) {
            response.cookie(sessions.cookie(token));
        }
        return response.build();
    }

    @GET
    @Path("results")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The results page: ratings per model, LSTM vs GAN test, preferences, metrics, training curves")
    public Response results() throws JsonProcessingException {
        state.requireLoaded();
        Results current = results.current();
        return page(Templates.results(current, safeJson(json.writeValueAsString(current))).render()).build();
    }

    /** JSON embedded in a {@code <script type="application/json">} block: '<' escaped so it cannot close it. */
    static String safeJson(String text) {
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    private static Response.ResponseBuilder page(String html) {
        return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("Cache-Control", "no-store");
    }
}
