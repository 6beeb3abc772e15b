package org.musicgen.core.dataset;

/**
 * An accepted file of a built corpus; its position in {@link CorpusDataset#sources()} is the
 * source index used by {@link SequenceSet#sourceIndex()} and {@link CorpusDataset#pieces()}.
 *
 * @param notes     notes read
 * @param tokens    ids the encoding wrote for the piece (events or tokens)
 * @param unknown   of those, ids that stand for music the encoding could not represent ({@code <unk>})
 * @param sequences training windows cut from the piece
 * @param label     the piece's label from the corpus's metadata or folders ({@link PieceLabels}); null when none
 */
public record SourceFile(String fileName, String sha256, int notes, int tokens, int unknown, int sequences,
                         String label) {

    /** A piece without a label. */
    public SourceFile(String fileName, String sha256, int notes, int tokens, int unknown, int sequences) {
        this(fileName, sha256, notes, tokens, unknown, sequences, null);
    }
}
