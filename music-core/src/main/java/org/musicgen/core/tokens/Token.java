package org.musicgen.core.tokens;

import java.util.Arrays;
import java.util.Objects;

/**
 * One event of the token language: a note, a chord or a rest on the quantisation grid.
 *
 * <p>{@code duration} is how long the pitches sound and {@code advance} how far the time cursor
 * moves afterwards, both in grid steps. Text form: {@code n60:4}, {@code c48.52.55:16},
 * {@code r:2}; when the advance differs from the duration it is appended as {@code +A}
 * ({@code c48.52.55:16+0}, {@code n72:4+2}).
 *
 * @param kind     note, chord or rest
 * @param pitches  MIDI pitches, distinct; stored ascending: one for NOTE, at least two for CHORD, none for REST
 * @param duration sounding length in steps, at least 1
 * @param advance  steps to the next token's onset, at least 0; equals duration for a REST
 */
public record Token(Kind kind, int[] pitches, int duration, int advance) {

    /** What a token describes. */
    public enum Kind { NOTE, CHORD, REST }

    public Token {
        Objects.requireNonNull(kind, "kind");
        pitches = pitches == null ? new int[0] : pitches.clone(); // records must not share arrays
        java.util.Arrays.sort(pitches); // canonical order, so equal chords compare equal
        if (duration < 1) {
            throw new IllegalArgumentException("duration must be >= 1 step, was " + duration);
        }
        if (advance < 0) {
            throw new IllegalArgumentException("advance must be >= 0 steps, was " + advance);
        }
        switch (kind) {
            case NOTE -> {
                if (pitches.length != 1) {
                    throw new IllegalArgumentException("a NOTE needs exactly one pitch, got " + pitches.length);
                }
            }
            case CHORD -> {
                if (pitches.length < 2) {
                    throw new IllegalArgumentException("a CHORD needs at least two pitches, got " + pitches.length);
                }
            }
            case REST -> {
                if (pitches.length != 0) {
                    throw new IllegalArgumentException("a REST has no pitches, got " + pitches.length);
                }
                if (advance != duration) {
                    throw new IllegalArgumentException("a REST advances by its duration: duration "
                            + duration + ", advance " + advance);
                }
            }
        }
        for (int i = 0; i < pitches.length; i++) {
            if (pitches[i] < 0 || pitches[i] > 127) {
                throw new IllegalArgumentException("pitch must be 0..127, was " + pitches[i]);
            }
            if (i > 0 && pitches[i] <= pitches[i - 1]) {
                throw new IllegalArgumentException("pitches must be distinct: " + Arrays.toString(pitches));
            }
        }
    }

    /** A single note whose advance equals its duration. */
    public static Token note(int pitch, int duration) {
        return new Token(Kind.NOTE, new int[] {pitch}, duration, duration);
    }

    /** A rest of {@code steps} steps. */
    public static Token rest(int steps) {
        return new Token(Kind.REST, new int[0], steps, steps);
    }

    /** Note or chord for the given distinct pitches. */
    public static Token sounding(int[] pitches, int duration, int advance) {
        return new Token(pitches.length == 1 ? Kind.NOTE : Kind.CHORD, pitches, duration, advance);
    }

    /** A copy of the pitches (records expose components, but the array must stay private). */
    @Override
    public int[] pitches() {
        return pitches.clone();
    }

    /** Number of pitches without copying the array. */
    public int pitchCount() {
        return pitches.length;
    }

    /** Pitch at position {@code i} (ascending) without copying the array. */
    public int pitchAt(int i) {
        return pitches[i];
    }

    /** The canonical text form, e.g. {@code c48.52.55:16+0}. */
    public String text() {
        StringBuilder sb = new StringBuilder(16);
        switch (kind) {
            case NOTE -> sb.append('n').append(pitches[0]);
            case CHORD -> {
                sb.append('c');
                for (int i = 0; i < pitches.length; i++) {
                    if (i > 0) {
                        sb.append('.');
                    }
                    sb.append(pitches[i]);
                }
            }
            case REST -> sb.append('r');
        }
        sb.append(':').append(duration);
        if (advance != duration) {
            sb.append('+').append(advance);
        }
        return sb.toString();
    }

    /** Parses the text form produced by {@link #text()}; only the canonical form is accepted. */
    public static Token parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty token text");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("token '" + text + "' has no ':duration' part");
        }
        String head = text.substring(0, colon);
        String tail = text.substring(colon + 1);
        int plus = tail.indexOf('+');
        int duration = number(text, plus < 0 ? tail : tail.substring(0, plus), "duration");
        int advance = plus < 0 ? duration : number(text, tail.substring(plus + 1), "advance");
        Token token;
        try {
            token = switch (head.charAt(0)) {
                case 'n' -> new Token(Kind.NOTE, new int[] {number(text, head.substring(1), "pitch")},
                        duration, advance);
                case 'c' -> {
                    String[] parts = head.substring(1).split("\\.", -1);
                    int[] p = new int[parts.length];
                    for (int i = 0; i < parts.length; i++) {
                        p[i] = number(text, parts[i], "pitch");
                    }
                    yield new Token(Kind.CHORD, p, duration, advance);
                }
                case 'r' -> {
                    if (head.length() != 1) {
                        throw new IllegalArgumentException("a rest has no pitches");
                    }
                    yield new Token(Kind.REST, new int[0], duration, advance);
                }
                default -> throw new IllegalArgumentException("unknown kind '" + head.charAt(0)
                        + "' (expected n, c or r)");
            };
        } catch (StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("token '" + text + "' has no kind before ':'");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("token '")) {
                throw e;
            }
            throw new IllegalArgumentException("token '" + text + "': " + e.getMessage(), e);
        }
        if (!token.text().equals(text)) {
            // e.g. "n060:4" or "n60:4+4": one token, one spelling, so vocabulary entries stay unique
            throw new IllegalArgumentException("token '" + text + "' is not in canonical form '"
                    + token.text() + "'");
        }
        return token;
    }

    private static int number(String text, String s, String what) {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("token '" + text + "': " + what + " '" + s
                    + "' is not a non-negative integer");
        }
        return Integer.parseInt(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Token t && kind == t.kind && duration == t.duration && advance == t.advance
                && Arrays.equals(pitches, t.pitches);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, duration, advance) * 31 + Arrays.hashCode(pitches);
    }

    @Override
    public String toString() {
        return text();
    }
}
