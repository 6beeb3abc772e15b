package org.musicgen.core.metrics;

import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.midi.Note;
import org.musicgen.core.tokens.Token;
import org.musicgen.core.tokens.Vocabulary;

import java.util.Arrays;
import java.util.List;

/**
 * Share of each of the 12 pitch classes among the sounding pitches of token sequences: a quick check of
 * whether generated music keeps to the tonal material of its corpus.
 */
public final class PitchClassHistogram {

    private final double[] shares;

    private PitchClassHistogram(double[] shares) {
        this.shares = shares;
    }

    /** Counts the pitch of every piano note the encoding decodes the sequences to (drum hits have no pitch class). */
    public static PitchClassHistogram of(List<int[]> sequences, Encoding encoding) {
        double[] counts = new double[12];
        for (int[] sequence : sequences) {
            for (Note n : encoding.decode(sequence).piano().notes()) {
                counts[n.pitch() % 12]++;
            }
        }
        return normalised(counts);
    }

    /** Counts the pitches of every note and chord token ({@code <unk>} and rests contribute nothing). */
    public static PitchClassHistogram of(List<int[]> sequences, Vocabulary vocabulary) {
        int[][] pitchesById = new int[vocabulary.size()][];
        for (int id = 0; id < vocabulary.size(); id++) {
            pitchesById[id] = id == Vocabulary.UNKNOWN_ID ? new int[0] : Token.parse(vocabulary.tokenAt(id)).pitches();
        }
        double[] counts = new double[12];
        for (int[] sequence : sequences) {
            for (int id : sequence) {
                if (id >= 0 && id < pitchesById.length) {
                    for (int pitch : pitchesById[id]) {
                        counts[pitch % 12]++;
                    }
                }
            }
        }
        return normalised(counts);
    }

    private static PitchClassHistogram normalised(double[] counts) {
        double total = Arrays.stream(counts).sum();
        if (total > 0) {
            for (int i = 0; i < 12; i++) {
                counts[i] /= total;
            }
        }
        return new PitchClassHistogram(counts);
    }

    public double[] shares() {
        return shares.clone();
    }

    /** Total-variation distance in [0, 1]: half the L1 distance between the two distributions. */
    public double distanceTo(PitchClassHistogram other) {
        double sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += Math.abs(shares[i] - other.shares[i]);
        }
        return sum / 2;
    }
}
