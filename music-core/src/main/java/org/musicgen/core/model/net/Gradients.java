package org.musicgen.core.model.net;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/** The trainable parameter arrays of a block and their gradients: zeroing and global-norm clipping. */
public final class Gradients {

    private Gradients() {
    }

    /** The parameter arrays (one per device) that {@code store} uses for {@code block}. */
    public static List<NDArray> parameterArrays(Block block, ParameterStore store, Device[] devices) {
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
    public static void zeroGradients(List<NDArray> arrays) {
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
    public static double clipGradients(List<NDArray> arrays, double maxNorm) {
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
}
