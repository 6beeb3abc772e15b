package org.musicgen.trainer.rest;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.musicgen.platform.events.TrainingProgress;
import org.musicgen.platform.rest.ProblemException;
import org.musicgen.trainer.run.EpochMetrics;
import org.musicgen.trainer.run.TrainingRun;
import org.musicgen.trainer.run.TrainingRunService;
import org.musicgen.trainer.training.RunEvents;

import java.net.URI;
import java.time.Instant;
import java.util.List;

@Path("/api/training-runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Training runs", description = "Train the LSTM and the GAN on an ingested corpus")
public class TrainingRunResource {

    private final TrainingRunService service;
    private final RunEvents events;

    public TrainingRunResource(TrainingRunService service, RunEvents events) {
        this.service = service;
        this.events = events;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue a training run",
            description = "Body: corpusId, model ('lstm' or 'gan', or a kind: 'roll-gan', 'token-gan'), preset ('default' or 'study'), hyperParameters "
                    + "(overrides by name, e.g. {\"epochs\": \"5\", \"hiddenSize\": \"128\"}, and the run's limits: "
                    + "maxMinutes (time budget, > 0), patience (epochs without improvement of the held-out measure "
                    + "by more than minDelta before stopping, >= 1), minDelta (>= 0)), device ('auto', 'cpu', 'gpu').")
    @APIResponse(responseCode = "202", description = "Queued")
    @APIResponse(responseCode = "400", description = "Invalid model, preset, device, hyper-parameter or limit")
    @APIResponse(responseCode = "404", description = "No dataset for the corpus")
    public Response create(TrainingRunService.RunRequest request, @Context UriInfo uri) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with corpusId and model is required");
        }
        TrainingRun run = service.create(request);
        URI location = uri.getBaseUriBuilder().path("api/training-runs").path(run.id()).build();
        return Response.accepted(run).location(location).build();
    }

    @GET
    @Operation(summary = "List runs, newest first, optionally of one corpus")
    public List<TrainingRun> list(@QueryParam("corpusId") String corpusId) {
        return service.list(corpusId);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A run: status, device, encoding, per-epoch losses, checkpoints, time spent and ETA, "
            + "why it stopped, final metrics")
    @APIResponse(responseCode = "404", description = "Unknown run")
    public TrainingRun get(@PathParam("id") String id) {
        return service.get(id);
    }

    @POST
    @Path("{id}/cancel")
    @Operation(summary = "Cancel a queued or running run; a cancelled run stays cancelled")
    @APIResponse(responseCode = "409", description = "The run already finished")
    public Response cancel(@PathParam("id") String id) {
        return Response.accepted(service.cancel(id)).build();
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Progress as Server-Sent Events: the current state, then steps and epochs until the run ends")
    public Multi<TrainingProgress> events(@PathParam("id") String id) {
        return events.stream(snapshot(service.get(id)));
    }

    private static TrainingProgress snapshot(TrainingRun run) {
        EpochMetrics last = run.history().isEmpty() ? null : run.history().get(run.history().size() - 1);
        return run.progress(last, run.etaSeconds(), Instant.now());
    }
}
