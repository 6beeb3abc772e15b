package org.musicgen.ingest.upload;

import org.musicgen.core.dataset.PieceLabels;

import java.util.Locale;

/** A candidate corpus file after archives are expanded; {@code path} names where it came from. */
public record CorpusEntry(String path, byte[] content) {

    public boolean hasMidiExtension() {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".mid") || lower.endsWith(".midi");
    }

    /** Whether this is the upload's per-piece metadata ({@value PieceLabels#METADATA_FILE}), not a piece. */
    public boolean isMetadata() {
        return isMetadata(path);
    }

    static boolean isMetadata(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        return base.equalsIgnoreCase(PieceLabels.METADATA_FILE);
    }
}
