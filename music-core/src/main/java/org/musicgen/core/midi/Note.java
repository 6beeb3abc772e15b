package org.musicgen.core.midi;

/**
 * One sounding note. Ticks are in the owning {@link Score}'s resolution; seconds come from the
 * file's tempo map, so both views are available without re-deriving tempo later.
 *
 * @param pitch           MIDI key number 0..127
 * @param velocity        note-on velocity 1..127
 * @param channel         MIDI channel index 0..15
 * @param onsetTick       start, in score ticks
 * @param durationTicks   length in score ticks (may be 0 for a note-on immediately released)
 * @param onsetSeconds    start in seconds
 * @param durationSeconds length in seconds
 */
public record Note(int pitch, int velocity, int channel, long onsetTick, long durationTicks,
                   double onsetSeconds, double durationSeconds) {

    public Note {
        if (pitch < 0 || pitch > 127) {
            throw new IllegalArgumentException("pitch must be 0..127, was " + pitch);
        }
        if (velocity < 1 || velocity > 127) {
            throw new IllegalArgumentException("velocity must be 1..127, was " + velocity);
        }
        if (channel < 0 || channel > 15) {
            throw new IllegalArgumentException("channel must be 0..15, was " + channel);
        }
        if (onsetTick < 0 || durationTicks < 0) {
            throw new IllegalArgumentException("ticks must not be negative: onset " + onsetTick
                    + ", duration " + durationTicks);
        }
        if (!(onsetSeconds >= 0) || !(durationSeconds >= 0)) {
            throw new IllegalArgumentException("seconds must be finite and not negative: onset "
                    + onsetSeconds + ", duration " + durationSeconds);
        }
    }

    /** End of the note in ticks (exclusive). */
    public long endTick() {
        return onsetTick + durationTicks;
    }

    /** End of the note in seconds. */
    public double endSeconds() {
        return onsetSeconds + durationSeconds;
    }
}
