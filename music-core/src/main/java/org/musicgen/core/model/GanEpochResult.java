package org.musicgen.core.model;

/**
 * Summary of one GAN epoch.
 *
 * @param epoch 1-based epoch number
 * @param dLoss mean discriminator loss (BCE on real + BCE on fake)
 * @param gLoss mean non-saturating generator loss
 * @param dRealScore mean discriminator probability of "real" on real sequences
 * @param dFakeScore mean discriminator probability of "real" on generated sequences
 * @param steps optimisation steps (one discriminator and one generator update each)
 * @param seconds wall-clock time
 * @param sequencesPerSecond real sequences consumed per second
 * @param gumbelTemperature relaxation temperature used (gumbel formulation)
 */
public record GanEpochResult(int epoch, double dLoss, double gLoss, double dRealScore, double dFakeScore, int steps,
        double seconds, double sequencesPerSecond, double gumbelTemperature) {
}
