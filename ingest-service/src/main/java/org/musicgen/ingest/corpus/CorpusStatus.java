package org.musicgen.ingest.corpus;

public enum CorpusStatus {
    /** Uploads are stored; parsing and segmentation are under way (or will resume after a restart). */
    PROCESSING,
    /** The dataset is durable and {@code corpora.ingested} was sent. */
    READY,
    /** No file of the corpus could be used; see the rejected files. */
    FAILED
}
