package org.musicgen.trainer.training;

/** Thrown from a progress callback to stop a run that was cancelled. */
public class RunCancelledException extends RuntimeException {
    public RunCancelledException(String runId) {
        super("run " + runId + " was cancelled");
    }
}
