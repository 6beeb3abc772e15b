package org.musicgen.evaluation.rest;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.musicgen.evaluation.StateRebuilder;
import org.musicgen.evaluation.curves.LiveUpdates;
import org.musicgen.evaluation.results.Results;
import org.musicgen.evaluation.results.ResultsService;

@Path("/api/results")
@Tag(name = "Results", description = "LSTM vs GAN vs real excerpts")
public class ResultsResource {

    private final ResultsService results;
    private final LiveUpdates live;
    private final StateRebuilder state;

    public ResultsResource(ResultsService results, LiveUpdates live, StateRebuilder state) {
        this.results = results;
        this.live = live;
        this.state = state;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The verdict per question, with and without screening (Kruskal-Wallis, Holm-corrected "
            + "Mann-Whitney pairs, Cliff's delta with a bootstrap CI, Krippendorff's alpha, the power line, LSTM vs GAN "
            + "across clips); the screening by catch trials; the Turing test per model (Clopper-Pearson CI, binomial "
            + "test); clip length per source and short samples; preferences; objective metrics; training curves")
    public Results get() {
        state.requireLoaded();
        return results.current();
    }

    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-Sent Events: a run's whole curve when it gains a point or changes status "
            + "(kind 'curve'), the number of ratings when one is stored (kind 'ratings'), and a heartbeat ('ping')")
    public Multi<LiveUpdates.LiveUpdate> events() {
        return live.stream();
    }
}
