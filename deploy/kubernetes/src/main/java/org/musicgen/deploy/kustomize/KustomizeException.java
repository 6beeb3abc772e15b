package org.musicgen.deploy.kustomize;

/** A kustomization that cannot be built: a missing file, an unsupported field, a patch that matches nothing. */
public class KustomizeException extends RuntimeException {
    public KustomizeException(String message) {
        super(message);
    }

    public KustomizeException(String message, Throwable cause) {
        super(message, cause);
    }
}
