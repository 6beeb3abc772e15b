package org.musicgen.generator.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.platform.events.RunKeys;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.JsonRecords;
import org.musicgen.platform.storage.ObjectStore;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The models the generator knows, kept in the {@code samples} bucket under {@code models/<runId>/model.json} so a
 * restarted generator still serves every model announced before.
 */
@ApplicationScoped
public class ModelCatalogue {

    private final ObjectStore store;
    private final JsonRecords<TrainedModel> records;

    public ModelCatalogue(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.records = new JsonRecords<>(store, json, Buckets.SAMPLES, "models/", "/model.json", TrainedModel.class,
                TrainedModel::runId);
    }

    public void register(TrainedModel model) {
        records.save(model);
    }

    public Optional<TrainedModel> find(String runId) {
        return records.find(runId);
    }

    /** The most recently trained model of a kind for a corpus. */
    public Optional<TrainedModel> latest(String corpusId, String model) {
        return records.findAll(Comparator.comparing(TrainedModel::trainedAt).reversed()).stream()
                .filter(m -> m.corpusId().equals(corpusId) && m.model().equals(model))
                .findFirst();
    }

    public List<TrainedModel> all() {
        return records.findAll(Comparator.comparing(TrainedModel::trainedAt).reversed());
    }

    /** Whether the trainer has a record of the run (it exists but has not finished, if not in the catalogue). */
    public boolean trainerKnows(String runId) {
        return store.exists(RunKeys.BUCKET, RunKeys.record(runId));
    }
}
