package org.musicgen.generator.model;

import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.core.control.ControlSpace;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.model.ModelCheckpoint;
import org.musicgen.core.model.kind.ModelKind;
import org.musicgen.platform.storage.ObjectStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Describes trained models from their checkpoints without loading them into the engine, once per checkpoint (a
 * checkpoint never changes under its key).
 */
@ApplicationScoped
public class ModelDescriptions {

    private final ObjectStore store;
    private final Map<String, ModelDescription> described = new ConcurrentHashMap<>();

    public ModelDescriptions(ObjectStore store) {
        this.store = store;
    }

    /** Empty when the checkpoint is gone from the object store. */
    public Optional<ModelDescription> of(TrainedModel trained) {
        ModelDescription known = described.get(trained.checkpointKey());
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ModelDescription> read = store.get(trained.checkpointBucket(), trained.checkpointKey())
                .map(bytes -> describe(ModelCheckpoint.decode(bytes)));
        read.ifPresent(d -> described.put(trained.checkpointKey(), d));
        return read;
    }

    static ModelDescription describe(ModelCheckpoint checkpoint) {
        ModelKind kind = ModelKind.kindOf(checkpoint);
        Encoding encoding = checkpoint.readEncoding();
        // the hyper-parameters of specification version 2; older checkpoints have none: trained without controls
        boolean controls = Boolean.parseBoolean(checkpoint.config().getOrDefault("controls", "false"));
        List<String> labels = controls ? ControlSpace.ofStored(checkpoint.config().get("labels")).labels() : List.of();
        return new ModelDescription(kind.wireName(), encoding.name(), encoding.size(), checkpoint.epoch(), controls,
                labels);
    }
}
