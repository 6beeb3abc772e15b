package org.musicgen.core.model.gan;

import org.musicgen.core.model.net.GradMode;
import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.ProgressListener;
import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The epoch both GAN trainers run: the examples shuffled, one adversarial step a batch, a progress report after each,
 * and an early end when the listener asks for it.
 */
public final class AdversarialEpoch {
    /** Mean discriminator loss (binary cross-entropy on real plus on fake). */
    public static final String DISCRIMINATOR_LOSS = "discriminatorLoss";
    /** Mean non-saturating generator loss. */
    public static final String GENERATOR_LOSS = "generatorLoss";
    /** Mean probability of "real" the discriminator gives real examples. */
    public static final String DISCRIMINATOR_REAL_SCORE = "discriminatorRealScore";
    /** Mean probability of "real" the discriminator gives generated examples. */
    public static final String DISCRIMINATOR_FAKE_SCORE = "discriminatorFakeScore";
    /** The Gumbel-softmax temperature of the epoch (token GAN's gumbel formulation only). */
    public static final String GUMBEL_TEMPERATURE = "gumbelTemperature";

    /** One discriminator and one generator update on a batch of real examples. */
    public interface Step<E> {
        /** Returns {discriminator loss, generator loss, mean D(real), mean D(fake)}. */
        double[] run(List<E> batch);
    }

    private AdversarialEpoch() {
    }

    /**
     * @param firstStep       global number of the epoch's first step, less one
     * @param unitsPerExample what one example counts in the progress's throughput (tokens of a window, 1 phrase)
     * @param temperature     reported with the result; NaN where the formulation has none (then left out)
     */
    public static <E> EpochResult run(int epoch, List<E> examples, Random shuffle, int batchSize, long firstStep,
                                  double unitsPerExample, double temperature, ProgressListener listener,
                                  Step<E> step) {
        GradMode.off(); // the steps' gradient collectors turn it on and back off; the updates run without it
        List<E> order = new ArrayList<>(examples);
        Collections.shuffle(order, shuffle);
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        int steps = (order.size() + batchSize - 1) / batchSize;
        long start = System.nanoTime();
        double[] sums = new double[4];
        int done = 0;
        long seen = 0;
        for (int s = 0; s < steps; s++) {
            List<E> batch = order.subList(s * batchSize, Math.min(order.size(), (s + 1) * batchSize));
            long t0 = System.nanoTime();
            double[] r = step.run(batch);
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < sums.length; i++) {
                sums[i] += r[i];
            }
            done++;
            seen += batch.size();
            progress.onStep(new ProgressListener.StepProgress(epoch, s + 1, steps, firstStep + done, r[1], r[0],
                    batch.size() * unitsPerExample / Math.max(seconds, 1e-9)));
            if (progress.stopRequested()) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(DISCRIMINATOR_LOSS, sums[0] / done);
        metrics.put(GENERATOR_LOSS, sums[1] / done);
        metrics.put(DISCRIMINATOR_REAL_SCORE, sums[2] / done);
        metrics.put(DISCRIMINATOR_FAKE_SCORE, sums[3] / done);
        if (!Double.isNaN(temperature)) {
            metrics.put(GUMBEL_TEMPERATURE, temperature);
        }
        return new EpochResult(epoch, done, seconds, seen / Math.max(seconds, 1e-9), metrics);
    }

    /** log(1 + exp(x)), numerically stable: the binary cross-entropy of logits. */
    public static NDArray softplus(NDArray x) {
        return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
    }
}
