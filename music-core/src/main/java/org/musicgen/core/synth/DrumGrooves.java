package org.musicgen.core.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * Original piano-and-drums pieces for tests and small runs, as {@link SyntheticCorpus} makes piano ones: each of its
 * pieces with a rock groove under it (kick on beats 1 and 3, snare on 2 and 4, closed hi-hat on every eighth, an open
 * hi-hat before each fourth bar, a crash on every fourth bar's downbeat, a tom fill in the last beat of each eighth
 * bar, a ride in the second half), with human timing (onsets moved by up to 8 ms) and accented velocities, so that a
 * round trip or a model has every drum class and something to get right. Deterministic for a seed. The demo's
 * drums are {@link SyntheticCorpus#withDrums()}'s instead: several grooves on the grid, varied per piece, for
 * models to learn; these are one groove off the grid, every drum in it, for round trips to keep.
 */
public final class DrumGrooves {

    private static final int TICKS_PER_BEAT = 480;

    private final SyntheticCorpus piano;
    private final long seed;

    public DrumGrooves(long seed) {
        this.piano = new SyntheticCorpus(seed);
        this.seed = seed;
    }

    /** The first {@code count} pieces, named as the piano corpus's with {@code -drums} before the extension. */
    public List<GeneratedPiece> generate(int count) {
        List<GeneratedPiece> pieces = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pieces.add(piece(i));
        }
        return pieces;
    }

    /** The synthetic piano piece {@code index} with a groove under it. */
    public GeneratedPiece piece(int index) {
        GeneratedPiece plain = piano.piece(index);
        Score score;
        try {
            score = new MidiReader().read(plain.midi());
        } catch (MidiFormatException e) {
            throw new IllegalStateException("the synthetic corpus wrote an unreadable piece: " + e.getMessage(), e);
        }
        double beatSeconds = beatSeconds(score);
        Score withDrums = withGroove(score, beatSeconds, new Random(seed * 1_000_003 + index));
        return new GeneratedPiece(plain.fileName().replace(".mid", "-drums.mid"),
                new MidiWriter().write(withDrums, 60 / beatSeconds));
    }

    /** A beat's length in the score's (single) tempo. */
    private static double beatSeconds(Score score) {
        for (Note n : score.notes()) {
            if (n.durationTicks() > 0) {
                return n.durationSeconds() / n.durationTicks() * score.ticksPerBeat();
            }
        }
        return 0.5;
    }

    /** The score with a groove of its length added on the drum channel, a beat lasting {@code beatSeconds}. */
    public static Score withGroove(Score score, double beatSeconds, Random random) {
        List<Note> notes = new ArrayList<>(score.notes());
        notes.addAll(groove(score.ticksPerBeat(), beatSeconds, score.lengthSeconds(), random));
        return new Score(score.ticksPerBeat(), notes);
    }

    /** The drum hits alone, {@code seconds} long, at 120 bpm (write it with {@link MidiWriter#write(Score)}). */
    public static Score grooveOnly(double seconds, Random random) {
        return new Score(TICKS_PER_BEAT, groove(TICKS_PER_BEAT, 0.5, seconds, random));
    }

    private static List<Note> groove(int ticksPerBeat, double beatSeconds, double seconds, Random random) {
        List<Note> hits = new ArrayList<>();
        int eighths = (int) Math.floor(seconds / (beatSeconds / 2));
        for (int e = 0; e < eighths; e++) {
            int bar = e / 8;
            int inBar = e % 8;
            boolean secondHalf = e >= eighths / 2;
            boolean accent = inBar % 2 == 0;
            int cymbal = secondHalf ? DrumKit.RIDE : DrumKit.CLOSED_HAT;
            add(hits, ticksPerBeat, beatSeconds, e, cymbal, accent ? 92 : 64, random);
            if (inBar == 0 || inBar == 4) {
                add(hits, ticksPerBeat, beatSeconds, e, DrumKit.KICK, 108, random);
            }
            if (inBar == 2 || inBar == 6) {
                add(hits, ticksPerBeat, beatSeconds, e, DrumKit.SNARE, 100, random);
            }
            if (bar % 4 == 3 && inBar == 7) {
                add(hits, ticksPerBeat, beatSeconds, e, DrumKit.OPEN_HAT, 80, random);
            }
            if (bar % 4 == 0 && inBar == 0) {
                add(hits, ticksPerBeat, beatSeconds, e, DrumKit.CRASH, 116, random);
            }
            if (bar % 8 == 7 && inBar >= 6) {
                int tom = inBar == 6 ? DrumKit.HIGH_TOM : DrumKit.MID_TOM;
                add(hits, ticksPerBeat, beatSeconds, e, tom, 96, random);
                add(hits, ticksPerBeat, beatSeconds, e, DrumKit.LOW_TOM, 90, random);
            }
        }
        return hits;
    }

    private static void add(List<Note> hits, int ticksPerBeat, double beatSeconds, int eighth, int drumClass,
                            int velocity, Random random) {
        double onset = Math.max(0, eighth * beatSeconds / 2 + (random.nextInt(17) - 8) / 1000.0);
        long tick = Math.round(onset / beatSeconds * ticksPerBeat);
        int played = Math.max(1, Math.min(127, velocity + random.nextInt(11) - 5));
        double tickSeconds = beatSeconds / ticksPerBeat;
        hits.add(new Note(DrumKit.pitchOf(drumClass), played, DrumKit.CHANNEL, tick, 1, tick * tickSeconds,
                tickSeconds));
    }
}
