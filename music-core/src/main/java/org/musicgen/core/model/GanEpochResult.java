package org.musicgen.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Summary of one GAN epoch.
 *
 * @param epoch 1-based epoch number
 * @param dLoss mean discriminator loss (BCE on real + BCE on fake)
 * @param gLoss mean non-saturating generator loss
 * @param dRealScore mean discriminator probability of "real" on real sequences
 * @param dFakeScore mean discriminator probability of "real" on generated sequences
 * @param steps optimisation steps (one discriminator and one generator update each; fewer than a whole
 *              epoch's when it was ended early)
 * @param seconds wall-clock time
 * @param sequencesPerSecond real sequences consumed per second
 * @param gumbelTemperature relaxation temperature used (gumbel formulation)
 */
public record GanEpochResult(int epoch, double dLoss, double gLoss, double dRealScore, double dFakeScore, int steps,
        double seconds, double sequencesPerSecond, double gumbelTemperature) implements EpochSummary {

    @Override
    public double throughput() {
        return sequencesPerSecond;
    }

    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("discriminatorLoss", dLoss);
        metrics.put("generatorLoss", gLoss);
        metrics.put("discriminatorRealScore", dRealScore);
        metrics.put("discriminatorFakeScore", dFakeScore);
        return metrics;
    }
}
