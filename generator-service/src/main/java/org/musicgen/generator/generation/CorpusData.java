package org.musicgen.generator.generation;

import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.core.dataset.SequenceCodec;
import org.musicgen.core.dataset.SequenceSet;
import org.musicgen.core.metrics.TrainingNgramIndex;
import org.musicgen.platform.events.DatasetKeys;
import org.musicgen.platform.rest.ProblemException;
import org.musicgen.platform.storage.ObjectStore;

import java.util.LinkedHashMap;

/**
 * The training data of the corpora models were trained on, read once from the {@code datasets} bucket: prompt
 * windows for the LSTM, real excerpts for the listening test's control, and the n-gram index that measures how much
 * of a sample is copied from it. The few most recently used corpora stay in memory.
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
        return new Dataset(sequences, TrainingNgramIndex.build(sequences, copyNgram));
    }

    /** A corpus's token sequences and the index of their n-grams. */
    public record Dataset(SequenceSet sequences, TrainingNgramIndex ngrams) {
    }
}
