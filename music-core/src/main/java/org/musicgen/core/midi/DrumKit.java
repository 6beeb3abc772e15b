package org.musicgen.core.midi;

import java.util.Arrays;
import java.util.List;

/**
 * The drum part of a score: notes on MIDI channel 10 (index {@value #CHANNEL}), whose pitch names a General MIDI
 * drum sound, not a key. The models hear nine classes of drum, Magenta's (kick, snare, closed and open hi-hat, three
 * toms, crash, ride): finer General MIDI distinctions (side stick, rim shots, a second crash) are rare in real
 * playing and would split what little data each class has. Pitches are read as the Roland kit of the Groove MIDI
 * Dataset assigns them (MusicVAE's mapping: 22 a closed hi-hat edge, 26 an open hi-hat edge, 58 the low tom's rim),
 * every other General MIDI drum pitch as Magenta's drum encoder does; a class is written back as its first pitch.
 */
public final class DrumKit {

    /** MIDI channel 10, counted from 0. */
    public static final int CHANNEL = 9;
    public static final int KICK = 0;
    public static final int SNARE = 1;
    public static final int CLOSED_HAT = 2;
    public static final int OPEN_HAT = 3;
    public static final int LOW_TOM = 4;
    public static final int MID_TOM = 5;
    public static final int HIGH_TOM = 6;
    public static final int CRASH = 7;
    public static final int RIDE = 8;
    public static final int CLASSES = 9;
    public static final List<String> NAMES = List.of("kick", "snare", "closed hi-hat", "open hi-hat", "low tom",
            "mid tom", "high tom", "crash", "ride");

    /** The pitch each class is written as (the Roland kit's, all General MIDI drum sounds). */
    private static final int[] PITCH = {36, 38, 42, 46, 43, 47, 50, 49, 51};
    private static final int[] CLASS_OF_PITCH = classOfPitch();

    private DrumKit() {
    }

    private static int[] classOfPitch() {
        int[] classOf = new int[128];
        Arrays.fill(classOf, -1);
        // Magenta's drum encoder for every General MIDI drum pitch ...
        assign(classOf, KICK, 35, 36);
        assign(classOf, SNARE, 27, 28, 31, 32, 33, 34, 37, 38, 39, 40, 56, 65, 66, 75, 85);
        assign(classOf, CLOSED_HAT, 42, 44, 54, 68, 69, 70, 71, 73, 78, 80);
        assign(classOf, OPEN_HAT, 46, 67, 72, 74, 79, 81);
        assign(classOf, LOW_TOM, 29, 41, 43, 45, 61, 64, 84);
        assign(classOf, MID_TOM, 47, 48, 60, 63, 77, 86, 87);
        assign(classOf, HIGH_TOM, 30, 50, 62, 76, 83);
        assign(classOf, CRASH, 49, 52, 55, 57);
        assign(classOf, RIDE, 51, 53, 59, 82);
        // ... then the Roland kit's own assignments (MusicVAE), where they differ
        assign(classOf, CLOSED_HAT, 22);
        assign(classOf, OPEN_HAT, 26);
        assign(classOf, LOW_TOM, 58);
        assign(classOf, MID_TOM, 45);
        assign(classOf, HIGH_TOM, 48);
        return classOf;
    }

    private static void assign(int[] classOf, int drumClass, int... pitches) {
        for (int pitch : pitches) {
            classOf[pitch] = drumClass;
        }
    }

    /** Whether the note is a drum hit. */
    public static boolean isDrum(Note note) {
        return note.channel() == CHANNEL;
    }

    /** The class of a drum pitch, or -1 for a pitch no drum sound is mapped to. */
    public static int classOf(int pitch) {
        return pitch < 0 || pitch > 127 ? -1 : CLASS_OF_PITCH[pitch];
    }

    /** The pitch a class is written as. */
    public static int pitchOf(int drumClass) {
        return PITCH[check(drumClass)];
    }

    public static String name(int drumClass) {
        return NAMES.get(check(drumClass));
    }

    private static int check(int drumClass) {
        if (drumClass < 0 || drumClass >= CLASSES) {
            throw new IllegalArgumentException("drum class " + drumClass + " outside 0.." + (CLASSES - 1));
        }
        return drumClass;
    }

    /** How many of the score's notes are drum hits. */
    public static int hits(Score score) {
        int hits = 0;
        for (Note note : score.notes()) {
            if (isDrum(note)) {
                hits++;
            }
        }
        return hits;
    }
}
