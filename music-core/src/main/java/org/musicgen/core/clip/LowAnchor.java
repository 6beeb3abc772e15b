package org.musicgen.core.clip;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * The listening test's low anchor (MUSHRA, ITU-R BS.1534): a real excerpt with its pitches scrambled. It keeps the
 * excerpt's rhythm, note lengths, velocities and register (each pitch is drawn uniformly from the excerpt's own lowest
 * to highest pitch) and loses its melody and harmony, so that a careful listener rates it below the excerpt. Drum hits
 * keep their times and velocities and each is given one of the kit's drums at random: the groove goes, its pulse
 * stays.
 */
public final class LowAnchor {

    private LowAnchor() {
    }

    /** The anchor of {@code excerpt}: the same for the same seed. */
    public static Clip of(Clip excerpt, long seed) {
        List<Note> notes = excerpt.score().notes();
        if (notes.isEmpty()) {
            return excerpt;
        }
        int low = 127;
        int high = 0;
        for (Note n : notes) {
            if (!DrumKit.isDrum(n)) {
                low = Math.min(low, n.pitch());
                high = Math.max(high, n.pitch());
            }
        }
        Random random = new Random(seed);
        List<Note> scrambled = new ArrayList<>(notes.size());
        for (Note n : notes) {
            int pitch = DrumKit.isDrum(n) ? DrumKit.pitchOf(random.nextInt(DrumKit.CLASSES))
                    : low + random.nextInt(high - low + 1);
            scrambled.add(new Note(pitch, n.velocity(), n.channel(), n.onsetTick(), n.durationTicks(),
                    n.onsetSeconds(), n.durationSeconds()));
        }
        return new Clip(new Score(excerpt.score().ticksPerBeat(), scrambled), excerpt.seconds());
    }
}
