package org.musicgen.core.dataset;

/**
 * What happened to one uploaded file.
 *
 * @param fileName as given by the uploader
 * @param sha256   lower-case hex SHA-256 of the content
 * @param accepted whether the file is part of the corpus
 * @param reason   why it was rejected; for an accepted file null, or a note such as
 *                 "accepted, but 37 tokens are fewer than the sequence length 100: it contributes no sequences"
 * @param notes    notes read (0 when rejected)
 * @param tokens   tokens produced (0 when rejected)
 */
public record FileOutcome(String fileName, String sha256, boolean accepted, String reason, int notes, int tokens) {
}
