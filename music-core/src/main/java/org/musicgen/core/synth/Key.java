package org.musicgen.core.synth;

import java.util.List;

/**
 * A major or minor key of the synthetic corpus. Minor keys use the natural minor scale with the
 * leading tone raised over the dominant chord (harmonic minor), the usual classical practice.
 *
 * @param name    file-name friendly, e.g. {@code d-minor}, {@code b-flat-major}
 * @param tonicPc pitch class of the tonic, 0 = C
 * @param minor   minor mode
 */
record Key(String name, int tonicPc, boolean minor) {

    private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] NATURAL_MINOR = {0, 2, 3, 5, 7, 8, 10};

    static final List<Key> ALL = List.of(
            new Key("c-major", 0, false), new Key("g-major", 7, false), new Key("d-major", 2, false),
            new Key("f-major", 5, false), new Key("b-flat-major", 10, false), new Key("a-major", 9, false),
            new Key("a-minor", 9, true), new Key("e-minor", 4, true), new Key("d-minor", 2, true),
            new Key("g-minor", 7, true), new Key("c-minor", 0, true), new Key("b-minor", 11, true));

    static Key byName(String name) {
        return ALL.stream().filter(k -> k.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown key " + name));
    }

    /** MIDI pitch of the tonic near middle C (F#3..F4), so every key uses a similar register. */
    int tonicMidi() {
        return tonicPc <= 5 ? 60 + tonicPc : 48 + tonicPc;
    }

    /**
     * Pitch of a diatonic degree (0 = tonic at {@link #tonicMidi()}, 7 = an octave higher) while
     * {@code chordRoot} (a degree 0..6) sounds: in minor, the 7th degree is raised over V.
     */
    int pitch(int degree, int chordRoot) {
        int step = Math.floorMod(degree, 7);
        int octave = Math.floorDiv(degree, 7);
        int[] scale = minor ? NATURAL_MINOR : MAJOR;
        int semis = scale[step];
        if (minor && step == 6 && Math.floorMod(chordRoot, 7) == 4) {
            semis += 1;
        }
        return tonicMidi() + 12 * octave + semis;
    }

    /** Pitch classes a piece in this key uses (for minor: natural minor plus the leading tone). */
    boolean inKey(int pitch) {
        int rel = Math.floorMod(pitch - tonicPc, 12);
        int[] scale = minor ? NATURAL_MINOR : MAJOR;
        for (int s : scale) {
            if (s == rel) {
                return true;
            }
        }
        return minor && rel == 11;
    }
}
