package org.musicgen.trainer.training;

/** Asked by a training run at every step and before every write whether it may go on. */
@FunctionalInterface
public interface RunControl {

    /**
     * Returns when the run may go on; throws {@link RunCancelledException} when it was cancelled, and
     * {@link RunReleasedException} when this replica no longer owns it.
     */
    void check(String runId);
}
