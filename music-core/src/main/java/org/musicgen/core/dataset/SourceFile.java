package org.musicgen.core.dataset;

/**
 * An accepted file of a built corpus; its position in {@link CorpusDataset#sources()} is the
 * source index used by {@link SequenceSet#sourceIndex()}.
 */
public record SourceFile(String fileName, String sha256, int notes, int tokens, int sequences) {
}
