package org.musicgen.generator.model;

import ai.djl.Device;
import org.musicgen.core.model.ModelCheckpoint;
import org.musicgen.core.model.ModelConfig;
import org.musicgen.core.model.gan.roll.PianoRollGan;
import org.musicgen.core.model.gan.roll.RollGanConfig;
import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.gan.token.TokenGanConfig;
import org.musicgen.core.model.kind.ModelKind;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
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
        ModelConfig config = ModelKind.configOf(checkpoint);
        byte[] parameters = checkpoint.parameters("model");
        LoadedModel model;
        if (config instanceof LstmConfig lstm) {
            model = LoadedModel.ofLstm(trained, checkpoint.epoch(), encoding,
                    LstmModel.load(lstm, encoding.size(), device, parameters));
        } else if (config instanceof RollGanConfig rollGan) {
            model = LoadedModel.ofRollGan(trained, checkpoint.epoch(), encoding,
                    PianoRollGan.load(rollGan, device, parameters));
        } else if (config instanceof TokenGanConfig tokenGan) {
            model = LoadedModel.ofGan(trained, checkpoint.epoch(), encoding,
                    TokenGan.load(tokenGan, encoding.size(), device, parameters));
        } else {
            throw new IllegalStateException("checkpoint " + trained.checkpointKey() + " holds a model kind this "
                    + "generator cannot run: " + ModelKind.of(config).wireName());
        }
        LOG.infof("loaded %s model of run %s (epoch %d, %s encoding of %d ids) in %d ms", ModelKind.of(config).wireName(),
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
