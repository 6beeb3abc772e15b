package org.musicgen.evaluation.trials;

import org.musicgen.evaluation.ratings.Rating;

import java.util.Arrays;
import java.util.Optional;

/** What a trial asks; its wire name is the {@code trialType} of the rating it gives. */
public enum TrialType {
    /** One clip and the three 1-5 questions (a catch item looks exactly like this). */
    SINGLE(Rating.SINGLE, 1),
    /** Two clips of different sources: which do you prefer? */
    PAIR(Rating.PAIR, 2),
    /** A real excerpt and a generated clip: which one was written by a person? */
    TURING(Rating.TURING, 2);

    private final String wireName;
    private final int clips;

    TrialType(String wireName, int clips) {
        this.wireName = wireName;
        this.clips = clips;
    }

    public String wireName() {
        return wireName;
    }

    public int clips() {
        return clips;
    }

    public static Optional<TrialType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
