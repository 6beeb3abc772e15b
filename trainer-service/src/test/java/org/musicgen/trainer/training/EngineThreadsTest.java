package org.musicgen.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A Quarkus test: the engine's native library lives in the application's class loader. */
@QuarkusTest
class EngineThreadsTest {

    @Test
    void theConfiguredThreadsAreThoseTheEngineUses() {
        Engine.getEngine("PyTorch");
        int before = JniUtils.getNumThreads();
        try {
            assertEquals(1, EngineThreads.set(1));
            assertEquals(3, EngineThreads.set(3));
            assertEquals(3, JniUtils.getNumThreads());
        } finally {
            JniUtils.setNumThreads(before);
        }
    }
}
