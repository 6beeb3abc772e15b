package org.musicgen.core.midi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/** Test helper: builds Standard MIDI Files by hand or with javax.sound.midi. */
public final class Smf {

    private Smf() {
    }

    /** Header chunk with the given format, track count and division word. */
    public static byte[] header(int format, int tracks, int division) {
        return new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, (byte) format, 0, (byte) tracks,
            (byte) (division >> 8), (byte) division};
    }

    /** MTrk chunk around raw event bytes (the caller supplies the end-of-track event). */
    public static byte[] track(int... eventBytes) {
        byte[] out = new byte[8 + eventBytes.length];
        out[0] = 'M';
        out[1] = 'T';
        out[2] = 'r';
        out[3] = 'k';
        int n = eventBytes.length;
        out[4] = (byte) (n >>> 24);
        out[5] = (byte) (n >>> 16);
        out[6] = (byte) (n >>> 8);
        out[7] = (byte) n;
        for (int i = 0; i < n; i++) {
            out[8 + i] = (byte) eventBytes[i];
        }
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static Sequence sequence(int ppq) {
        try {
            return new Sequence(Sequence.PPQ, ppq);
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void note(Track track, int channel, int pitch, int velocity, long on, long off) {
        try {
            track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, pitch, velocity), on));
            track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, pitch, 0), off));
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void event(Track track, int command, int channel, int d1, int d2, long tick) {
        try {
            track.add(new MidiEvent(new ShortMessage(command, channel, d1, d2), tick));
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void tempo(Track track, double bpm, long tick) {
        int us = (int) Math.round(60_000_000 / bpm);
        try {
            track.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (us >> 16), (byte) (us >> 8), (byte) us}, 3),
                    tick));
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] write(Sequence sequence, int type) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MidiSystem.write(sequence, type, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
