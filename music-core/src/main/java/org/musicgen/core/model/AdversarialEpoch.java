package org.musicgen.core.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The epoch both GAN trainers run: the examples shuffled, one adversarial step a batch, a progress report after each,
 * and an early end when the listener asks for it.
 */
final class AdversarialEpoch {

    /** One discriminator and one generator update on a batch of real examples. */
    interface Step<E> {
        /** Returns {discriminator loss, generator loss, mean D(real), mean D(fake)}. */
        double[] run(List<E> batch);
    }

    private AdversarialEpoch() {
    }

    /**
     * @param firstStep       global number of the epoch's first step, less one
     * @param unitsPerExample what one example counts in the progress's throughput (tokens of a window, 1 phrase)
     * @param temperature     reported with the result (NaN where the formulation has none)
     */
    static <E> GanEpochResult run(int epoch, List<E> examples, Random shuffle, int batchSize, long firstStep,
                                  double unitsPerExample, double temperature, ProgressListener listener,
                                  Step<E> step) {
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
        return new GanEpochResult(epoch, sums[0] / done, sums[1] / done, sums[2] / done, sums[3] / done, done,
                seconds, seen / Math.max(seconds, 1e-9), temperature);
    }

    /** log(1 + exp(x)), numerically stable: the binary cross-entropy of logits. */
    static NDArray softplus(NDArray x) {
        return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
    }
}
