package org.musicgen.trainer.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.core.dataset.NotesCodec;
import org.musicgen.core.dataset.SequenceCodec;
import org.musicgen.core.dataset.SequenceSet;
import org.musicgen.core.dataset.TrainValidationSplit;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.midi.Score;
import org.musicgen.platform.events.DatasetKeys;
import org.musicgen.platform.events.DatasetManifest;
import org.musicgen.platform.storage.ObjectStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a corpus's dataset from the {@code datasets} bucket and splits it by piece. The encoding is rebuilt from
 * the stored vocabulary, never assumed; the stored notes, when the dataset has them (datasets written before
 * encodings existed do not), give each piece's whole id stream; the manifest gives each piece's label, when the
 * corpus has labels.
 */
@ApplicationScoped
public class DatasetLoader {

    private final ObjectStore store;
    private final ObjectMapper json;

    public DatasetLoader(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
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
        Encoding encoding;
        try {
            encoding = Encodings.read(vocabulary.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the stored encoding of corpus " + corpusId + " is unreadable: "
                    + e.getMessage(), e);
        }
        SequenceSet set = SequenceCodec.decode(sequences.get());
        TrainValidationSplit split = TrainValidationSplit.byPiece(set, validationFraction, seed);
        List<EncodedPiece> train = new ArrayList<>();
        List<EncodedPiece> validation = new ArrayList<>();
        Optional<byte[]> notes = store.get(keys.bucket(), keys.notes());
        if (notes.isPresent()) {
            List<Score> pieces;
            try {
                pieces = NotesCodec.decode(notes.get());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the stored notes of corpus " + corpusId + " are unreadable: "
                        + e.getMessage(), e);
            }
            int sources = set.size() == 0 ? 0 : maxSource(set) + 1;
            if (pieces.size() < sources) {
                throw new IllegalStateException("the stored notes of corpus " + corpusId + " hold " + pieces.size()
                        + " pieces, its windows come from " + sources);
            }
            List<String> labels = labels(corpusId, keys);
            Set<Integer> heldOut = new HashSet<>(split.validationPieces());
            for (int i = 0; i < pieces.size(); i++) {
                Score piece = pieces.get(i);
                String label = i < labels.size() ? labels.get(i) : null;
                EncodedPiece encoded = new EncodedPiece(i, encoding.encode(piece), piece.notes().size(), piece, label);
                (heldOut.contains(i) ? validation : train).add(encoded);
            }
        }
        return Optional.of(new TrainingData(encoding, vocabulary.get(), set.sequenceLength(), split,
                List.copyOf(train), List.copyOf(validation)));
    }

    /** Each piece's label in source order; empty for a dataset whose manifest is missing or lists no files. */
    private List<String> labels(String corpusId, DatasetKeys keys) {
        Optional<byte[]> manifest = store.get(keys.bucket(), keys.manifest());
        if (manifest.isEmpty()) {
            return List.of();
        }
        try {
            return DatasetManifest.pieceLabels(manifest.get(), json);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the stored manifest of corpus " + corpusId + " is unreadable: "
                    + e.getMessage(), e);
        }
    }

    private static int maxSource(SequenceSet set) {
        int max = 0;
        for (int i = 0; i < set.size(); i++) {
            max = Math.max(max, set.sourceOf(i));
        }
        return max;
    }

    /**
     * @param encoding         the corpus's encoding, rebuilt from its stored vocabulary
     * @param vocabularyBytes  the stored vocabulary, copied into every checkpoint (it names the encoding)
     * @param trainPieces      whole id streams of the pieces not held out; empty for a dataset without notes
     * @param validationPieces whole id streams of the held-out pieces ({@code split.validationPieces()}); empty for a
     *                         dataset without notes
     */
    public record TrainingData(Encoding encoding, byte[] vocabularyBytes, int sequenceLength,
                               TrainValidationSplit split, List<EncodedPiece> trainPieces,
                               List<EncodedPiece> validationPieces) {

        /** Whether whole pieces are known (datasets written before notes were kept have only windows). */
        public boolean hasPieces() {
            return !trainPieces.isEmpty() || !validationPieces.isEmpty();
        }

        /** The corpus's distinct piece labels, sorted; empty for a corpus without labels. */
        public List<String> labels() {
            Set<String> labels = new TreeSet<>();
            trainPieces.stream().map(EncodedPiece::label).filter(Objects::nonNull).forEach(labels::add);
            validationPieces.stream().map(EncodedPiece::label).filter(Objects::nonNull).forEach(labels::add);
            return List.copyOf(labels);
        }
    }
}
