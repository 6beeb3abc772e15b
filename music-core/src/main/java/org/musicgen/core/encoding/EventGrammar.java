package org.musicgen.core.encoding;

import java.util.function.IntPredicate;

/**
 * What may come next in a sequence of one encoding's ids, for a model that writes the sequence one id at a time:
 * the sampler draws only {@link #allows allowed} ids and tells the grammar every id of the sequence, the prompt's
 * included, through {@link #accept}. One instance follows one sequence; it is not thread-safe.
 *
 * <p>A grammar must always allow at least one id, and {@link #accept} must take any valid id (a prompt cut from a
 * corpus need not be well formed at its start).
 */
public interface EventGrammar {

    /** Whether {@code id} may come next. */
    boolean allows(int id);

    /** Records that {@code id} came next. */
    void accept(int id);

    /**
     * Reshapes a model's logits for the next id before the draw (in place): a grammar may give the probability the
     * model put on forbidden ids to allowed ids that mean the same thing. By default nothing changes.
     */
    default void shape(float[] logits) {
        // the model's probabilities stand as they are
    }

    /** A grammar without state that allows every id but those {@code excluded}. */
    static EventGrammar excluding(IntPredicate excluded) {
        return new EventGrammar() {
            @Override
            public boolean allows(int id) {
                return !excluded.test(id);
            }

            @Override
            public void accept(int id) {
                // nothing to remember
            }
        };
    }
}
