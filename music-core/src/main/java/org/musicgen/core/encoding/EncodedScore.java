package org.musicgen.core.encoding;

import org.musicgen.core.midi.Score;

/**
 * A piece as a generator hands it on: its notes and the ids of one encoding that are those notes, made together
 * once. Whatever reads the piece next (rendering, metrics, cutting a clip) takes both from here instead of decoding
 * or encoding again.
 *
 * @param score the notes the ids decode to
 * @param ids   the piece in the encoding
 */
public record EncodedScore(Score score, int[] ids) {

    public EncodedScore {
        ids = ids.clone();
    }

    /** The notes of {@code ids}. */
    public static EncodedScore decode(Encoding encoding, int[] ids) {
        return new EncodedScore(encoding.decode(ids), ids);
    }

    /**
     * The notes of {@code notes} as the encoding keeps them (its time steps, velocity bins, range): what a model
     * that writes notes, not ids, sounds like beside the corpus it learnt from.
     */
    public static EncodedScore encode(Encoding encoding, Score notes) {
        return decode(encoding, encoding.encode(notes));
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** How many ids, without copying them. */
    public int length() {
        return ids.length;
    }
}
