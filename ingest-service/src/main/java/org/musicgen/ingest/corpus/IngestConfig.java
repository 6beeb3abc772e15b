package org.musicgen.ingest.corpus;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import org.musicgen.core.dataset.CorpusOptions;

import java.time.Duration;

@ConfigMapping(prefix = "musicgen.ingest")
public interface IngestConfig {

    /** Largest accepted request body; larger uploads get 413. */
    @WithDefault("64M")
    MemorySize maxUploadSize();

    /** Most bytes all archives of one upload may expand to. */
    @WithDefault("512M")
    MemorySize maxExpandedSize();

    /** Most files all archives of one upload may hold. */
    @WithDefault("20000")
    int maxArchiveEntries();

    /** Tokens per training sequence. */
    @WithDefault("100")
    int sequenceLength();

    /** Tokens between the starts of consecutive sequences of one piece. */
    @WithDefault("50")
    int stride();

    /** Quantisation grid: steps per quarter note. */
    @WithDefault("4")
    int stepsPerBeat();

    /** Longest note or rest in grid steps; longer ones are clamped (notes) or split (rests). */
    @WithDefault("64")
    int maxSteps();

    @WithDefault("4096")
    int maxVocabulary();

    @WithDefault("1")
    int minTokenCount();

    /** How long to wait for the broker to acknowledge {@code corpora.ingested}. */
    @WithDefault("30s")
    Duration publishTimeout();

    /** Attempts to finish a corpus when the object store or broker fails, with growing pauses between. */
    @WithDefault("8")
    int processingAttempts();

    default CorpusOptions corpusOptions() {
        return new CorpusOptions(sequenceLength(), stride(), stepsPerBeat(), maxSteps(), maxVocabulary(),
                minTokenCount());
    }
}
