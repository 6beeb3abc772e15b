package org.musicgen.platform.events;

import java.time.Instant;

/**
 * Sent on {@link Topics#CORPORA_INGESTED} once a corpus's dataset is durable in the {@code datasets} bucket.
 *
 * @param datasetBucket bucket holding the three dataset objects
 * @param sequencesKey  token sequences in the binary sequence format of music-core
 * @param vocabularyKey vocabulary, one {@code token<TAB>count} per line, index = line number
 * @param manifestKey   JSON manifest with the encoding, each source file's SHA-256 and counts
 * @param notesKey      each accepted piece's notes
 * @param encoding      the corpus's encoding: {@code performance} or {@code seed}; null in events written before
 *                      encodings existed, which were {@code seed}
 */
public record CorpusIngested(
        String eventId,
        String type,
        Instant occurredAt,
        String corpusId,
        String corpusName,
        String datasetBucket,
        String sequencesKey,
        String vocabularyKey,
        String manifestKey,
        String notesKey,
        String encoding,
        int sequenceLength,
        int sequenceCount,
        int vocabularySize) {

    public static final String TYPE = Topics.CORPORA_INGESTED;

    public static CorpusIngested of(String corpusId, String corpusName, DatasetKeys keys, String encoding,
                                    int sequenceLength, int sequenceCount, int vocabularySize, Instant occurredAt) {
        return new CorpusIngested(EventIds.of(TYPE, corpusId), TYPE, occurredAt, corpusId, corpusName,
                keys.bucket(), keys.sequences(), keys.vocabulary(), keys.manifest(), keys.notes(), encoding,
                sequenceLength, sequenceCount, vocabularySize);
    }
}
