package org.musicgen.ingest.upload;

/** An upload that is refused as a whole (unsafe or absurd archive); nothing of it is stored. */
public class UnsafeUploadException extends Exception {
    public UnsafeUploadException(String message) {
        super(message);
    }
}
