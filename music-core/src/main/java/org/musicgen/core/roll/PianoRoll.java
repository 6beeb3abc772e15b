package org.musicgen.core.roll;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * A binary piano roll: which of the 88 piano keys sound in each frame of a metrical grid. Stored sparsely as the
 * sorted indices {@code frame * KEYS + key} of its sounding cells, so a corpus of rolls costs a few hundred bytes a
 * bar instead of 88 bytes a frame. A key sounding in consecutive frames is one held note.
 *
 * @param frames grid steps the roll spans
 * @param cells  sorted, distinct indices {@code frame * KEYS + key} of the sounding cells
 */
public record PianoRoll(int frames, int[] cells) {
    /** Keys of a piano, A0 to C8. */
    public static final int KEYS = 88;
    /** MIDI pitch of key 0 (A0). */
    public static final int LOWEST_PITCH = 21;

    public PianoRoll {
        if (frames < 1) {
            throw new IllegalArgumentException("a piano roll needs at least one frame, got " + frames);
        }
        cells = cells.clone();
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] < 0 || cells[i] >= frames * KEYS || (i > 0 && cells[i] <= cells[i - 1])) {
                throw new IllegalArgumentException("cells must be sorted, distinct and inside " + frames + " x "
                        + KEYS + "; cell " + i + " is " + cells[i]);
            }
        }
    }

    /** The cells at or above {@code threshold} in {@code values[offset .. offset + frames * KEYS)}. */
    public static PianoRoll fromDense(float[] values, int offset, int frames, float threshold) {
        return fromDense(values, offset, frames, threshold, threshold);
    }

    /**
     * The cells of {@code values[offset .. offset + frames * KEYS)} read with hysteresis: a key starts sounding at a
     * value of at least {@code start} and goes on sounding while its values stay at or above {@code hold}, so a held
     * note whose value wavers is not cut into pieces.
     */
    public static PianoRoll fromDense(float[] values, int offset, int frames, float start, float hold) {
        if (!(hold <= start)) {
            throw new IllegalArgumentException("hold " + hold + " must not exceed start " + start);
        }
        boolean[] sounding = new boolean[KEYS];
        int n = 0;
        int[] cells = new int[frames * KEYS];
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k < KEYS; k++) {
                int c = f * KEYS + k;
                sounding[k] = values[offset + c] >= (sounding[k] ? hold : start);
                if (sounding[k]) {
                    cells[n++] = c;
                }
            }
        }
        return new PianoRoll(frames, Arrays.copyOf(cells, n));
    }

    /** Writes the roll as 1s and 0s into {@code target[offset .. offset + frames * KEYS)}. */
    public void fill(float[] target, int offset) {
        Arrays.fill(target, offset, offset + frames * KEYS, 0f);
        for (int c : cells) {
            target[offset + c] = 1f;
        }
    }

    @Override
    public int[] cells() {
        return cells.clone();
    }

    /** The share of the rolls' cells that sound (0 without cells): the density random rolls and the GAN match. */
    public static double soundingShare(java.util.List<PianoRoll> rolls) {
        double cells = rolls.stream().mapToDouble(r -> (double) r.frames() * KEYS).sum();
        return cells == 0 ? 0 : rolls.stream().mapToDouble(PianoRoll::soundingCells).sum() / cells;
    }

    public int soundingCells() {
        return cells.length;
    }

    public boolean isOn(int frame, int key) {
        return Arrays.binarySearch(cells, frame * KEYS + key) >= 0;
    }

    /** Keys sounding in each frame. */
    public int[] keysPerFrame() {
        int[] out = new int[frames];
        for (int c : cells) {
            out[c / KEYS]++;
        }
        return out;
    }

    /** Held notes, joined from consecutive sounding frames of a key: {key, first frame, frames held}. */
    public List<int[]> notes() {
        boolean[] on = new boolean[frames * KEYS];
        for (int c : cells) {
            on[c] = true;
        }
        List<int[]> out = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k < KEYS; k++) {
                if (on[f * KEYS + k] && (f == 0 || !on[(f - 1) * KEYS + k])) {
                    int end = f + 1;
                    while (end < frames && on[end * KEYS + k]) {
                        end++;
                    }
                    out.add(new int[] {k, f, end - f});
                }
            }
        }
        return out;
    }

    /** The rolls one after another. */
    public static PianoRoll concat(List<PianoRoll> rolls) {
        int frames = 0;
        int cells = 0;
        for (PianoRoll r : rolls) {
            frames += r.frames;
            cells += r.cells.length;
        }
        int[] out = new int[cells];
        int n = 0;
        int shift = 0;
        for (PianoRoll r : rolls) {
            for (int c : r.cells) {
                out[n++] = c + shift * KEYS;
            }
            shift += r.frames;
        }
        return new PianoRoll(frames, out);
    }

    /**
     * The roll as notes of one velocity on a grid of {@code stepsPerBeat} frames a beat at {@code secondsPerBeat}
     * (480 ticks a beat).
     */
    public Score toScore(int stepsPerBeat, double secondsPerBeat, int velocity) {
        int ticksPerBeat = 480;
        long ticksPerStep = ticksPerBeat / stepsPerBeat;
        double secondsPerStep = secondsPerBeat / stepsPerBeat;
        List<Note> notes = new ArrayList<>();
        for (int[] n : notes()) {
            notes.add(new Note(LOWEST_PITCH + n[0], velocity, 0, n[1] * ticksPerStep, n[2] * ticksPerStep,
                    n[1] * secondsPerStep, n[2] * secondsPerStep));
        }
        notes.sort(Score.ORDER);
        return new Score(ticksPerBeat, notes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PianoRoll r && r.frames == frames && Arrays.equals(r.cells, cells);
    }

    @Override
    public int hashCode() {
        return 31 * frames + Arrays.hashCode(cells);
    }

    @Override
    public String toString() {
        return "PianoRoll[frames=" + frames + ", sounding cells=" + cells.length + "]";
    }
}
