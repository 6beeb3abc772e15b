package org.musicgen.core.model.gan.roll;

import org.musicgen.core.control.Controls;
import org.musicgen.core.midi.Score;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.core.roll.RollGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A training phrase of the piano-roll GAN with the controls it reaches: what a conditioned GAN learns to write when
 * asked for them.
 *
 * @param roll     the phrase
 * @param controls its pitch-class shares, its notes per second as the GAN plays it and the label of its piece
 */
public record RollPhrase(PianoRoll roll, Controls controls) {

    /** A phrase has at most 88 onsets a frame; a rate beyond what {@link Controls} accepts reads as its highest. */
    private static final double HIGHEST_RATE = 100;

    public RollPhrase {
        Objects.requireNonNull(roll, "roll");
        Objects.requireNonNull(controls, "controls");
    }

    /** The phrase with the controls it reaches ({@link #reached}) and its piece's label (null: none). */
    public static RollPhrase of(PianoRoll roll, int stepsPerBeat, String label) {
        return new RollPhrase(roll, reached(roll, stepsPerBeat).withLabel(label));
    }

    /**
     * What a roll reaches, without a label: each pitch class's share of the sounding cells (a cell is a sixteenth, so
     * this is the duration weighting of Krumhansl-Schmuckler's input), and its notes' onsets per second at
     * {@link PianoRollGan#SECONDS_PER_BEAT}, the tempo the GAN's phrases are played at, so that a rate asked of the GAN
     * is a rate heard. A silent roll reaches neither.
     */
    public static Controls reached(PianoRoll roll, int stepsPerBeat) {
        double[] pitchClasses = new double[12];
        int[] cells = roll.cells();
        for (int cell : cells) {
            pitchClasses[(cell % PianoRoll.KEYS + PianoRoll.LOWEST_PITCH) % 12]++;
        }
        int onsets = roll.notes().size();
        double seconds = (double) roll.frames() / stepsPerBeat * PianoRollGan.SECONDS_PER_BEAT;
        return new Controls(cells.length == 0 ? null : pitchClasses,
                onsets == 0 ? null : Math.min(HIGHEST_RATE, onsets / seconds), null);
    }

    /**
     * The phrases of every piece as {@link RollGrid#phrases(Score, int)} cuts them, each with its piece's label.
     *
     * @param labels one per piece (an entry may be null), or null: no piece has a label
     */
    public static List<RollPhrase> cut(RollGrid grid, List<Score> pieces, List<String> labels, int hopBars) {
        if (labels != null && labels.size() != pieces.size()) {
            throw new IllegalArgumentException(pieces.size() + " pieces but " + labels.size() + " labels");
        }
        List<RollPhrase> out = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            String label = labels == null ? null : labels.get(i);
            for (PianoRoll roll : grid.phrases(pieces.get(i), hopBars)) {
                out.add(of(roll, grid.stepsPerBeat(), label));
            }
        }
        return out;
    }

    /** Phrases of pieces without labels, with the controls they reach. */
    public static List<RollPhrase> unlabelled(RollGrid grid, List<PianoRoll> rolls) {
        return rolls.stream().map(roll -> of(roll, grid.stepsPerBeat(), null)).toList();
    }

    /** The phrases' rolls, in order. */
    public static List<PianoRoll> rolls(List<RollPhrase> phrases) {
        return phrases.stream().map(RollPhrase::roll).toList();
    }
}
