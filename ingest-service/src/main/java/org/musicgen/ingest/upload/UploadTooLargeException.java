package org.musicgen.ingest.upload;

/** An upload refused for its size (a file, the expansion or the number of files over a limit): HTTP 413. */
public class UploadTooLargeException extends UnsafeUploadException {
    public UploadTooLargeException(String message) {
        super(message);
    }
}
