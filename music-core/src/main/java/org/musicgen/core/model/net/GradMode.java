package org.musicgen.core.model.net;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Inference through the engine without autograd, on the calling thread. libtorch keeps its grad mode per thread and
 * starts every thread with it on; DJL turns it off only on the thread that loaded the engine, and while it is on the
 * recurrent layers compute as in training: the same LSTM checkpoint gave other logits on any other thread (a
 * service's worker threads, or a test after one that first used the engine on a thread pool). Every inference entry
 * point calls {@link #off()} first; a training step's gradient collector turns it on for the step and restores it.
 */
public final class GradMode {

    private GradMode() {
    }

    public static void off() {
        JniUtils.setGradMode(false);
    }
}
