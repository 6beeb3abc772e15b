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
     * Seconds of every listening clip: each sample of the automatic batch, each real excerpt and its low anchor is cut
     * to exactly this length, the same for every source, so that no source is recognisable (or preferred) by its
     * length. Enough music is generated for it (the corpus's pace with a growing margin, up to {@link #maxLength()}
     * ids or {@link #maxGanSequences()} GAN sequences); a model whose music is still shorter is stored with its true
     * length and reported by name, never padded. A length in ids would not do: encodings and models differ in ids per
     * second.
     */
    @WithDefault("30")
    double clipSeconds();

    /**
     * Longest sample a request may ask for, in ids of the model's encoding (4000 performance events: ~2 min): also the
     * largest margin a listening clip's generation may grow to.
     */
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
