package org.musicgen.ingest.upload;

/** An upload whose per-piece metadata cannot be read; refused as a whole before anything is stored. */
public class InvalidMetadataException extends UnsafeUploadException {
    public InvalidMetadataException(String message) {
        super(message);
    }
}
