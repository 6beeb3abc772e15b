package org.musicgen.trainer.training;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Sizes PyTorch's intra-op thread pool from {@code musicgen.trainer.cpu-threads} at start, so that a trainer pod
 * uses the cores its CPU limit grants rather than every core of the node (oversubscribed threads slow CPU
 * training several-fold). 0 leaves the engine's own choice.
 */
@ApplicationScoped
public class EngineThreads {

    private static final Logger LOG = Logger.getLogger(EngineThreads.class);

    void apply(@Observes StartupEvent start, TrainerConfig config) {
        int threads = config.cpuThreads();
        if (threads < 0) {
            throw new IllegalStateException("musicgen.trainer.cpu-threads must be 0 (the engine decides) or more, got "
                    + threads);
        }
        if (threads > 0) {
            LOG.infof("PyTorch intra-op threads: %d (musicgen.trainer.cpu-threads)", set(threads));
        }
    }

    /** Sets the intra-op threads of the engine, loading it first; returns the number now in force. */
    static int set(int threads) {
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        return JniUtils.getNumThreads();
    }
}
