package org.musicgen.core.model;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A model being trained epoch by epoch, as one training loop drives it whatever the model: the loop owns
 * epochs, time budget, early stopping, checkpoints and progress; the trainer owns its steps and its measure on
 * held-out data. A new model kind implements this and needs no loop of its own.
 *
 * <p>Not thread-safe: one trainer per training run. Closing it releases its optimiser state, not the model.
 *
 * @param <E> what one training example is: a token window ({@code int[]}) or a piano-roll phrase
 */
public interface ModelTrainer<E> extends AutoCloseable {

    /** The hyper-parameters it trains with: what its checkpoints state, and what names its kind. */
    ModelConfig config();

    /** What {@link EpochResult#throughput()} counts per second ({@code tokens}, {@code sequences}). */
    String throughputUnit();

    /**
     * Continues a run restored from a checkpoint written after {@code epochsDone} epochs: epoch numbers, shuffling
     * and schedules carry on from there. Call before the first {@link #trainEpoch}.
     */
    void resumeAfter(int epochsDone);

    /**
     * The run now expects to end after {@code epochs} epochs in all (a time budget fits no more): a trainer whose
     * learning rate follows a schedule over the run spans it over these. By default nothing changes.
     */
    default void planEpochs(int epochs) {
    }

    /** Epochs trained so far, counting those before a resume. */
    int epochsDone();

    /**
     * One pass over {@code train}, shuffled with {@code shuffle} (null: the trainer's own seeded order for this
     * epoch); ends early after the step at which {@code listener} answers {@link ProgressListener#stopRequested()}.
     */
    EpochResult trainEpoch(List<E> train, Random shuffle, ProgressListener listener);

    /** Measures on held-out examples by name; always holds {@link #selectionMetric()}. */
    Map<String, Double> heldOutMetrics(List<E> validation);

    /** The held-out measure that picks the best epoch and drives early stopping: lower is better. */
    String selectionMetric();

    /** The model's parameter blocks by name, as a checkpoint stores them. */
    Map<String, byte[]> saveParameters();

    @Override
    void close();
}
