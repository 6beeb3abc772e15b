package org.musicgen.ingest.upload;

import java.util.Locale;

/** A candidate corpus file after archives are expanded; {@code path} names where it came from. */
public record CorpusEntry(String path, byte[] content) {

    public boolean hasMidiExtension() {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".mid") || lower.endsWith(".midi");
    }
}
