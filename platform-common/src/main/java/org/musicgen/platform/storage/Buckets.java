package org.musicgen.platform.storage;

import java.util.List;

/** Object-store buckets of the wire contract (DESIGN.md). */
public final class Buckets {
    public static final String CORPORA = "corpora";
    public static final String DATASETS = "datasets";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String SAMPLES = "samples";
    public static final String RATINGS = "ratings";

    public static final List<String> ALL = List.of(CORPORA, DATASETS, CHECKPOINTS, SAMPLES, RATINGS);

    private Buckets() {
    }
}
