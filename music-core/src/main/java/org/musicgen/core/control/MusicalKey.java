package org.musicgen.core.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One of the 24 major and minor keys, as a user names it ({@code "D minor"}, {@code "f#-major"}, {@code "Bb"}) and as
 * Krumhansl-Schmuckler key finding estimates it.
 *
 * @param tonic pitch class of the tonic, 0 = C
 * @param minor minor mode
 */
public record MusicalKey(int tonic, boolean minor) {

    private static final String[] NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
    /** Krumhansl and Kessler's probe-tone ratings (1982), from the tonic up. */
    private static final double[] MAJOR_PROFILE = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
    private static final double[] MINOR_PROFILE = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};

    public MusicalKey {
        if (tonic < 0 || tonic > 11) {
            throw new IllegalArgumentException("tonic must be a pitch class 0..11, got " + tonic);
        }
    }

    /** The 24 keys: the twelve major keys from C, then the twelve minor keys from C. */
    public static List<MusicalKey> all() {
        List<MusicalKey> keys = new ArrayList<>(24);
        for (int mode = 0; mode < 2; mode++) {
            for (int tonic = 0; tonic < 12; tonic++) {
                keys.add(new MusicalKey(tonic, mode == 1));
            }
        }
        return keys;
    }

    /**
     * Reads a key name: a letter A-G, an optional {@code #}, {@code b}, {@code sharp} or {@code flat}, then
     * {@code major}/{@code minor} (or {@code maj}/{@code min}, {@code m} for minor; none for major), separated by a
     * space, a hyphen or nothing.
     */
    public static MusicalKey parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a key needs a name such as 'D minor'");
        }
        String s = text.trim().replace('-', ' ').replace('♯', '#').replace('♭', 'b');
        char letter = Character.toUpperCase(s.charAt(0));
        int natural = "C D EF G A B".indexOf(letter);
        if (natural < 0) {
            throw new IllegalArgumentException("unknown key '" + text + "': expected a name such as 'D minor' or 'F# major'");
        }
        String rest = s.substring(1).trim();
        String lower = rest.toLowerCase(Locale.ROOT);
        int alter = 0;
        if (rest.startsWith("#") || lower.startsWith("sharp")) {
            alter = 1;
            rest = rest.substring(rest.startsWith("#") ? 1 : 5).trim();
        } else if (lower.startsWith("flat") || rest.startsWith("b")) {
            alter = -1;
            rest = rest.substring(lower.startsWith("flat") ? 4 : 1).trim();
        }
        String mode = rest.toLowerCase(Locale.ROOT);
        boolean minor;
        switch (mode) {
            case "", "major", "maj", "dur" -> minor = false;
            case "minor", "min", "m", "moll" -> minor = true;
            default -> throw new IllegalArgumentException("unknown key '" + text
                    + "': expected a name such as 'D minor' or 'F# major'");
        }
        return new MusicalKey(Math.floorMod(natural + alter, 12), minor);
    }

    /** The readable name, e.g. {@code "D minor"}, {@code "Eb major"}. */
    public String displayName() {
        return NAMES[tonic] + (minor ? " minor" : " major");
    }

    /** The key's Krumhansl-Kessler profile over pitch classes from C, scaled to sum to 1. */
    public double[] profile() {
        double[] base = minor ? MINOR_PROFILE : MAJOR_PROFILE;
        double sum = 0;
        for (double v : base) {
            sum += v;
        }
        double[] out = new double[12];
        for (int i = 0; i < 12; i++) {
            out[(tonic + i) % 12] = base[i] / sum;
        }
        return out;
    }

    @Override
    public String toString() {
        return displayName();
    }
}
