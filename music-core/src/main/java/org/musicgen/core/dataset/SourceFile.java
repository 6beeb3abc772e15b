package org.musicgen.core.dataset;

import org.musicgen.core.midi.MidiReader;

/**
 * An accepted file of a built corpus; its position in {@link CorpusDataset#sources()} is the
 * source index used by {@link SequenceSet#sourceIndex()} and {@link CorpusDataset#pieces()}.
 *
 * @param notes     notes read (drum hits apart)
 * @param tokens    ids the encoding wrote for the piece (events or tokens)
 * @param unknown   of those, ids that stand for music the encoding could not represent ({@code <unk>})
 * @param sequences training windows cut from the piece
 * @param label     the piece's label from the corpus's metadata or folders ({@link PieceLabels}); null when none
 * @param drumHits  drum hits kept (0 in an encoding without drums)
 * @param instruments what was left out or read as piano ({@link MidiReader.Instruments#summary}); empty when nothing
 */
public record SourceFile(String fileName, String sha256, int notes, int tokens, int unknown, int sequences,
                         String label, int drumHits, String instruments) {

    public SourceFile {
        instruments = instruments == null ? "" : instruments;
    }

    /** A piano piece. */
    public SourceFile(String fileName, String sha256, int notes, int tokens, int unknown, int sequences,
                      String label) {
        this(fileName, sha256, notes, tokens, unknown, sequences, label, 0, "");
    }

    /** A piece without a label. */
    public SourceFile(String fileName, String sha256, int notes, int tokens, int unknown, int sequences) {
        this(fileName, sha256, notes, tokens, unknown, sequences, null);
    }
}
