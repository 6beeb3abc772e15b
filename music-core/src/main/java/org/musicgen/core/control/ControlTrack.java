package org.musicgen.core.control;

import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import java.util.Arrays;
import java.util.List;

/**
 * The controls of every step of an encoded piece: the pitch classes and notes per second of the
 * {@link ControlSpace#WINDOW_SECONDS} of music starting at the step, which is what a model conditioned at that step
 * is about to write. Compact (13 values a step, the pitch classes in bytes), so that a corpus's tracks fit beside its
 * ids.
 */
public final class ControlTrack {

    /** Notes held longer than this are rare; a window looks back this far for notes still sounding into it. */
    private static final double LONGEST_NOTE_SECONDS = 10.0;
    /** The last window of a piece is shorter; a density over less than this many seconds is too noisy. */
    private static final double SHORTEST_WINDOW_SECONDS = 1.0;

    private static final List<MusicalKey> KEYS = MusicalKey.all();
    private static final float[][] KEY_PROFILES = new float[KEYS.size()][12];

    static {
        for (int k = 0; k < KEYS.size(); k++) {
            double[] profile = KEYS.get(k).profile();
            for (int pc = 0; pc < 12; pc++) {
                KEY_PROFILES[k][pc] = (float) profile[pc] * ControlSpace.PITCH_CLASS_SCALE;
            }
        }
    }

    /** Per step, 12 shares of 255. */
    private final byte[] pitchClasses;
    /** Per step, the index in {@link MusicalKey#all()} of the window's estimated key; -1 in silence. */
    private final byte[] keys;
    private final float[] notesPerSecond;

    private ControlTrack(byte[] pitchClasses, byte[] keys, float[] notesPerSecond) {
        this.pitchClasses = pitchClasses;
        this.keys = keys;
        this.notesPerSecond = notesPerSecond;
    }

    /**
     * The track of {@code ids}, measured on the notes they decode to (the notes as the encoding keeps them): the piano's
     * alone, as drum hits are neither pitch classes nor notes of the density; a window is as long with drums as without.
     */
    public static ControlTrack of(Encoding encoding, int[] ids) {
        double[] times = encoding.eventSeconds(ids);
        Score decoded = encoding.decode(ids);
        Score score = decoded.piano();
        List<Note> notes = score.notes();
        double[] onsets = new double[notes.size()];
        for (int i = 0; i < onsets.length; i++) {
            onsets[i] = notes.get(i).onsetSeconds();
        }
        double end = decoded.lengthSeconds();
        byte[] pcs = new byte[ids.length * 12];
        float[] density = new float[ids.length];
        byte[] keys = new byte[ids.length];
        double[] profile = new double[12];
        for (int i = 0; i < ids.length; ) {
            double from = times[i];
            double to = from + ControlSpace.WINDOW_SECONDS;
            Arrays.fill(profile, 0);
            double total = 0;
            int first = lowerBound(onsets, from - LONGEST_NOTE_SECONDS);
            int onsetsInWindow = 0;
            for (int n = first; n < onsets.length && onsets[n] < to; n++) {
                Note note = notes.get(n);
                double overlap = Math.min(note.endSeconds(), to) - Math.max(note.onsetSeconds(), from);
                if (overlap > 0) {
                    profile[note.pitch() % 12] += overlap;
                    total += overlap;
                }
                if (onsets[n] >= from) {
                    onsetsInWindow++;
                }
            }
            double window = Math.max(SHORTEST_WINDOW_SECONDS, Math.min(ControlSpace.WINDOW_SECONDS, end - from));
            float rate = (float) (onsetsInWindow / window);
            byte key = (byte) (total > 0 ? KEYS.indexOf(KeyFinder.estimate(profile)) : -1);
            // every step at the same time has the same window
            int j = i;
            while (j < ids.length && times[j] == from) {
                for (int k = 0; k < 12; k++) {
                    pcs[j * 12 + k] = (byte) (total > 0 ? Math.round(255 * profile[k] / total) : 0);
                }
                density[j] = rate;
                keys[j] = key;
                j++;
            }
            i = j;
        }
        return new ControlTrack(pcs, keys, density);
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Steps. */
    public int length() {
        return notesPerSecond.length;
    }

    /** Steps {@code [from, from + length)} as a track of their own. */
    public ControlTrack slice(int from, int length) {
        return new ControlTrack(Arrays.copyOfRange(pitchClasses, from * 12, (from + length) * 12),
                Arrays.copyOfRange(keys, from, from + length), Arrays.copyOfRange(notesPerSecond, from, from + length));
    }

    /** Share of the window's sounding time of pitch class {@code pc} at {@code step}; all 0 in silence. */
    public double pitchClassShare(int step, int pc) {
        return (pitchClasses[step * 12 + pc] & 0xff) / 255.0;
    }

    /** The estimated key of the window of {@code step}, or null in silence. */
    public MusicalKey key(int step) {
        return keys[step] < 0 ? null : KEYS.get(keys[step]);
    }

    /** Note onsets per second in the window of {@code step}. */
    public double notesPerSecond(int step) {
        return notesPerSecond[step];
    }

    /**
     * Writes the controls of {@code step} into {@code out} in {@link ControlSpace}'s layout (the label group is the
     * caller's); a dropped group stays zero. With {@code keyAsProfile} the pitch classes are those of the window's
     * estimated key ({@link MusicalKey#profile()}), which is how a user asks for a key by name: a model that saw both
     * forms in training answers a key's name as it answers the histogram of music in that key.
     */
    public void write(int step, float[] out, int offset, boolean pitchClassGroup, boolean densityGroup,
                      boolean keyAsProfile) {
        if (pitchClassGroup && keyAsProfile && keys[step] >= 0) {
            System.arraycopy(KEY_PROFILES[keys[step]], 0, out, offset, 12);
        } else if (pitchClassGroup) {
            for (int k = 0; k < 12; k++) {
                out[offset + k] = (pitchClasses[step * 12 + k] & 0xff) * ControlSpace.PITCH_CLASS_SCALE / 255f;
            }
        }
        if (densityGroup && notesPerSecond[step] > 0) {
            ControlSpace.writeDensity(notesPerSecond[step], out, offset + ControlSpace.PITCH_CLASSES);
        }
    }
}
