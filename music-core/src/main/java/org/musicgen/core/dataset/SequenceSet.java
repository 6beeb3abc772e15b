package org.musicgen.core.dataset;

import java.util.Arrays;
import java.util.List;

/**
 * Fixed-length token-id sequences for training.
 *
 * @param sequenceLength ids per sequence, at least 1
 * @param sequences      the sequences, each exactly {@code sequenceLength} ids
 * @param sourceIndex    {@code sourceIndex[i]} is the index of the source file of sequence {@code i},
 *                       so that train/validation can be split by piece without leakage
 */
public record SequenceSet(int sequenceLength, List<int[]> sequences, int[] sourceIndex) {

    public SequenceSet {
        if (sequenceLength < 1) {
            throw new IllegalArgumentException("sequenceLength must be >= 1, was " + sequenceLength);
        }
        sequences = List.copyOf(sequences);
        sourceIndex = sourceIndex.clone();
        if (sourceIndex.length != sequences.size()) {
            throw new IllegalArgumentException("sourceIndex has " + sourceIndex.length + " entries for "
                    + sequences.size() + " sequences");
        }
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i).length != sequenceLength) {
                throw new IllegalArgumentException("sequence " + i + " has " + sequences.get(i).length
                        + " ids, expected " + sequenceLength);
            }
            if (sourceIndex[i] < 0) {
                throw new IllegalArgumentException("sequence " + i + " has negative source index " + sourceIndex[i]);
            }
        }
    }

    /** Number of sequences. */
    public int size() {
        return sequences.size();
    }

    /** A copy: the record must not hand out its own array. */
    @Override
    public int[] sourceIndex() {
        return sourceIndex.clone();
    }

    /** Source index of sequence {@code i} without copying. */
    public int sourceOf(int i) {
        return sourceIndex[i];
    }

    /** Largest id in any sequence, -1 when there are none. */
    public int maxId() {
        int max = -1;
        for (int[] s : sequences) {
            for (int id : s) {
                max = Math.max(max, id);
            }
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SequenceSet s) || s.sequenceLength != sequenceLength
                || !Arrays.equals(s.sourceIndex, sourceIndex) || s.sequences.size() != sequences.size()) {
            return false;
        }
        for (int i = 0; i < sequences.size(); i++) {
            if (!Arrays.equals(sequences.get(i), s.sequences.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = sequenceLength * 31 + Arrays.hashCode(sourceIndex);
        for (int[] s : sequences) {
            h = h * 31 + Arrays.hashCode(s);
        }
        return h;
    }

    @Override
    public String toString() {
        return "SequenceSet[sequenceLength=" + sequenceLength + ", sequences=" + sequences.size() + "]";
    }
}
