package org.musicgen.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Sgd;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/** Shared helpers: deterministic initialisation, gradients, optimisers, parameter bytes. */
final class NetSupport {
    /** Uniform in [-sqrt(3), sqrt(3)]: embedding values of variance 1. */
    private static final float EMBEDDING_BOUND = (float) Math.sqrt(3);

    private NetSupport() {
    }

    /**
     * Overwrites every parameter of an initialised block with values drawn from {@code random}, so the same seed
     * always gives the same network (independent of the engine's global random state).
     */
    static void initialise(Block block, Random random) {
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

    static void set(Parameter param, float[] values) {
        param.getArray().set(FloatBuffer.wrap(values));
    }

    static long parameterCount(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            n += p.getValue().getShape().size();
        }
        return n;
    }

    /** The parameter arrays (one per device) that {@code store} uses for {@code block}. */
    static List<NDArray> parameterArrays(Block block, ParameterStore store, Device[] devices) {
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                continue;
            }
            for (Device d : devices) {
                arrays.add(store.getValue(p.getValue(), d, true));
            }
        }
        return arrays;
    }

    /** Sets all gradients to zero (the engine accumulates gradients across backward passes). */
    static void zeroGradients(List<NDArray> arrays) {
        for (NDArray a : arrays) {
            if (a.hasGradient()) {
                try (NDArray g = a.getGradient()) {
                    g.muli(0f);
                }
            }
        }
    }

    /**
     * Scales the gradients so that their global L2 norm is at most {@code maxNorm}.
     *
     * @return the norm before clipping
     */
    static double clipGradients(List<NDArray> arrays, double maxNorm) {
        double sumSq = 0;
        List<NDArray> grads = new ArrayList<>(arrays.size());
        try {
            for (NDArray a : arrays) {
                if (!a.hasGradient()) {
                    continue;
                }
                NDArray g = a.getGradient();
                grads.add(g);
                // Both temporaries live in the parameters' long-lived manager: close each, or every step leaks
                // a copy of all gradients.
                try (NDArray sq = g.square(); NDArray sum = sq.sum()) {
                    sumSq += sum.getFloat();
                }
            }
            double norm = Math.sqrt(sumSq);
            if (maxNorm > 0 && norm > maxNorm && Double.isFinite(norm)) {
                float scale = (float) (maxNorm / (norm + 1e-6));
                for (NDArray g : grads) {
                    g.muli(scale);
                }
            }
            return norm;
        } finally {
            for (NDArray g : grads) {
                g.close();
            }
        }
    }

    /**
     * The input check every trainer makes: each sequence has the configured length and only ids of the vocabulary;
     * a training set must not be empty.
     *
     * @param what "training" or "validation", for the message
     */
    static void checkSequences(List<int[]> sequences, String what, int sequenceLength, int vocabularySize) {
        Objects.requireNonNull(sequences, what + " sequences");
        if (what.equals("training") && sequences.isEmpty()) {
            throw new IllegalArgumentException("training set is empty");
        }
        for (int[] s : sequences) {
            if (s.length != sequenceLength) {
                throw new IllegalArgumentException(what + " sequence of length " + s.length
                        + " does not match sequenceLength " + sequenceLength);
            }
            for (int id : s) {
                if (id < 0 || id >= vocabularySize) {
                    throw new IllegalArgumentException(what + " token " + id + " outside vocabulary [0, "
                            + vocabularySize + ")");
                }
            }
        }
    }

    /** Learning rate at update {@code step}: linear warm-up, then constant, cosine or step decay. */
    static Tracker schedule(double baseRate, String kind, int warmupSteps, int totalSteps) {
        float base = (float) baseRate;
        int total = Math.max(1, totalSteps);
        return step -> {
            if (warmupSteps > 0 && step < warmupSteps) {
                return base * (step + 1) / warmupSteps;
            }
            int s = step - warmupSteps;
            int span = Math.max(1, total - warmupSteps);
            switch (kind) {
                case "cosine": {
                    double progress = Math.min(1.0, (double) s / span);
                    double min = 0.05 * base;
                    return (float) (min + (base - min) * 0.5 * (1 + Math.cos(Math.PI * progress)));
                }
                case "step": {
                    int drops = Math.min(3, s * 3 / span);
                    return (float) (base * Math.pow(0.5, drops));
                }
                default:
                    return base;
            }
        };
    }

    /**
     * The named optimiser, its state (moments, momentum, mean squares) kept in {@code owner}: DJL's optimisers
     * detach their state from every manager, so closing a trainer freed none of it and every run (and every resume)
     * left its optimiser state behind in native memory, about 90 MB for the default GAN.
     */
    static Optimizer optimizer(String name, Tracker rate, double weightDecay, double beta1, NDManager owner) {
        switch (name) {
            case "sgd": {
                Sgd.Builder builder = Optimizer.sgd().setLearningRateTracker(rate).optMomentum(0.9f)
                        .optWeightDecays((float) weightDecay);
                return new OwnedSgd(builder, owner);
            }
            case "rmsprop":
                return RmsPropOptimizer.builder().learningRate(rate).optWeightDecays((float) weightDecay)
                        .owner(owner).build();
            default: {
                Adam.Builder builder = Optimizer.adam().optLearningRateTracker(rate).optBeta1((float) beta1)
                        .optWeightDecays((float) weightDecay);
                return new OwnedAdam(builder, owner);
            }
        }
    }

    /** Moves an optimiser's state array into {@code owner}, once; returns it. */
    static NDArray owned(NDArray state, NDManager owner) {
        if (state.getManager() != owner) {
            state.attach(owner);
        }
        return state;
    }

    private static final class OwnedAdam extends Adam {
        private final NDManager owner;

        OwnedAdam(Adam.Builder builder, NDManager owner) {
            super(builder);
            this.owner = owner;
        }

        @Override
        protected NDArray withDefaultState(Map<String, Map<Device, NDArray>> state, String key, Device device,
                Function<String, NDArray> defaultFunction) {
            return owned(super.withDefaultState(state, key, device, defaultFunction), owner);
        }
    }

    private static final class OwnedSgd extends Sgd {
        private final NDManager owner;

        OwnedSgd(Sgd.Builder builder, NDManager owner) {
            super(builder);
            this.owner = owner;
        }

        @Override
        protected NDArray withDefaultState(Map<String, Map<Device, NDArray>> state, String key, Device device,
                Function<String, NDArray> defaultFunction) {
            return owned(super.withDefaultState(state, key, device, defaultFunction), owner);
        }
    }

    private static final int MAGIC = 0x4D47504D; // "MGPM"

    /** Parameters of the blocks, after a header holding the parameter count (checked on load). */
    static byte[] save(Block... blocks) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            long count = 0;
            for (Block b : blocks) {
                count += parameterCount(b);
            }
            out.writeLong(count);
            for (Block b : blocks) {
                b.saveParameters(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void load(NDManager manager, byte[] data, Block... blocks) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a saved parameter set of this library");
            }
            long count = in.readLong();
            long expected = 0;
            for (Block b : blocks) {
                expected += parameterCount(b);
            }
            if (count != expected) {
                throw new IllegalArgumentException("parameters do not fit this model: saved " + count
                        + " values, the model has " + expected + " (different configuration or vocabulary?)");
            }
            for (Block b : blocks) {
                b.loadParameters(manager, in);
                // Loading replaces the arrays with ones that record no gradient: a resumed run must train them.
                for (Pair<String, Parameter> p : b.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        p.getValue().getArray().setRequiresGradient(true);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ai.djl.MalformedModelException e) {
            throw new IllegalArgumentException("parameters do not fit this model: " + e.getMessage(), e);
        }
    }

}
