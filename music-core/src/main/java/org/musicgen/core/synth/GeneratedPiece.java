package org.musicgen.core.synth;

import java.util.Arrays;

/**
 * One synthetic piece: a file name such as {@code piece-007-d-minor.mid} and its Standard MIDI
 * File bytes.
 */
public record GeneratedPiece(String fileName, byte[] midi) {

    public GeneratedPiece {
        midi = midi.clone();
    }

    /** A copy: the record must not hand out its own array. */
    @Override
    public byte[] midi() {
        return midi.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratedPiece p && fileName.equals(p.fileName) && Arrays.equals(midi, p.midi);
    }

    @Override
    public int hashCode() {
        return fileName.hashCode() * 31 + Arrays.hashCode(midi);
    }

    @Override
    public String toString() {
        return "GeneratedPiece[" + fileName + ", " + midi.length + " bytes]";
    }
}
