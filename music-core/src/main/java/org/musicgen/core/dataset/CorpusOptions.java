package org.musicgen.core.dataset;

/**
 * Settings of the ingestion pipeline.
 *
 * @param sequenceLength ids per training sequence (default 100), at least 2
 * @param stride         offset between consecutive windows of one piece (default 50), at least 1
 * @param stepsPerBeat   quantisation grid steps per quarter note (default 4 = sixteenths)
 * @param maxSteps       longest duration/rest in steps (default 64)
 * @param maxVocabulary  vocabulary size including {@code <unk>} (default 4096), at least 2
 * @param minTokenCount  tokens seen fewer times map to {@code <unk>} (default 1)
 */
public record CorpusOptions(int sequenceLength, int stride, int stepsPerBeat, int maxSteps,
                            int maxVocabulary, int minTokenCount) {

    public CorpusOptions {
        require(sequenceLength >= 2, "sequenceLength must be >= 2, was " + sequenceLength);
        require(stride >= 1, "stride must be >= 1, was " + stride);
        require(stepsPerBeat >= 1 && stepsPerBeat <= 96, "stepsPerBeat must be 1..96, was " + stepsPerBeat);
        require(maxSteps >= 1, "maxSteps must be >= 1, was " + maxSteps);
        require(maxVocabulary >= 2, "maxVocabulary must be >= 2 (<unk> plus one token), was " + maxVocabulary);
        require(minTokenCount >= 1, "minTokenCount must be >= 1, was " + minTokenCount);
    }

    public static CorpusOptions defaults() {
        return new CorpusOptions(100, 50, 4, 64, 4096, 1);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
