package org.musicgen.evaluation.ratings;

import java.util.Arrays;
import java.util.Optional;

/** The 1-5 questions of a single trial. Their ids are the keys of {@code RatingSubmitted.scores}. */
public enum Question {
    PLEASING("pleasing", "How pleasing does it sound?", "Not at all pleasing", "Very pleasing"),
    HUMANLIKE("humanlike", "How much does it sound like a human composition?", "Clearly machine-made",
            "Clearly human"),
    INTERESTING("interesting", "How interesting is it?", "Dull", "Very interesting");

    public static final int MIN_SCORE = 1;
    public static final int MAX_SCORE = 5;

    private final String id;
    private final String text;
    private final String lowLabel;
    private final String highLabel;

    Question(String id, String text, String lowLabel, String highLabel) {
        this.id = id;
        this.text = text;
        this.lowLabel = lowLabel;
        this.highLabel = highLabel;
    }

    public String id() {
        return id;
    }

    public String text() {
        return text;
    }

    public String lowLabel() {
        return lowLabel;
    }

    public String highLabel() {
        return highLabel;
    }

    /** Short name for tables. */
    public String shortLabel() {
        return switch (this) {
            case PLEASING -> "Pleasing";
            case HUMANLIKE -> "Human-like";
            case INTERESTING -> "Interesting";
        };
    }

    public static Optional<Question> fromId(String id) {
        return Arrays.stream(values()).filter(q -> q.id.equals(id)).findFirst();
    }
}
