package org.musicgen.core.dataset;

import org.musicgen.core.midi.MidiReader;

/**
 * What happened to one uploaded file.
 *
 * @param fileName as given by the uploader
 * @param sha256   lower-case hex SHA-256 of the content
 * @param accepted whether the file is part of the corpus
 * @param reason   why it was rejected; null for an accepted file (what it contributes is in the built
 *                 corpus's {@link SourceFile})
 * @param notes    notes read (0 when rejected), drum hits apart
 * @param drumHits drum hits kept (0 when rejected or read without drums)
 * @param instruments what was left out or read as piano ({@link MidiReader.Instruments#summary}); empty when nothing
 */
public record FileOutcome(String fileName, String sha256, boolean accepted, String reason, int notes, int drumHits,
                          String instruments) {

    public FileOutcome {
        instruments = instruments == null ? "" : instruments;
    }

    /** A file rejected for {@code reason}. */
    static FileOutcome rejected(String fileName, String sha256, String reason) {
        return new FileOutcome(fileName, sha256, false, reason, 0, 0, "");
    }
}
