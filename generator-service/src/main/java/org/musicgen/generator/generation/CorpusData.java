package org.musicgen.generator.generation;

import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.core.dataset.NotesCodec;
import org.musicgen.core.dataset.SequenceCodec;
import org.musicgen.core.dataset.SequenceSet;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.metrics.TrainingNgramIndex;
import org.musicgen.core.midi.Score;
import org.musicgen.platform.events.DatasetKeys;
import org.musicgen.platform.rest.ProblemException;
import org.musicgen.platform.storage.ObjectStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The training data of the corpora models were trained on, read once from the {@code datasets} bucket: prompt
 * windows for the LSTM, the stored pieces' notes for real excerpts (the listening test's control) and the corpus's
 * pace, and the n-gram index that measures how much of a sample is copied from it. The few most recently used
 * corpora stay in memory.
 */
@ApplicationScoped
public class CorpusData {

    private static final int CACHED_CORPORA = 4;

    private final ObjectStore store;
    private final int copyNgram;
    private final LinkedHashMap<String, Dataset> cache = new LinkedHashMap<>(8, 0.75f, true);

    public CorpusData(ObjectStore store, GeneratorConfig config) {
        this.store = store;
        this.copyNgram = config.copyNgram();
    }

    public Dataset of(String corpusId) {
        synchronized (cache) {
            Dataset dataset = cache.get(corpusId);
            if (dataset == null) {
                dataset = load(corpusId);
                cache.put(corpusId, dataset);
                if (cache.size() > CACHED_CORPORA) {
                    cache.remove(cache.keySet().iterator().next());
                }
            }
            return dataset;
        }
    }

    private Dataset load(String corpusId) {
        DatasetKeys keys = DatasetKeys.forCorpus(corpusId);
        byte[] bytes = store.get(keys.bucket(), keys.sequences())
                .orElseThrow(() -> ProblemException.notFound("the dataset of corpus '" + corpusId
                        + "' is not in the object store any more"));
        SequenceSet sequences = SequenceCodec.decode(bytes);
        // Datasets written before the notes were kept have none: excerpts then come from the training windows.
        List<Score> pieces = store.get(keys.bucket(), keys.notes()).map(NotesCodec::decode).orElse(List.of());
        return new Dataset(sequences, TrainingNgramIndex.build(sequences, copyNgram), pieces);
    }

    /** A corpus's training windows, the index of their n-grams, and its pieces' notes (empty for old datasets). */
    public static final class Dataset {

        private final SequenceSet sequences;
        private final TrainingNgramIndex ngrams;
        private final List<Score> pieces;
        private Encoded encoded;

        Dataset(SequenceSet sequences, TrainingNgramIndex ngrams, List<Score> pieces) {
            this.sequences = sequences;
            this.ngrams = ngrams;
            this.pieces = List.copyOf(pieces);
        }

        public SequenceSet sequences() {
            return sequences;
        }

        public TrainingNgramIndex ngrams() {
            return ngrams;
        }

        public List<Score> pieces() {
            return pieces;
        }

        /**
         * The whole pieces in the corpus's encoding, and how many ids a second of the decoded music takes; empty
         * when the dataset keeps no notes.
         */
        public synchronized Optional<Encoded> encoded(Encoding encoding) {
            if (pieces.isEmpty()) {
                return Optional.empty();
            }
            String key = encoding.name() + ":" + encoding.size();
            if (encoded == null || !encoded.key().equals(key)) {
                List<int[]> streams = new ArrayList<>(pieces.size());
                List<Score> scores = new ArrayList<>(pieces.size());
                long ids = 0;
                double seconds = 0;
                for (Score piece : pieces) {
                    int[] stream = encoding.encode(piece);
                    Score decoded = encoding.decode(stream);
                    streams.add(stream);
                    scores.add(decoded);
                    ids += stream.length;
                    // the decoded timeline: the seed encoding plays every piece at 120 bpm
                    seconds += decoded.lengthSeconds();
                }
                encoded = new Encoded(key, List.copyOf(streams), List.copyOf(scores), seconds > 0 ? ids / seconds : 0);
            }
            return Optional.of(encoded);
        }
    }

    /**
     * @param pieces       each stored piece as ids
     * @param scores       each piece's notes as the encoding keeps them (decoded from its ids, timed at 120 bpm): what
     *                     real excerpts are cut from, so that they sound as the corpus's models hear it
     * @param idsPerSecond ids per second of decoded music over the corpus (0 if it has no duration)
     */
    public record Encoded(String key, List<int[]> pieces, List<Score> scores, double idsPerSecond) {
    }
}
