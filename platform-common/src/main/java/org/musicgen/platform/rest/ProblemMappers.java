package org.musicgen.platform.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.musicgen.platform.storage.ObjectStoreUnavailableException;

/** Turns every error a service raises into an {@code application/problem+json} response. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** Seconds a client should wait before retrying when the object store is down. */
    static final String STORE_RETRY_AFTER = "10";

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder response = respond(e.toProblem());
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response storeUnavailable(ObjectStoreUnavailableException e) {
        LOG.warnf("object store unavailable: %s", e.getMessage());
        return respond(Problem.of(503, "Service Unavailable",
                "The object store cannot be reached right now; nothing was stored. Retry in a few seconds."))
                .header("Retry-After", STORE_RETRY_AFTER)
                .build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        String detail = e.getMessage() != null ? e.getMessage() : title;
        return respond(Problem.of(status, title, detail)).build();
    }

    public static Response.ResponseBuilder respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }
}
