package org.musicgen.core.model.lstm;

import org.musicgen.core.control.ControlSpace;
import org.musicgen.core.control.ControlTrack;
import org.musicgen.core.encoding.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One training window of the LSTM: its ids and, where known, the controls of each step and its piece's label.
 *
 * @param ids      the window's ids
 * @param controls the controls of each of its steps, or null where the encoding has no time line (or none was kept)
 * @param label    the label of the piece it was cut from, or null
 */
public record LstmWindow(int[] ids, ControlTrack controls, String label) {

    public LstmWindow {
        if (controls != null && controls.length() != ids.length) {
            throw new IllegalArgumentException("a window of " + ids.length + " ids with controls for "
                    + controls.length() + " steps");
        }
    }

    /** A window without controls. */
    public static LstmWindow plain(int[] ids) {
        return new LstmWindow(ids, null, null);
    }

    /** Windows without controls. */
    public static List<LstmWindow> plain(List<int[]> windows) {
        return windows.stream().map(LstmWindow::plain).toList();
    }

    /** The ids of each window. */
    public static List<int[]> ids(List<LstmWindow> windows) {
        return windows.stream().map(LstmWindow::ids).toList();
    }

    /**
     * The windows of {@code length} ids starting every {@code stride} ids of a piece, each with its steps' controls
     * (measured once on the whole piece, so a window's first steps know the music after its end) and the piece's
     * label. An encoding without event times gives windows with the label only.
     */
    public static List<LstmWindow> cut(Encoding encoding, int[] pieceIds, String label, int length, int stride) {
        if (length < 1 || stride < 1) {
            throw new IllegalArgumentException("length and stride must be >= 1, got " + length + " and " + stride);
        }
        ControlTrack track;
        try {
            track = ControlTrack.of(encoding, pieceIds);
        } catch (UnsupportedOperationException noTimes) {
            track = null;
        }
        List<LstmWindow> out = new ArrayList<>();
        for (int start = 0; start + length <= pieceIds.length; start += stride) {
            int[] ids = Arrays.copyOfRange(pieceIds, start, start + length);
            out.add(new LstmWindow(ids, track == null ? null : track.slice(start, length), label));
        }
        return out;
    }

    /**
     * Writes the controls of steps {@code 1 .. length-1} (the steps predicted) into {@code out} from {@code offset},
     * one {@link ControlSpace#size()} vector per step, with groups dropped as the {@code drop} flags say (key,
     * density, label) and the key given by name (its profile) rather than as heard when {@code drop[3]}.
     */
    void writeControls(ControlSpace space, float[] out, int offset, boolean[] drop) {
        int size = space.size();
        int labelIndex = label == null || drop[2] ? -1 : space.labels().indexOf(label);
        float[] step = new float[size];
        for (int t = 1; t < ids.length; t++) {
            Arrays.fill(step, 0f);
            if (controls != null) {
                controls.write(t, step, 0, !drop[0], !drop[1], drop[3]);
            }
            if (labelIndex >= 0) {
                step[ControlSpace.PITCH_CLASSES + ControlSpace.DENSITY_CENTRES + labelIndex] = 1f;
            }
            System.arraycopy(step, 0, out, offset + (t - 1) * size, size);
        }
    }

    /**
     * Which control groups a training window goes without: all of them for a {@code dropout} share of windows (the
     * model must write without controls), else each alone with a fifth of that share (it must follow any subset).
     * The fourth flag: half the windows are told their key by name instead of their pitch classes.
     */
    static boolean[] dropped(double dropout, Random random) {
        boolean byName = random.nextBoolean();
        if (random.nextDouble() < dropout) {
            return new boolean[] {true, true, true, byName};
        }
        double alone = dropout / 5;
        return new boolean[] {random.nextDouble() < alone, random.nextDouble() < alone, random.nextDouble() < alone,
                byName};
    }
}
