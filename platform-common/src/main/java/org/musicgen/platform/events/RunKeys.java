package org.musicgen.platform.events;

import org.musicgen.platform.storage.Buckets;

/**
 * Where the trainer keeps a run in the {@code checkpoints} bucket: its record ({@code runs/<id>/run.json}, the run's
 * status) and one checkpoint per epoch. Other services read them by these keys only.
 */
public final class RunKeys {
    public static final String BUCKET = Buckets.CHECKPOINTS;
    public static final String PREFIX = "runs/";
    public static final String RECORD_SUFFIX = "/run.json";

    private RunKeys() {
    }

    public static String record(String runId) {
        return PREFIX + runId + RECORD_SUFFIX;
    }

    public static String checkpoint(String runId, int epoch) {
        return PREFIX + runId + String.format("/checkpoint-epoch-%04d.ckpt", epoch);
    }
}
