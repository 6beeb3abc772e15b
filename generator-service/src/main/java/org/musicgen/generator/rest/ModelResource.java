package org.musicgen.generator.rest;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.musicgen.generator.model.ModelCatalogue;
import org.musicgen.generator.model.ModelDescription;
import org.musicgen.generator.model.ModelDescriptions;
import org.musicgen.generator.model.TrainedModel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Models", description = "The trained models samples can be generated from")
public class ModelResource {

    private final ModelCatalogue catalogue;
    private final ModelDescriptions descriptions;

    public ModelResource(ModelCatalogue catalogue, ModelDescriptions descriptions) {
        this.catalogue = catalogue;
        this.descriptions = descriptions;
    }

    @GET
    @Operation(summary = "The trained models per corpus, newest first",
            description = "Each with its kind, encoding, whether it takes controls and which labels it knows, and "
                    + "the final metrics of its training run. A model whose checkpoint is gone is left out.")
    public List<CorpusModels> list(@QueryParam("corpusId") String corpusId) {
        Map<String, List<ModelView>> byCorpus = new LinkedHashMap<>();
        for (TrainedModel trained : catalogue.all()) {
            if (corpusId != null && !corpusId.equals(trained.corpusId())) {
                continue;
            }
            descriptions.of(trained).ifPresent(d -> byCorpus.computeIfAbsent(trained.corpusId(),
                    c -> new ArrayList<>()).add(ModelView.of(trained, d)));
        }
        return byCorpus.entrySet().stream().map(e -> new CorpusModels(e.getKey(), e.getValue())).toList();
    }

    /** The models trained on one corpus, newest first. */
    public record CorpusModels(String corpusId, List<ModelView> models) {
    }

    /**
     * A trained model as a person chooses it.
     *
     * @param model    the family asked of {@code POST /api/samples}: {@code lstm} or {@code gan}
     * @param kind     {@code lstm}, {@code roll-gan} or {@code token-gan}
     * @param controls whether it takes {@code key}, {@code notesPerSecond}, {@code label} and {@code likePrompt}
     * @param labels   the labels it knows (empty when none)
     * @param metrics  the training run's final metrics, by name (as announced on {@code models.trained})
     */
    public record ModelView(String runId, String corpusId, String model, String kind, String encoding,
                            int vocabularySize, int epochs, int checkpointEpoch, Instant trainedAt, boolean controls,
                            List<String> labels, Map<String, Double> metrics) {

        static ModelView of(TrainedModel trained, ModelDescription description) {
            return new ModelView(trained.runId(), trained.corpusId(), trained.model(), description.kind(),
                    description.encoding(), description.vocabularySize(), trained.epochs(),
                    description.checkpointEpoch(), trained.trainedAt(), description.controls(), description.labels(),
                    trained.metrics());
        }
    }
}
