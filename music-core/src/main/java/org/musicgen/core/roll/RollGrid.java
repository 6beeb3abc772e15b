package org.musicgen.core.roll;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * The metrical grid pieces are cut into piano rolls on: {@code stepsPerBeat} frames a beat (4: sixteenth notes),
 * bars of {@code beatsPerBar} beats, phrases of {@code bars} bars. Notes are placed by their ticks, so a piece with a
 * tempo map keeps its beats wherever its tempo changes; bars are counted from the first tick (MIDI files rarely say
 * otherwise reliably).
 *
 * @param stepsPerBeat frames a beat
 * @param beatsPerBar  beats a bar
 * @param bars         bars a phrase
 */
public record RollGrid(int stepsPerBeat, int beatsPerBar, int bars) {

    public RollGrid {
        if (stepsPerBeat < 1 || stepsPerBeat > 48 || beatsPerBar < 1 || beatsPerBar > 16 || bars < 1 || bars > 64) {
            throw new IllegalArgumentException("grid out of range: " + stepsPerBeat + " steps a beat, " + beatsPerBar
                    + " beats a bar, " + bars + " bars");
        }
    }

    /** Four bars of 4/4 in sixteenth notes: 64 frames. */
    public static RollGrid fourBars() {
        return new RollGrid(4, 4, 4);
    }

    public int stepsPerBar() {
        return stepsPerBeat * beatsPerBar;
    }

    /** Frames of one phrase. */
    public int frames() {
        return stepsPerBar() * bars;
    }

    /**
     * The whole piece as one roll, each note from its nearest step to its nearest step (at least one frame); a drum
     * hit ({@link DrumKit#isDrum}) is a drum cell at its nearest step, a hit of an unmapped drum is left out.
     */
    public PianoRoll roll(Score score) {
        double ticksPerStep = (double) score.ticksPerBeat() / stepsPerBeat;
        int frames = 1;
        List<int[]> spans = new ArrayList<>();
        List<int[]> hits = new ArrayList<>();
        for (Note n : score.notes()) {
            if (DrumKit.isDrum(n)) {
                int drum = DrumKit.classOf(n.pitch());
                if (drum >= 0) {
                    int frame = (int) Math.round(n.onsetTick() / ticksPerStep);
                    hits.add(new int[] {drum, frame});
                    frames = Math.max(frames, frame + 1);
                }
                continue;
            }
            int key = n.pitch() - PianoRoll.LOWEST_PITCH;
            if (key < 0 || key >= PianoRoll.KEYS) {
                continue;
            }
            int start = (int) Math.round(n.onsetTick() / ticksPerStep);
            int end = Math.max(start + 1, (int) Math.round(n.endTick() / ticksPerStep));
            spans.add(new int[] {key, start, end});
            frames = Math.max(frames, end);
        }
        boolean[] on = new boolean[frames * PianoRoll.KEYS];
        for (int[] s : spans) {
            for (int f = s[1]; f < s[2]; f++) {
                on[f * PianoRoll.KEYS + s[0]] = true;
            }
        }
        int[] cells = new int[on.length];
        int n = 0;
        for (int c = 0; c < on.length; c++) {
            if (on[c]) {
                cells[n++] = c;
            }
        }
        int[] drumCells = hits.stream().mapToInt(h -> h[1] * PianoRoll.DRUMS + h[0]).sorted().distinct().toArray();
        return new PianoRoll(frames, Arrays.copyOf(cells, n), drumCells);
    }

    /**
     * The piece's phrases starting every {@code hopBars} bars, those with at least one sounding cell or drum hit; the
     * last partial phrase is dropped.
     */
    public List<PianoRoll> phrases(Score score, int hopBars) {
        if (hopBars < 1) {
            throw new IllegalArgumentException("hopBars must be at least 1, got " + hopBars);
        }
        PianoRoll whole = roll(score);
        List<PianoRoll> out = new ArrayList<>();
        int length = frames();
        for (int start = 0; start + length <= whole.frames(); start += hopBars * stepsPerBar()) {
            PianoRoll phrase = slice(whole, start, length);
            if (phrase.soundingCells() > 0 || phrase.drumHits() > 0) {
                out.add(phrase);
            }
        }
        return out;
    }

    /** {@link #phrases(Score, int)} of every piece, in order. */
    public List<PianoRoll> phrases(List<Score> pieces, int hopBars) {
        List<PianoRoll> out = new ArrayList<>();
        for (Score piece : pieces) {
            out.addAll(phrases(piece, hopBars));
        }
        return out;
    }

    /** Frames {@code [start, start + length)} of a roll (empty frames past its end). */
    public static PianoRoll slice(PianoRoll roll, int start, int length) {
        int[] cells = roll.cells();
        int from = lowerBound(cells, start * PianoRoll.KEYS);
        int to = lowerBound(cells, (start + length) * PianoRoll.KEYS);
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = cells[i] - start * PianoRoll.KEYS;
        }
        int[] hits = roll.drumCells();
        int hitsFrom = lowerBound(hits, start * PianoRoll.DRUMS);
        int hitsTo = lowerBound(hits, (start + length) * PianoRoll.DRUMS);
        int[] drums = new int[hitsTo - hitsFrom];
        for (int i = hitsFrom; i < hitsTo; i++) {
            drums[i - hitsFrom] = hits[i] - start * PianoRoll.DRUMS;
        }
        return new PianoRoll(length, out, drums);
    }

    private static int lowerBound(int[] sorted, int value) {
        int i = Arrays.binarySearch(sorted, value);
        return i >= 0 ? i : -i - 1;
    }
}
