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

    /**
     * Most bytes all archives of one upload may expand to. Expansion is streamed, but the notes of every accepted
     * file stay in memory while the dataset is built (about 0.1 note per byte of MIDI, tens of bytes per note), so
     * this bounds the processing heap: the 7 MB piano-midi corpus fits four times over.
     */
    @WithDefault("32M")
    MemorySize maxExpandedSize();

    /** Largest single MIDI file, inside an archive or not: a piano piece is tens to hundreds of kilobytes. */
    @WithDefault("4M")
    MemorySize maxFileSize();

    /**
     * Most upload bytes held in memory at once over all concurrent requests (at least {@link #maxUploadSize()});
     * a request that would go over waits a few seconds, then gets 503.
     */
    @WithDefault("96M")
    MemorySize maxInflightUploadSize();

    /** Most files all archives of one upload may hold. */
    @WithDefault("20000")
    int maxArchiveEntries();

    /**
     * Encoding of a corpus whose upload names none: {@code performance} (expressive events, fixed vocabulary, drum
     * hits left out), {@code performance-drums} (the same with drum hits) or {@code seed} (the reference study's
     * note/chord tokens).
     */
    @WithDefault("performance")
    String encoding();

    /**
     * Notes' worth of events per training window when the upload names none (the study's unit is 100): the
     * performance encoding takes the corpus's events per note times this, the seed encoding this many tokens.
     */
    @WithDefault("100")
    int windowNotes();

    /** Ids per training window, overriding {@link #windowNotes()}; 0 derives it from the window's notes. */
    @WithDefault("0")
    int sequenceLength();

    /** Ids between the starts of consecutive windows of one piece; 0 is half a window. */
    @WithDefault("0")
    int stride();

    /** Seed encoding: quantisation grid, steps per quarter note. */
    @WithDefault("4")
    int stepsPerBeat();

    /** Seed encoding: longest note or rest in grid steps; longer ones are clamped (notes) or split (rests). */
    @WithDefault("64")
    int maxSteps();

    /** Seed encoding: most tokens in the vocabulary, {@code <unk>} included. */
    @WithDefault("4096")
    int maxVocabulary();

    /** Seed encoding: tokens seen fewer times become {@code <unk>}. */
    @WithDefault("1")
    int minTokenCount();

    /** How long to wait for the broker to acknowledge {@code corpora.ingested}. */
    @WithDefault("30s")
    Duration publishTimeout();

    /**
     * How long processing keeps retrying, with growing pauses, while the object store or the broker is away; after
     * that the corpus stays PROCESSING until the next start.
     */
    @WithDefault("60s")
    Duration processingPatience();

    /**
     * The pipeline settings for a corpus. A window length asked for at upload wins over a configured
     * {@link #sequenceLength()}.
     *
     * @param encoding    the upload's choice, null for {@link #encoding()}
     * @param windowNotes the upload's choice, null for {@link #windowNotes()}
     * @throws IllegalArgumentException for an unknown encoding or a window out of range, with the reason
     */
    default CorpusOptions corpusOptions(String encoding, Integer windowNotes) {
        return new CorpusOptions(encoding == null ? encoding() : encoding,
                windowNotes == null ? windowNotes() : windowNotes,
                windowNotes == null ? sequenceLength() : 0, stride(), stepsPerBeat(), maxSteps(), maxVocabulary(),
                minTokenCount());
    }
}
