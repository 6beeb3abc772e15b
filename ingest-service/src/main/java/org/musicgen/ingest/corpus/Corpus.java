package org.musicgen.ingest.corpus;

import org.musicgen.platform.events.DatasetKeys;

import java.time.Instant;
import java.util.List;

/**
 * A submitted corpus and what became of it. Stored as JSON in the {@code corpora} bucket, which is the
 * single source of truth: the service keeps no other state.
 *
 * @param fingerprint SHA-256 over the uploads' checksums, to recognise a re-sent identical upload
 * @param uploadKeys  keys of the raw uploads in the {@code corpora} bucket, in upload order
 * @param dataset     where the dataset lives once READY, otherwise null
 */
public record Corpus(
        String id,
        String name,
        CorpusStatus status,
        Instant createdAt,
        Instant updatedAt,
        String fingerprint,
        List<String> uploadKeys,
        List<AcceptedFile> acceptedFiles,
        List<RejectedFile> rejectedFiles,
        Counts counts,
        DatasetKeys dataset,
        String failure) {

    public record AcceptedFile(String file, String sha256, int notes, int tokens, int sequences) {
    }

    public record RejectedFile(String file, String reason) {
    }

    public record Counts(int files, int acceptedFiles, int rejectedFiles, long notes, long tokens, int sequences,
                         int sequenceLength, int vocabularySize) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0);
    }

    public static Corpus processing(String id, String name, String fingerprint, List<String> uploadKeys, Instant now) {
        return new Corpus(id, name, CorpusStatus.PROCESSING, now, now, fingerprint, List.copyOf(uploadKeys),
                List.of(), List.of(), Counts.NONE, null, null);
    }

    public Corpus ready(List<AcceptedFile> accepted, List<RejectedFile> rejected, Counts counts, DatasetKeys keys,
                        Instant now) {
        return new Corpus(id, name, CorpusStatus.READY, createdAt, now, fingerprint, uploadKeys,
                List.copyOf(accepted), List.copyOf(rejected), counts, keys, null);
    }

    public Corpus failed(List<RejectedFile> rejected, Counts counts, String failure, Instant now) {
        return new Corpus(id, name, CorpusStatus.FAILED, createdAt, now, fingerprint, uploadKeys,
                List.of(), List.copyOf(rejected), counts, null, failure);
    }
}
