package org.musicgen.core.model.lstm;

import org.musicgen.core.dataset.Augmentation;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.midi.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The LSTM's training windows of a set of pieces, each with its steps' controls and its piece's label: the same
 * windows every epoch, or, with an {@link Augmentation}, each epoch's own transposed and stretched copies. Only the
 * piano-only performance encoding is augmented: a corpus-fitted one (seed) would meet unknown tokens in other keys,
 * and with drums ({@code performance-drums}) a transposition would move the drum channel's pitches, which name drums,
 * not keys (a kick moved up two semitones is a snare), so a drums corpus always trains on its windows as they are.
 */
public final class LstmCorpus {

    private final Encoding encoding;
    private final List<Score> pieces;
    private final List<String> labels;
    private final int length;
    private final Augmentation augmentation;
    private final long seed;
    private final List<LstmWindow> plain;

    /**
     * @param labels each piece's label (null entries for none), or null for none at all
     * @param length ids per window; windows start every half window, as the datasets' windows do
     */
    public LstmCorpus(Encoding encoding, List<Score> pieces, List<String> labels, int length,
                      Augmentation augmentation, long seed) {
        if (labels != null && labels.size() != pieces.size()) {
            throw new IllegalArgumentException(pieces.size() + " pieces but " + labels.size() + " labels");
        }
        this.encoding = encoding;
        this.pieces = List.copyOf(pieces);
        this.labels = labels == null ? null : new ArrayList<>(labels);
        this.length = length;
        // never Encodings.PERFORMANCE_DRUMS: transposition must not move drum pitches (see above)
        this.augmentation = Encodings.PERFORMANCE.equals(encoding.name()) ? augmentation : Augmentation.none();
        this.seed = seed;
        this.plain = cut(pieces);
    }

    /** The windows of the pieces as they are. */
    public List<LstmWindow> windows() {
        return plain;
    }

    /** Whether epochs see augmented copies. */
    public boolean augmented() {
        return !augmentation.isNone();
    }

    /** The windows epoch {@code epoch} (from 1) trains on: its own augmented copies, or the plain windows. */
    public List<LstmWindow> forEpoch(int epoch) {
        if (augmentation.isNone()) {
            return plain;
        }
        Random random = new Random(seed * 1_000_003L + epoch);
        List<Score> moved = new ArrayList<>(pieces.size());
        for (Score piece : pieces) {
            moved.add(augmentation.apply(piece, random));
        }
        return cut(moved);
    }

    private List<LstmWindow> cut(List<Score> scores) {
        List<LstmWindow> out = new ArrayList<>();
        int stride = Math.max(1, length / 2);
        for (int i = 0; i < scores.size(); i++) {
            String label = labels == null ? null : labels.get(i);
            out.addAll(LstmWindow.cut(encoding, encoding.encode(scores.get(i)), label, length, stride));
        }
        return out;
    }
}
