package org.musicgen.platform.events;

/** Kafka topic names of the wire contract (DESIGN.md); a failed message goes to {@code <topic>.dlq}. */
public final class Topics {
    public static final String CORPORA_INGESTED = "corpora.ingested";
    public static final String TRAINING_PROGRESS = "training.progress";
    public static final String MODELS_TRAINED = "models.trained";
    public static final String SAMPLES_GENERATED = "samples.generated";
    public static final String RATINGS_SUBMITTED = "ratings.submitted";

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }
}
