package org.musicgen.core.midi;

/**
 * A file that cannot be used as a piano score. The message is meant for the person who uploaded
 * the file, e.g. "truncated: track 2 declares 5120 bytes but only 311 remain".
 */
public final class MidiFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public MidiFormatException(String reason) {
        super(reason);
    }

    public MidiFormatException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
