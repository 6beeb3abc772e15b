package org.musicgen.generator.model;

import org.musicgen.core.control.ControlSpace;
import org.musicgen.core.model.gan.roll.PianoRollGan;
import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.generate.LstmInference;
import org.musicgen.core.model.lstm.LstmModel;
import org.musicgen.core.encoding.Encoding;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A trained model in memory with the encoding it was trained in (read from its checkpoint). The LSTM is kept as its
 * pure-Java forward step ({@link LstmInference}): each request samples on its own thread, concurrently with the
 * others, and a sample depends on its seed only. The GANs generate one sample at a time (the lock): the native engine
 * parallelises inside each call, and a sample's result must not depend on what else runs.
 */
public final class LoadedModel implements AutoCloseable {

    private final TrainedModel trained;
    private final int checkpointEpoch;
    private final Encoding encoding;
    private final LstmInference lstm;
    private final TokenGan gan;
    private final PianoRollGan rollGan;
    private final ReentrantLock lock = new ReentrantLock(true);

    private LoadedModel(TrainedModel trained, int checkpointEpoch, Encoding encoding, LstmInference lstm,
                        TokenGan gan, PianoRollGan rollGan) {
        this.trained = trained;
        this.checkpointEpoch = checkpointEpoch;
        this.encoding = encoding;
        this.lstm = lstm;
        this.gan = gan;
        this.rollGan = rollGan;
    }

    /** Keeps the model's parameters as plain Java arrays and frees the engine's copy: generation needs no more. */
    static LoadedModel ofLstm(TrainedModel trained, int epoch, Encoding encoding, LstmModel lstm) {
        try (lstm) {
            return new LoadedModel(trained, epoch, encoding, LstmInference.of(lstm), null, null);
        }
    }

    static LoadedModel ofGan(TrainedModel trained, int epoch, Encoding encoding, TokenGan gan) {
        return new LoadedModel(trained, epoch, encoding, null, gan, null);
    }

    /** The piano-roll GAN: its phrases become notes, written in the corpus's encoding like any sample. */
    static LoadedModel ofRollGan(TrainedModel trained, int epoch, Encoding encoding, PianoRollGan gan) {
        return new LoadedModel(trained, epoch, encoding, null, null, gan);
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

    /**
     * Ids per training window of the model (the LSTM reads one fewer as context; the token GAN writes this many);
     * the piano-roll GAN writes phrases, not windows.
     */
    public int sequenceLength() {
        if (rollGan != null) {
            throw new IllegalStateException("run " + trained.runId() + " writes piano-roll phrases, not windows");
        }
        return lstm != null ? lstm.contextWindow() + 1 : gan.config().sequenceLength();
    }

    /**
     * The controls the model reads (key, density, its labels), or empty for a model trained without them: the token
     * GAN never reads any.
     */
    public Optional<ControlSpace> controlSpace() {
        if (lstm != null) {
            return lstm.controlSpace();
        }
        return rollGan != null ? rollGan.controlSpace() : Optional.empty();
    }

    public boolean isRollGan() {
        return rollGan != null;
    }

    public PianoRollGan rollGan() {
        if (rollGan == null) {
            throw new IllegalStateException("run " + trained.runId() + " is not a piano-roll GAN");
        }
        return rollGan;
    }

    public boolean isLstm() {
        return lstm != null;
    }

    public LstmInference lstm() {
        if (lstm == null) {
            throw new IllegalStateException("run " + trained.runId() + " is a " + trained.model() + " model");
        }
        return lstm;
    }

    public TokenGan gan() {
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

    /** Waits for the generations in progress, then frees the native memory. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (gan != null) {
                gan.close();
            }
            if (rollGan != null) {
                rollGan.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
