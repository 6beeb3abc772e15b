package org.musicgen.platform.events;

import org.musicgen.platform.storage.Buckets;

/**
 * Where a corpus's dataset lives in the object store: the one definition both writer and readers use.
 *
 * @param sequences  training windows (music-core SequenceCodec)
 * @param vocabulary the encoding's stored form (music-core Encodings.read), naming the encoding in its header
 * @param manifest   JSON manifest: encoding, window length, each source file's SHA-256 and counts
 * @param notes      each accepted piece's notes (music-core NotesCodec), so a new encoding needs no re-upload
 */
public record DatasetKeys(String bucket, String sequences, String vocabulary, String manifest, String notes) {

    public static DatasetKeys forCorpus(String corpusId) {
        return new DatasetKeys(Buckets.DATASETS,
                corpusId + "/sequences.bin",
                corpusId + "/vocabulary.tsv",
                corpusId + "/manifest.json",
                corpusId + "/notes.bin");
    }
}
