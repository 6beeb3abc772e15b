package org.musicgen.core.encoding;

import org.musicgen.core.midi.Score;

/**
 * A language of integer events that scores are written in for the models: ids {@code 0..size()-1}.
 * Implementations are immutable and thread-safe. Every service rebuilds the corpus's encoding from the
 * bytes stored with its dataset and checkpoints ({@link Encodings#read(byte[])}), never assuming one.
 */
public interface Encoding {

    /** The wire name: {@value Encodings#PERFORMANCE}, {@value Encodings#PERFORMANCE_DRUMS} or {@value Encodings#SEED}. */
    String name();

    /** Number of ids. */
    int size();

    /** The score as ids; an encoding with a fixed vocabulary never emits {@link #isUnknown unknown} ids. */
    int[] encode(Score score);

    /** A playable score for any sequence of valid ids (a model's output need not be well formed). */
    Score decode(int[] ids);

    /** A readable name of one id, e.g. {@code NOTE_ON(60)} or {@code c48.52.55:16}. */
    String describe(int id);

    /** Whether {@code id} stands for music the encoding could not represent ({@code <unk>}). */
    default boolean isUnknown(int id) {
        return false;
    }

    /**
     * A fresh grammar for one sequence a model writes in this encoding: which ids may come next. By default every id
     * but the {@link #isUnknown unknown} ones.
     */
    default EventGrammar grammar() {
        return EventGrammar.excluding(this::isUnknown);
    }

    /**
     * When each id happens, in seconds from the start: what the controls of a step (the music ahead of it) are
     * measured from. Encodings without a time line of their own refuse.
     */
    default double[] eventSeconds(int[] ids) {
        throw new UnsupportedOperationException("the " + name() + " encoding has no event times: controls need the "
                + Encodings.PERFORMANCE + " encoding");
    }

    /** The stored form (the dataset's and every checkpoint's vocabulary file), read back by {@link Encodings#read}. */
    byte[] toBytes();
}
