package org.musicgen.core.roll;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * A binary piano roll: which of the 88 piano keys sound in each frame of a metrical grid. Stored sparsely as the
 * sorted indices {@code frame * KEYS + key} of its sounding cells, so a corpus of rolls costs a few hundred bytes a
 * bar instead of 88 bytes a frame. A key sounding in consecutive frames is one held note.
 *
 * <p>Beside the keys a roll may carry a drum track (MuseGAN's drums are one more track of the same grid): one row per
 * {@link DrumKit} class, a cell being a hit in that frame. A drum cell has no length: two hits in consecutive frames
 * are two hits, not one held note. A roll without drums has an empty drum track, and is the roll it was before drums.
 *
 * @param frames    grid steps the roll spans
 * @param cells     sorted, distinct indices {@code frame * KEYS + key} of the sounding cells
 * @param drumCells sorted, distinct indices {@code frame * DRUMS + class} of the drum hits (empty: no drums)
 */
public record PianoRoll(int frames, int[] cells, int[] drumCells) {
    /** Keys of a piano, A0 to C8. */
    public static final int KEYS = 88;
    /** MIDI pitch of key 0 (A0). */
    public static final int LOWEST_PITCH = 21;
    /** Rows of the drum track: one per {@link DrumKit} class. */
    public static final int DRUMS = DrumKit.CLASSES;
    private static final int[] NO_HITS = new int[0];

    /** A roll of the keys alone, without drums. */
    public PianoRoll(int frames, int[] cells) {
        this(frames, cells, NO_HITS);
    }

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
        drumCells = drumCells == null ? NO_HITS : drumCells.clone();
        for (int i = 0; i < drumCells.length; i++) {
            if (drumCells[i] < 0 || drumCells[i] >= frames * DRUMS || (i > 0 && drumCells[i] <= drumCells[i - 1])) {
                throw new IllegalArgumentException("drum cells must be sorted, distinct and inside " + frames + " x "
                        + DRUMS + "; drum cell " + i + " is " + drumCells[i]);
            }
        }
    }

    /** This roll's keys with the given drum hits ({@code frame * DRUMS + class}, sorted). */
    public PianoRoll withDrumCells(int[] hits) {
        return new PianoRoll(frames, cells, hits);
    }

    /** The drum hits at or above {@code threshold} in {@code values[offset .. offset + frames * DRUMS)}. */
    public static int[] drumHitsFromDense(float[] values, int offset, int frames, float threshold) {
        int[] hits = new int[frames * DRUMS];
        int n = 0;
        for (int c = 0; c < frames * DRUMS; c++) {
            if (values[offset + c] >= threshold) {
                hits[n++] = c;
            }
        }
        return Arrays.copyOf(hits, n);
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

    @Override
    public int[] drumCells() {
        return drumCells.clone();
    }

    /** Drum hits in the roll. */
    public int drumHits() {
        return drumCells.length;
    }

    public boolean isHit(int frame, int drumClass) {
        return Arrays.binarySearch(drumCells, frame * DRUMS + drumClass) >= 0;
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
        int hits = 0;
        for (PianoRoll r : rolls) {
            frames += r.frames;
            cells += r.cells.length;
            hits += r.drumCells.length;
        }
        int[] out = new int[cells];
        int[] drums = new int[hits];
        int n = 0;
        int d = 0;
        int shift = 0;
        for (PianoRoll r : rolls) {
            for (int c : r.cells) {
                out[n++] = c + shift * KEYS;
            }
            for (int c : r.drumCells) {
                drums[d++] = c + shift * DRUMS;
            }
            shift += r.frames;
        }
        return new PianoRoll(frames, out, drums);
    }

    /**
     * The roll as notes of one velocity on a grid of {@code stepsPerBeat} frames a beat at {@code secondsPerBeat}
     * (480 ticks a beat); each drum hit a note of one frame on {@link DrumKit#CHANNEL} with its class's pitch.
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
        for (int c : drumCells) {
            int frame = c / DRUMS;
            notes.add(new Note(DrumKit.pitchOf(c % DRUMS), velocity, DrumKit.CHANNEL, frame * ticksPerStep,
                    ticksPerStep, frame * secondsPerStep, secondsPerStep));
        }
        notes.sort(Score.ORDER);
        return new Score(ticksPerBeat, notes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PianoRoll r && r.frames == frames && Arrays.equals(r.cells, cells)
                && Arrays.equals(r.drumCells, drumCells);
    }

    @Override
    public int hashCode() {
        int keys = 31 * frames + Arrays.hashCode(cells);
        return drumCells.length == 0 ? keys : 31 * keys + Arrays.hashCode(drumCells);
    }

    @Override
    public String toString() {
        return "PianoRoll[frames=" + frames + ", sounding cells=" + cells.length
                + (drumCells.length == 0 ? "" : ", drum hits=" + drumCells.length) + "]";
    }
}
