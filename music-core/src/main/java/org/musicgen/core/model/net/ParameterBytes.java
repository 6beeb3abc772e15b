package org.musicgen.core.model.net;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** A model's parameters as bytes, after a header whose parameter count is checked on load. */
public final class ParameterBytes {
    private static final int MAGIC = 0x4D47504D; // "MGPM"

    private ParameterBytes() {
    }

    /**
     * {@code model} once {@code load} has given it its parameters; closed (its native memory freed) when they do not
     * fit, and the failure thrown on.
     */
    public static <M extends AutoCloseable> M loadedOrClosed(M model, Consumer<M> load) {
        try {
            load.accept(model);
            return model;
        } catch (RuntimeException e) {
            try {
                model.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public static long parameterCount(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            n += p.getValue().getShape().size();
        }
        return n;
    }

    /** Parameters of the blocks, after a header holding the parameter count (checked on load). */
    public static byte[] save(Block... blocks) {
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

    public static void load(NDManager manager, byte[] data, Block... blocks) {
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
