package org.musicgen.generator.generation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;


@ConfigMapping(prefix = "musicgen.generator")
public interface GeneratorConfig {

    /** Trained models kept loaded in memory; the least recently used one is closed beyond this. */
    @WithDefault("4")
    int modelCacheSize();

    /** Samples generated per model when {@code models.trained} arrives (0 turns the batch off). */
    @WithDefault("8")
    int batchSize();

    /** Real excerpts of the training corpus rendered the same way, as the listening test's control. */
    @WithDefault("8")
    int corpusExcerpts();

    /**
     * Ids (events or tokens of the corpus's encoding) per sample of the automatic batch and per corpus excerpt;
     * 0: as many as {@link #batchSeconds()} of the corpus's music take. Generated samples and excerpts have the same
     * length, so that no group of the listening test is recognisable by it.
     */
    @WithDefault("0")
    int batchLength();

    /**
     * Seconds of music per sample of the automatic batch when {@link #batchLength()} is 0, turned into ids at the
     * corpus's own pace (e.g. about 35 performance events or 6 seed tokens per second of classical piano). Encodings
     * differ tenfold in ids per second, so a length in ids would not give comparable music. A dataset without
     * stored notes (written before they were kept) falls back to the model's window.
     */
    @WithDefault("30")
    double batchSeconds();

    /** Longest sample a request may ask for, in ids of the model's encoding (4000 performance events: ~2 min). */
    @WithDefault("4000")
    int maxLength();

    /** Longest sample a request may ask for, in GAN sequences chained. */
    @WithDefault("32")
    int maxGanSequences();

    /** Largest MIDI prompt accepted, in bytes. */
    @WithDefault("1048576")
    int maxPromptBytes();

    /** Audio is rendered for at most this long; longer samples are cut (the MIDI keeps everything). */
    @WithDefault("120")
    int maxAudioSeconds();

    /** Sample rate of the rendered audio (mono, 16 bit): 22050 Hz keeps a minute of piano near 2.6 MB. */
    @WithDefault("22050")
    int audioSampleRate();

    /** Length of the n-grams looked up in the training data to measure copying. */
    @WithDefault("8")
    int copyNgram();

    /** Longest sample a request may ask for in seconds of music. */
    @WithDefault("240")
    double maxSeconds();

    /** {@code cpu} or {@code gpu} (the first GPU DJL sees). */
    @WithDefault("cpu")
    String device();
}
