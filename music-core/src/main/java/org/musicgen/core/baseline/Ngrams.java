package org.musicgen.core.baseline;

final class Ngrams {
    private Ngrams() {
    }

    static void check(int token, int vocabularySize) {
        if (token < 0 || token >= vocabularySize) {
            throw new IllegalArgumentException("token " + token + " outside vocabulary [0, " + vocabularySize + ")");
        }
    }
}
