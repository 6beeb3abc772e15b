package org.musicgen.trainer.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.platform.events.RunKeys;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.JsonRecords;
import org.musicgen.platform.storage.ObjectStore;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Run records and checkpoints in the {@code checkpoints} bucket, under {@code runs/<id>/}. */
@ApplicationScoped
public class TrainingRunRepository {

    private final ObjectStore store;
    private final JsonRecords<TrainingRun> records;

    public TrainingRunRepository(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.records = new JsonRecords<>(store, json, RunKeys.BUCKET, RunKeys.PREFIX, RunKeys.RECORD_SUFFIX, TrainingRun.class,
                TrainingRun::id);
    }

    public void save(TrainingRun run) {
        records.save(run);
    }

    public Optional<TrainingRun> find(String id) {
        return records.find(id);
    }

    /** Newest first. */
    public List<TrainingRun> findAll() {
        return records.findAll(Comparator.comparing(TrainingRun::createdAt).reversed());
    }

    public String checkpointKey(String runId, int epoch) {
        return RunKeys.checkpoint(runId, epoch);
    }

    public void saveCheckpoint(String key, byte[] checkpoint) {
        store.put(Buckets.CHECKPOINTS, key, checkpoint, "application/zip");
    }

    public byte[] loadCheckpoint(String key) {
        return store.get(Buckets.CHECKPOINTS, key)
                .orElseThrow(() -> new IllegalStateException("checkpoint " + key + " is missing"));
    }
}
