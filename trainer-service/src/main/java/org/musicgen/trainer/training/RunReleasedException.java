package org.musicgen.trainer.training;

/**
 * Thrown to stop a run that this replica gave up (its {@code training.runs} partition moved to another replica, or
 * the service is shutting down): the run writes nothing more; its new owner resumes it from its last checkpoint.
 */
public class RunReleasedException extends RuntimeException {
    public RunReleasedException(String runId) {
        super("run " + runId + " was handed to another trainer");
    }
}
