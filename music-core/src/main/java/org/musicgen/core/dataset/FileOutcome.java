package org.musicgen.core.dataset;

/**
 * What happened to one uploaded file.
 *
 * @param fileName as given by the uploader
 * @param sha256   lower-case hex SHA-256 of the content
 * @param accepted whether the file is part of the corpus
 * @param reason   why it was rejected; null for an accepted file (what it contributes is in the built
 *                 corpus's {@link SourceFile})
 * @param notes    notes read (0 when rejected)
 */
public record FileOutcome(String fileName, String sha256, boolean accepted, String reason, int notes) {
}
