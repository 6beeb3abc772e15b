package org.musicgen.generator.model;

import ai.djl.Device;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.musicgen.core.model.GanModel;
import org.musicgen.core.model.PianoRollGan;
import org.musicgen.core.model.LstmModel;
import org.musicgen.core.model.ModelCheckpoint;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.generator.generation.GeneratorConfig;
import org.musicgen.platform.storage.ObjectStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trained models loaded from their checkpoints, at most {@code musicgen.generator.model-cache-size} at once; the least
 * recently used one is closed (after any generation using it) when another must be loaded.
 */
@ApplicationScoped
public class ModelCache {

    private static final Logger LOG = Logger.getLogger(ModelCache.class);

    private final ObjectStore store;
    private final int capacity;
    private final Device device;
    private final LinkedHashMap<String, LoadedModel> loaded = new LinkedHashMap<>(16, 0.75f, true);

    public ModelCache(ObjectStore store, GeneratorConfig config) {
        this.store = store;
        this.capacity = Math.max(1, config.modelCacheSize());
        this.device = "gpu".equalsIgnoreCase(config.device()) ? Device.gpu() : Device.cpu();
    }

    public LoadedModel get(TrainedModel trained) {
        List<LoadedModel> evicted = new ArrayList<>();
        LoadedModel model;
        synchronized (loaded) {
            model = loaded.get(trained.checkpointKey());
            if (model == null) {
                model = load(trained);
                loaded.put(trained.checkpointKey(), model);
                var it = loaded.entrySet().iterator();
                while (loaded.size() > capacity && it.hasNext()) {
                    Map.Entry<String, LoadedModel> eldest = it.next();
                    evicted.add(eldest.getValue());
                    it.remove();
                }
            }
        }
        for (LoadedModel old : evicted) {
            LOG.infof("model cache full (%d): unloading run %s", capacity, old.trained().runId());
            old.close();
        }
        return model;
    }

    public int size() {
        synchronized (loaded) {
            return loaded.size();
        }
    }

    private LoadedModel load(TrainedModel trained) {
        long t0 = System.nanoTime();
        byte[] bytes = store.get(trained.checkpointBucket(), trained.checkpointKey())
                .orElseThrow(() -> new IllegalStateException("checkpoint " + trained.checkpointKey()
                        + " of run " + trained.runId() + " is missing from the object store"));
        ModelCheckpoint checkpoint = ModelCheckpoint.decode(bytes);
        Encoding encoding;
        try {
            encoding = checkpoint.readEncoding();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("checkpoint " + trained.checkpointKey() + " of run " + trained.runId()
                    + " holds no usable encoding: " + e.getMessage(), e);
        }
        LoadedModel model = switch (checkpoint.model()) {
            case "lstm" -> LoadedModel.ofLstm(trained, checkpoint.epoch(), encoding, LstmModel.load(
                    checkpoint.lstmConfig(), encoding.size(), device, checkpoint.parameters("model")));
            case "gan" -> checkpoint.ganConfig().isRoll()
                    ? LoadedModel.ofRollGan(trained, checkpoint.epoch(), encoding, PianoRollGan.load(
                            checkpoint.ganConfig(), device, checkpoint.parameters("model")))
                    : LoadedModel.ofGan(trained, checkpoint.epoch(), encoding, GanModel.load(
                            checkpoint.ganConfig(), encoding.size(), device, checkpoint.parameters("model")));
            default -> throw new IllegalStateException("checkpoint " + trained.checkpointKey()
                    + " holds an unknown model '" + checkpoint.model() + "'");
        };
        LOG.infof("loaded %s model of run %s (epoch %d, %s encoding of %d ids) in %d ms", checkpoint.model(),
                trained.runId(), checkpoint.epoch(), encoding.name(), encoding.size(),
                (System.nanoTime() - t0) / 1_000_000);
        return model;
    }

    void onStop(@Observes ShutdownEvent event) {
        synchronized (loaded) {
            loaded.values().forEach(LoadedModel::close);
            loaded.clear();
        }
    }
}
