package org.musicgen.platform.events;

import org.musicgen.platform.storage.Buckets;

/** Where a corpus's dataset lives in the object store: the one definition both writer and readers use. */
public record DatasetKeys(String bucket, String sequences, String vocabulary, String manifest) {

    public static DatasetKeys forCorpus(String corpusId) {
        return new DatasetKeys(Buckets.DATASETS,
                corpusId + "/sequences.bin",
                corpusId + "/vocabulary.tsv",
                corpusId + "/manifest.json");
    }
}
