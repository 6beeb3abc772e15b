package org.musicgen.core.midi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import javax.sound.midi.MidiSystem;

/**
 * Writes a {@link Score} as a format 1 Standard MIDI File: track 0 holds tempo and a 4/4 time
 * signature, track 1 the notes with the acoustic grand piano program on every channel used.
 *
 * <p>Only ticks are written (seconds in the notes are ignored); the file has a fixed tempo,
 * 120 bpm unless {@link #write(Score, double)} is used. Two details keep a write/read round trip
 * exact with {@link MidiReader}: a note's note-off is written before other note-ons at the same
 * tick, and a note that would overlap a still-sounding note of the same pitch on its channel is
 * moved to another channel (MIDI cannot tell such notes apart on one channel). Channel 10 (index 9)
 * holds the {@link DrumKit drum hits} and nothing else: readers treat it as drums. Notes of 0 ticks are written as 1
 * tick.
 * Instances are stateless and thread-safe.
 */
public final class MidiWriter {

    public static final double DEFAULT_BPM = 120.0;

    private static final int DRUM_CHANNEL = DrumKit.CHANNEL;
    private static final int PIANO_PROGRAM = 0;
    private static final int END_OF_TRACK = 0x2F;

    /** Writes the score at 120 bpm. */
    public byte[] write(Score score) {
        return write(score, DEFAULT_BPM);
    }

    /** Writes the score with one fixed tempo in quarter notes per minute. */
    public byte[] write(Score score, double beatsPerMinute) {
        return write(score, beatsPerMinute, 0);
    }

    /**
     * Writes the score at 120 bpm with its note track ending at {@code endTick} (a clip's end, after its last note-off
     * when there is silence before it), or at its last event if that is later.
     */
    public byte[] writeClip(Score score, long endTick) {
        return write(score, DEFAULT_BPM, endTick);
    }

    private byte[] write(Score score, double beatsPerMinute, long endTick) {
        if (!(beatsPerMinute > 0) || Double.isInfinite(beatsPerMinute)) {
            throw new IllegalArgumentException("beatsPerMinute must be positive, was " + beatsPerMinute);
        }
        try {
            Sequence sequence = new Sequence(Sequence.PPQ, score.ticksPerBeat());
            Track meta = sequence.createTrack();
            long usPerBeat = Math.max(1, Math.min(0xFFFFFF, Math.round(60_000_000.0 / beatsPerMinute)));
            meta.add(new MidiEvent(new MetaMessage(0x51, new byte[] {
                (byte) (usPerBeat >> 16), (byte) (usPerBeat >> 8), (byte) usPerBeat}, 3), 0));
            // 4/4, 24 clocks per click, 8 thirty-seconds per quarter
            meta.add(new MidiEvent(new MetaMessage(0x58, new byte[] {4, 2, 24, 8}, 4), 0));

            Track notes = sequence.createTrack();
            List<long[]> events = noteEvents(score.notes());
            boolean[] used = new boolean[16];
            for (long[] e : events) {
                used[(int) e[2]] = true;
            }
            for (int ch = 0; ch < 16; ch++) {
                if (used[ch] && ch != DRUM_CHANNEL) {
                    notes.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, ch, PIANO_PROGRAM, 0), 0));
                }
            }
            for (long[] e : events) {
                MidiMessage m = e[1] == 1
                        ? new ShortMessage(ShortMessage.NOTE_ON, (int) e[2], (int) e[3], (int) e[4])
                        : new ShortMessage(ShortMessage.NOTE_OFF, (int) e[2], (int) e[3], 0);
                notes.add(new MidiEvent(m, e[0]));
            }
            // the track's end-of-track event moves to a later tick, never to an earlier one
            notes.add(new MidiEvent(new MetaMessage(END_OF_TRACK, new byte[0], 0), endTick));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MidiSystem.write(sequence, 1, out);
            return out.toByteArray();
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("cannot build MIDI events: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events as {tick, on(1)/off(0), channel, pitch, velocity}, offs before ons at one tick. */
    private static List<long[]> noteEvents(List<Note> sorted) {
        long[][] soundingUntil = new long[16][128];
        for (long[] row : soundingUntil) {
            Arrays.fill(row, -1);
        }
        List<long[]> events = new ArrayList<>(sorted.size() * 2);
        for (Note n : sorted) {
            long start = n.onsetTick();
            long end = start + Math.max(1, n.durationTicks());
            int ch = chooseChannel(soundingUntil, n.channel(), n.pitch(), start);
            soundingUntil[ch][n.pitch()] = end;
            events.add(new long[] {start, 1, ch, n.pitch(), n.velocity()});
            events.add(new long[] {end, 0, ch, n.pitch(), 0});
        }
        // stable sort keeps note order for equal (tick, kind)
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        return events;
    }

    private static int chooseChannel(long[][] soundingUntil, int wanted, int pitch, long start) {
        if (wanted == DRUM_CHANNEL) {
            return DRUM_CHANNEL; // a drum hit is a sound, not a held key: hits of one drum may overlap
        }
        for (int i = 0; i < 16; i++) {
            int ch = (wanted + i) % 16;
            if (ch != DRUM_CHANNEL && soundingUntil[ch][pitch] <= start) {
                return ch;
            }
        }
        return wanted; // 15 overlapping copies of one pitch: give up
    }
}
