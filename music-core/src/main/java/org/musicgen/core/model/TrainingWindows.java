package org.musicgen.core.model;

import java.util.List;
import java.util.Objects;

/** The check every token-window trainer makes of its input. */
public final class TrainingWindows {

    private TrainingWindows() {
    }

    /**
     * The input check every trainer makes: each sequence has the configured length and only ids of the vocabulary;
     * a training set must not be empty.
     *
     * @param what "training" or "validation", for the message
     */
    public static void check(List<int[]> sequences, String what, int sequenceLength, int vocabularySize) {
        Objects.requireNonNull(sequences, what + " sequences");
        if (what.equals("training") && sequences.isEmpty()) {
            throw new IllegalArgumentException("training set is empty");
        }
        for (int[] s : sequences) {
            if (s.length != sequenceLength) {
                throw new IllegalArgumentException(what + " sequence of length " + s.length
                        + " does not match sequenceLength " + sequenceLength);
            }
            for (int id : s) {
                if (id < 0 || id >= vocabularySize) {
                    throw new IllegalArgumentException(what + " token " + id + " outside vocabulary [0, "
                            + vocabularySize + ")");
                }
            }
        }
    }
}
