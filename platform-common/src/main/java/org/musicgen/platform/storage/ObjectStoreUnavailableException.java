package org.musicgen.platform.storage;

/** The object store could not be reached or failed; the caller may retry later. */
public class ObjectStoreUnavailableException extends RuntimeException {
    public ObjectStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
