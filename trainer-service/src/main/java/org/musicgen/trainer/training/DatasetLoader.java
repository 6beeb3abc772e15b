package org.musicgen.trainer.training;

import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.core.dataset.SequenceCodec;
import org.musicgen.core.dataset.SequenceSet;
import org.musicgen.core.dataset.TrainValidationSplit;
import org.musicgen.core.tokens.Vocabulary;
import org.musicgen.platform.events.DatasetKeys;
import org.musicgen.platform.storage.ObjectStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Reads a corpus's dataset from the {@code datasets} bucket and splits it by piece. */
@ApplicationScoped
public class DatasetLoader {

    private final ObjectStore store;

    public DatasetLoader(ObjectStore store) {
        this.store = store;
    }

    /** A corpus is trainable once its dataset objects exist. */
    public boolean exists(String corpusId) {
        DatasetKeys keys = DatasetKeys.forCorpus(corpusId);
        return store.exists(keys.bucket(), keys.sequences()) && store.exists(keys.bucket(), keys.vocabulary());
    }

    public Optional<TrainingData> load(String corpusId, double validationFraction, long seed) {
        DatasetKeys keys = DatasetKeys.forCorpus(corpusId);
        Optional<byte[]> sequences = store.get(keys.bucket(), keys.sequences());
        Optional<byte[]> vocabulary = store.get(keys.bucket(), keys.vocabulary());
        if (sequences.isEmpty() || vocabulary.isEmpty()) {
            return Optional.empty();
        }
        SequenceSet set = SequenceCodec.decode(sequences.get());
        try {
            Vocabulary vocab = Vocabulary.readFrom(new ByteArrayInputStream(vocabulary.get()));
            return Optional.of(new TrainingData(vocab, vocabulary.get(), set.sequenceLength(),
                    TrainValidationSplit.byPiece(set, validationFraction, seed)));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable vocabulary of corpus " + corpusId, e);
        }
    }

    /**
     * @param vocabularyBytes the vocabulary as stored, copied into every checkpoint
     */
    public record TrainingData(Vocabulary vocabulary, byte[] vocabularyBytes, int sequenceLength,
                               TrainValidationSplit split) {
    }
}
