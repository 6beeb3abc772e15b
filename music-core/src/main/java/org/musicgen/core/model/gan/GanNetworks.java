package org.musicgen.core.model.gan;

import java.util.List;

import static org.musicgen.core.model.HyperParameters.requireRange;

/** The checks of the hyper-parameters both GANs share: the generator's and the discriminator's sizes and rates. */
public final class GanNetworks {

    private GanNetworks() {
    }

    /** Refuses, by name, a shared GAN hyper-parameter out of range; returns the generator's sizes, immutable. */
    public static List<Integer> check(int noiseSize, List<Integer> generatorHidden, int discriminatorEmbedding,
                                      int discriminatorHidden, int discriminatorLayers, int discriminatorDense,
                                      double generatorLearningRate, double discriminatorLearningRate, int batchSize,
                                      int epochs) {
        requireRange("noiseSize", noiseSize, 1, 4096);
        if (generatorHidden == null || generatorHidden.isEmpty() || generatorHidden.size() > 8) {
            throw new IllegalArgumentException("generatorHidden must list 1 to 8 layer sizes, got " + generatorHidden);
        }
        for (Integer h : generatorHidden) {
            if (h == null || h < 1 || h > 16384) {
                throw new IllegalArgumentException("generatorHidden sizes must be in [1, 16384], got "
                        + generatorHidden);
            }
        }
        requireRange("discriminatorEmbedding", discriminatorEmbedding, 1, 4096);
        requireRange("discriminatorHidden", discriminatorHidden, 1, 8192);
        requireRange("discriminatorLayers", discriminatorLayers, 1, 8);
        requireRange("discriminatorDense", discriminatorDense, 1, 8192);
        if (!(generatorLearningRate > 0 && generatorLearningRate <= 1)) {
            throw new IllegalArgumentException("generatorLearningRate must be in (0, 1], got " + generatorLearningRate);
        }
        if (!(discriminatorLearningRate > 0 && discriminatorLearningRate <= 1)) {
            throw new IllegalArgumentException(
                    "discriminatorLearningRate must be in (0, 1], got " + discriminatorLearningRate);
        }
        requireRange("batchSize", batchSize, 1, 65536);
        requireRange("epochs", epochs, 1, 100000);
        return List.copyOf(generatorHidden);
    }
}
