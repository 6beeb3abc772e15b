package org.musicgen.core.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * Small drum pieces with one simple groove, for tests: kick on beats 1 and 3, snare on 2 and 4, closed hi-hats on the
 * eighths, at 120 beats a minute in 4/4. Each piece varies it as a drummer would: some add a kick on the "and" of 3
 * or the last sixteenth of a bar, some open the last hat of a bar, some play hats on every sixteenth in one bar of
 * four, some start with a crash; every hit is a few ticks early or late (less than a third of a sixteenth, so it
 * stays on its step) and louder or softer.
 */
public final class GrooveCorpus {
    /** Ticks a beat of the pieces. */
    public static final int TICKS_PER_BEAT = 480;
    private static final int TICKS_PER_STEP = TICKS_PER_BEAT / 4;
    private static final double SECONDS_PER_TICK = 0.5 / TICKS_PER_BEAT;

    private GrooveCorpus() {
    }

    /** {@code count} pieces of {@code bars} bars each, the same for the same seed. */
    public static List<Score> pieces(int count, int bars, long seed) {
        Random random = new Random(seed);
        List<Score> out = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            boolean kickOnAndOfThree = random.nextDouble() < 0.4;
            boolean pickupKick = random.nextDouble() < 0.3;
            boolean openHat = random.nextDouble() < 0.4;
            boolean sixteenthHats = random.nextDouble() < 0.3;
            boolean crash = random.nextDouble() < 0.5;
            List<Note> notes = new ArrayList<>();
            for (int bar = 0; bar < bars; bar++) {
                int base = bar * 16;
                hit(notes, random, DrumKit.KICK, base);
                hit(notes, random, DrumKit.KICK, base + 8);
                hit(notes, random, DrumKit.SNARE, base + 4);
                hit(notes, random, DrumKit.SNARE, base + 12);
                boolean busy = sixteenthHats && bar % 4 == 3;
                for (int step = 0; step < 16; step += busy ? 1 : 2) {
                    boolean open = openHat && step == 14;
                    hit(notes, random, open ? DrumKit.OPEN_HAT : DrumKit.CLOSED_HAT, base + step);
                }
                if (kickOnAndOfThree && random.nextDouble() < 0.7) {
                    hit(notes, random, DrumKit.KICK, base + 10);
                }
                if (pickupKick && bar % 2 == 1) {
                    hit(notes, random, DrumKit.KICK, base + 15);
                }
                if (crash && bar % 4 == 0) {
                    hit(notes, random, DrumKit.CRASH, base);
                }
            }
            notes.sort(Score.ORDER);
            out.add(new Score(TICKS_PER_BEAT, notes));
        }
        return out;
    }

    private static void hit(List<Note> notes, Random random, int drum, int step) {
        long tick = Math.max(0, (long) step * TICKS_PER_STEP + random.nextInt(31) - 15);
        int velocity = 70 + random.nextInt(40);
        long length = TICKS_PER_STEP / 2;
        notes.add(new Note(DrumKit.pitchOf(drum), velocity, DrumKit.CHANNEL, tick, length, tick * SECONDS_PER_TICK,
                length * SECONDS_PER_TICK));
    }
}
