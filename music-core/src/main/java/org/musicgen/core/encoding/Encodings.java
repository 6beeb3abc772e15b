package org.musicgen.core.encoding;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.musicgen.core.midi.Score;
import org.musicgen.core.tokens.Tokenizer;
import org.musicgen.core.tokens.Vocabulary;

/**
 * The encodings a corpus can be ingested with, by wire name, and the way back from their stored form.
 * The stored form starts with a header line {@code #encoding=NAME key=value...}; a vocabulary file without it
 * (datasets written before encodings existed) is the seed encoding on its default grid.
 */
public final class Encodings {

    public static final String PERFORMANCE = "performance";
    public static final String PERFORMANCE_DRUMS = "performance-drums";
    public static final String SEED = "seed";
    public static final String DEFAULT = PERFORMANCE;
    public static final List<String> NAMES = List.of(PERFORMANCE, PERFORMANCE_DRUMS, SEED);
    static final String HEADER_PREFIX = "#encoding=";

    private Encodings() {
    }

    /**
     * The canonical wire name of a user's choice; null or blank means {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException naming the accepted encodings
     */
    public static String checkName(String name) {
        if (name == null || name.isBlank()) {
            return DEFAULT;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new IllegalArgumentException("unknown encoding '" + name + "'; accepted: " + String.join(", ", NAMES));
        }
        return n;
    }

    /** Whether the encoding of that wire name writes drum hits (an unknown name does not). */
    public static boolean hasDrums(String name) {
        return name != null && PERFORMANCE_DRUMS.equals(name.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * The encoding of a corpus: the performance language is fixed, the seed language fits its vocabulary on
     * the pieces.
     */
    public static Encoding fit(String name, List<Score> pieces, Tokenizer seedTokenizer, int seedMaxVocabulary,
                               int seedMinCount) {
        return switch (checkName(name)) {
            case PERFORMANCE -> new PerformanceEncoding();
            case PERFORMANCE_DRUMS -> PerformanceEncoding.withDrums();
            case SEED -> SeedEncoding.fit(seedTokenizer, pieces, seedMaxVocabulary, seedMinCount);
            default -> throw new IllegalStateException("unreachable");
        };
    }

    /** Rebuilds an encoding from {@link Encoding#toBytes()}; malformed content is an IllegalArgumentException. */
    public static Encoding read(byte[] stored) {
        String text = new String(stored, StandardCharsets.UTF_8);
        if (!text.startsWith(HEADER_PREFIX)) {
            return new SeedEncoding(new Tokenizer(), vocabulary(stored, 0));
        }
        int eol = text.indexOf('\n');
        if (eol < 0) {
            throw new IllegalArgumentException("stored encoding has a header but no vocabulary");
        }
        String[] header = text.substring(HEADER_PREFIX.length(), eol).trim().split("\\s+");
        Map<String, String> settings = new HashMap<>();
        for (int i = 1; i < header.length; i++) {
            int eq = header[i].indexOf('=');
            if (eq > 0) {
                settings.put(header[i].substring(0, eq), header[i].substring(eq + 1));
            }
        }
        switch (header[0]) {
            case PERFORMANCE, PERFORMANCE_DRUMS -> {
                PerformanceEncoding encoding = header[0].equals(PERFORMANCE) ? new PerformanceEncoding()
                        : PerformanceEncoding.withDrums();
                if (!text.equals(new String(encoding.toBytes(), StandardCharsets.UTF_8))) {
                    throw new IllegalArgumentException("stored " + header[0] + " vocabulary differs from this "
                            + "version's (" + encoding.size() + " events, 10 ms steps)");
                }
                return encoding;
            }
            case SEED -> {
                int stepsPerBeat = integer(settings, "steps_per_beat", Tokenizer.DEFAULT_STEPS_PER_BEAT);
                int maxSteps = integer(settings, "max_steps", Tokenizer.DEFAULT_MAX_STEPS);
                return new SeedEncoding(new Tokenizer(stepsPerBeat, maxSteps),
                        vocabulary(stored, text.substring(0, eol + 1).getBytes(StandardCharsets.UTF_8).length));
            }
            default -> throw new IllegalArgumentException("unknown stored encoding '" + header[0] + "'; known: "
                    + String.join(", ", NAMES));
        }
    }

    private static Vocabulary vocabulary(byte[] stored, int from) {
        try {
            return Vocabulary.readFrom(new ByteArrayInputStream(stored, from, stored.length - from));
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable seed vocabulary: " + e.getMessage(), e);
        }
    }

    private static int integer(Map<String, String> settings, String key, int fallback) {
        String v = settings.get(key);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stored encoding setting " + key + "='" + v + "' is not a number");
        }
    }
}
