package org.musicgen.core.dataset;

import org.musicgen.core.encoding.Encodings;

/**
 * Settings of the ingestion pipeline.
 *
 * @param encoding       {@value Encodings#PERFORMANCE} (default) or {@value Encodings#SEED}
 * @param windowNotes    notes' worth of events per training window when {@code sequenceLength} is 0 (default 100,
 *                       the study's unit): the performance encoding takes the corpus's events per note times this;
 *                       the seed encoding, one token per note or chord, takes this many tokens as the study did
 * @param sequenceLength ids per training window, at least 2; 0 (default) derives it from {@code windowNotes}
 * @param stride         offset between consecutive windows of one piece; 0 (default) is half a window
 * @param stepsPerBeat   seed encoding: quantisation grid steps per quarter note (default 4 = sixteenths)
 * @param maxSteps       seed encoding: longest duration/rest in steps (default 64)
 * @param maxVocabulary  seed encoding: vocabulary size including {@code <unk>} (default 4096), at least 2
 * @param minTokenCount  seed encoding: tokens seen fewer times map to {@code <unk>} (default 1)
 */
public record CorpusOptions(String encoding, int windowNotes, int sequenceLength, int stride, int stepsPerBeat,
                            int maxSteps, int maxVocabulary, int minTokenCount) {

    public static final int DEFAULT_WINDOW_NOTES = 100;

    public CorpusOptions {
        encoding = Encodings.checkName(encoding);
        require(windowNotes >= 2 && windowNotes <= 100_000, "windowNotes must be 2..100000, was " + windowNotes);
        require(sequenceLength == 0 || sequenceLength >= 2,
                "sequenceLength must be >= 2, or 0 to derive it from windowNotes, was " + sequenceLength);
        require(stride >= 0, "stride must be >= 1, or 0 for half a window, was " + stride);
        require(stepsPerBeat >= 1 && stepsPerBeat <= 96, "stepsPerBeat must be 1..96, was " + stepsPerBeat);
        require(maxSteps >= 1, "maxSteps must be >= 1, was " + maxSteps);
        require(maxVocabulary >= 2, "maxVocabulary must be >= 2 (<unk> plus one token), was " + maxVocabulary);
        require(minTokenCount >= 1, "minTokenCount must be >= 1, was " + minTokenCount);
    }

    /** The study's token language with a fixed window: {@code sequenceLength} tokens every {@code stride}. */
    public CorpusOptions(int sequenceLength, int stride, int stepsPerBeat, int maxSteps, int maxVocabulary,
                         int minTokenCount) {
        this(Encodings.SEED, DEFAULT_WINDOW_NOTES, checkExplicit(sequenceLength), checkExplicitStride(stride),
                stepsPerBeat, maxSteps, maxVocabulary, minTokenCount);
    }

    /** Performance events, windows of 100 notes' worth of events, half-window stride. */
    public static CorpusOptions defaults() {
        return of(Encodings.DEFAULT);
    }

    /** Defaults with another encoding. */
    public static CorpusOptions of(String encoding) {
        return new CorpusOptions(encoding, DEFAULT_WINDOW_NOTES, 0, 0, 4, 64, 4096, 1);
    }

    public CorpusOptions withEncoding(String newEncoding) {
        return new CorpusOptions(newEncoding, windowNotes, sequenceLength, stride, stepsPerBeat, maxSteps,
                maxVocabulary, minTokenCount);
    }

    /** The window length for a corpus with this many events and notes. */
    public int windowLength(long events, long notes) {
        if (sequenceLength > 0) {
            return sequenceLength;
        }
        if (Encodings.SEED.equals(encoding) || notes == 0) {
            return windowNotes;
        }
        return (int) Math.max(2, Math.round((double) windowNotes * events / notes));
    }

    /** The stride for a window of {@code length}. */
    public int strideFor(int length) {
        return stride > 0 ? stride : Math.max(1, length / 2);
    }

    private static int checkExplicit(int sequenceLength) {
        require(sequenceLength >= 2, "sequenceLength must be >= 2, was " + sequenceLength);
        return sequenceLength;
    }

    private static int checkExplicitStride(int stride) {
        require(stride >= 1, "stride must be >= 1, was " + stride);
        return stride;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
