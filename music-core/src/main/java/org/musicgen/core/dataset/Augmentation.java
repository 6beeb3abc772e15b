package org.musicgen.core.dataset;

import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random transposition and time-stretch of training pieces, as Music Transformer and Performance RNN augment theirs:
 * each epoch sees every piece in another key and at another pace, so a model learns intervals and rhythms rather than
 * memorising absolute pitches and one tempo.
 *
 * @param transposeSemitones a piece moves by a whole number of semitones drawn from {@code [-n, n]}; 0 for none
 * @param timeStretch        its times are scaled by a factor drawn from {@code [1 - s, 1 + s]}; 0 for none
 */
public record Augmentation(int transposeSemitones, double timeStretch) {

    /** The 88 keys of a piano: a transposed note outside them moves by an octave back in. */
    private static final int LOWEST = 21;
    private static final int HIGHEST = 108;

    public Augmentation {
        if (transposeSemitones < 0 || transposeSemitones > 12) {
            throw new IllegalArgumentException("transposeSemitones must be in [0, 12], got " + transposeSemitones);
        }
        if (!(timeStretch >= 0 && timeStretch < 0.5)) {
            throw new IllegalArgumentException("timeStretch must be in [0, 0.5), got " + timeStretch);
        }
    }

    public static Augmentation none() {
        return new Augmentation(0, 0);
    }

    public boolean isNone() {
        return transposeSemitones == 0 && timeStretch == 0;
    }

    /** {@code score} moved and stretched by amounts drawn from {@code random}; the same draws, the same result. */
    public Score apply(Score score, Random random) {
        if (isNone()) {
            return score;
        }
        int shift = transposeSemitones == 0 ? 0 : random.nextInt(2 * transposeSemitones + 1) - transposeSemitones;
        double factor = timeStretch == 0 ? 1 : 1 + (2 * random.nextDouble() - 1) * timeStretch;
        return apply(score, shift, factor);
    }

    /**
     * {@code score} moved by {@code semitones} and its times multiplied by {@code factor}. Drum hits keep their pitch,
     * which names the drum (the training corpora of drums are not augmented at all, see {@code LstmCorpus}).
     */
    public static Score apply(Score score, int semitones, double factor) {
        List<Note> notes = new ArrayList<>(score.notes().size());
        for (Note n : score.notes()) {
            int pitch = DrumKit.isDrum(n) ? n.pitch() : n.pitch() + semitones;
            if (pitch > HIGHEST && n.pitch() <= HIGHEST) {
                pitch -= 12; // pushed off the keyboard: an octave lower
            } else if (pitch < LOWEST && n.pitch() >= LOWEST) {
                pitch += 12;
            }
            if (pitch < 0 || pitch > 127) {
                continue;
            }
            notes.add(new Note(pitch, n.velocity(), n.channel(), Math.round(n.onsetTick() * factor),
                    Math.round(n.durationTicks() * factor), n.onsetSeconds() * factor, n.durationSeconds() * factor));
        }
        return new Score(score.ticksPerBeat(), notes);
    }
}
