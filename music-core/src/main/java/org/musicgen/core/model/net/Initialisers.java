package org.musicgen.core.model.net;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.util.Pair;
import java.nio.FloatBuffer;
import java.util.Random;

/** Deterministic initialisation: the same seed always gives the same network, whatever the engine's random state. */
public final class Initialisers {
    /** Uniform in [-sqrt(3), sqrt(3)]: embedding values of variance 1. */
    private static final float EMBEDDING_BOUND = (float) Math.sqrt(3);

    private Initialisers() {
    }

    /**
     * Overwrites every parameter of an initialised block with values drawn from {@code random}, so the same seed
     * always gives the same network (independent of the engine's global random state).
     */
    public static void initialise(Block block, Random random) {
        if (block instanceof LSTM lstm) {
            for (Pair<String, Parameter> p : lstm.getDirectParameters()) {
                Parameter param = p.getValue();
                Shape shape = param.getShape();
                long hidden = shape.get(0) / 4;
                float bound = (float) (1.0 / Math.sqrt(hidden));
                float[] values = new float[(int) shape.size()];
                if (param.getType() == Parameter.Type.BIAS) {
                    // forget-gate bias 1 on the input-to-hidden bias (gate order i, f, g, o)
                    if (p.getKey().contains("i2h")) {
                        for (long i = hidden; i < 2 * hidden; i++) {
                            values[(int) i] = 1f;
                        }
                    }
                } else {
                    fillUniform(values, bound, random);
                }
                set(param, values);
            }
        } else if (block instanceof TokenEmbedding) {
            for (Pair<String, Parameter> p : block.getDirectParameters()) {
                float[] values = new float[(int) p.getValue().getShape().size()];
                // Unit variance (as PyTorch's embeddings): with +-0.1 the LSTM's gates barely saw which token came
                // in, and the model sat at the unigram loss for its first ~100 steps (a whole demo run).
                fillUniform(values, EMBEDDING_BOUND, random);
                set(p.getValue(), values);
            }
        } else {
            for (Pair<String, Parameter> p : block.getDirectParameters()) {
                Parameter param = p.getValue();
                Shape shape = param.getShape();
                float[] values = new float[(int) shape.size()];
                if (param.getType() != Parameter.Type.BIAS && shape.dimension() >= 2) {
                    long fanOut = shape.get(0);
                    long fanIn = shape.size() / fanOut;
                    fillUniform(values, (float) Math.sqrt(6.0 / (fanIn + fanOut)), random);
                } else if (param.getType() != Parameter.Type.BIAS) {
                    fillUniform(values, 0.05f, random);
                }
                set(param, values);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            initialise(child.getValue(), random);
        }
    }

    private static void fillUniform(float[] values, float bound, Random random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextFloat() * 2f - 1f) * bound;
        }
    }

    public static void set(Parameter param, float[] values) {
        param.getArray().set(FloatBuffer.wrap(values));
    }
}
