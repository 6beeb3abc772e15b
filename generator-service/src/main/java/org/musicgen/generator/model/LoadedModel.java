package org.musicgen.generator.model;

import org.musicgen.core.model.GanModel;
import org.musicgen.core.model.LstmModel;
import org.musicgen.core.encoding.Encoding;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A trained model in memory with the encoding it was trained in (read from its checkpoint). One generation at a time uses it (the lock):
 * the native engine parallelises inside each step, and a sample's result must not depend on what else runs.
 */
public final class LoadedModel implements AutoCloseable {

    private final TrainedModel trained;
    private final int checkpointEpoch;
    private final Encoding encoding;
    private final LstmModel lstm;
    private final GanModel gan;
    private final ReentrantLock lock = new ReentrantLock(true);

    private LoadedModel(TrainedModel trained, int checkpointEpoch, Encoding encoding, LstmModel lstm,
                        GanModel gan) {
        this.trained = trained;
        this.checkpointEpoch = checkpointEpoch;
        this.encoding = encoding;
        this.lstm = lstm;
        this.gan = gan;
    }

    static LoadedModel ofLstm(TrainedModel trained, int epoch, Encoding encoding, LstmModel lstm) {
        return new LoadedModel(trained, epoch, encoding, lstm, null);
    }

    static LoadedModel ofGan(TrainedModel trained, int epoch, Encoding encoding, GanModel gan) {
        return new LoadedModel(trained, epoch, encoding, null, gan);
    }

    public TrainedModel trained() {
        return trained;
    }

    public int checkpointEpoch() {
        return checkpointEpoch;
    }

    /** The encoding of the corpus the model was trained on: how its ids become notes. */
    public Encoding encoding() {
        return encoding;
    }

    /** Ids per training window of the model (the LSTM reads one fewer as context; the GAN writes this many). */
    public int sequenceLength() {
        return lstm != null ? lstm.config().sequenceLength() : gan.config().sequenceLength();
    }

    public boolean isLstm() {
        return lstm != null;
    }

    public LstmModel lstm() {
        if (lstm == null) {
            throw new IllegalStateException("run " + trained.runId() + " is a " + trained.model() + " model");
        }
        return lstm;
    }

    public GanModel gan() {
        if (gan == null) {
            throw new IllegalStateException("run " + trained.runId() + " is a " + trained.model() + " model");
        }
        return gan;
    }

    /** Runs {@code work} with the model to itself. */
    public <T> T exclusively(java.util.function.Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a generation in progress, then frees the native memory. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (lstm != null) {
                lstm.close();
            }
            if (gan != null) {
                gan.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
