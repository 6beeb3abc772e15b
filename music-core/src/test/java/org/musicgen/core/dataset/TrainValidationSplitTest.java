package org.musicgen.core.dataset;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainValidationSplitTest {

    /** 10 pieces with 3 windows each; a window's first id names its piece. */
    private static SequenceSet tenPieces() {
        List<int[]> sequences = new ArrayList<>();
        int[] source = new int[30];
        for (int i = 0; i < 30; i++) {
            sequences.add(new int[]{i / 3, i});
            source[i] = i / 3;
        }
        return new SequenceSet(2, sequences, source);
    }

    @Test
    void noPieceHasWindowsOnBothSides() {
        TrainValidationSplit split = TrainValidationSplit.byPiece(tenPieces(), 0.2, 1);
        Set<Integer> trainPieces = new HashSet<>();
        split.train().forEach(s -> trainPieces.add(s[0]));
        Set<Integer> validationPieces = new HashSet<>();
        split.validation().forEach(s -> validationPieces.add(s[0]));
        assertEquals(2, validationPieces.size());
        assertEquals(Set.copyOf(split.validationPieces()), validationPieces);
        validationPieces.forEach(p -> assertTrue(!trainPieces.contains(p), "piece " + p + " leaks"));
        assertEquals(30, split.train().size() + split.validation().size());
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        assertEquals(TrainValidationSplit.byPiece(tenPieces(), 0.3, 7).validationPieces(),
                TrainValidationSplit.byPiece(tenPieces(), 0.3, 7).validationPieces());
        boolean differs = false;
        for (long seed = 8; seed < 20 && !differs; seed++) {
            differs = !TrainValidationSplit.byPiece(tenPieces(), 0.3, 7).validationPieces()
                    .equals(TrainValidationSplit.byPiece(tenPieces(), 0.3, seed).validationPieces());
        }
        assertTrue(differs);
    }

    @Test
    void needsTwoPiecesAndASensibleFraction() {
        SequenceSet onePiece = new SequenceSet(1, List.of(new int[]{1}, new int[]{2}), new int[]{0, 0});
        assertThrows(IllegalArgumentException.class, () -> TrainValidationSplit.byPiece(onePiece, 0.2, 1));
        assertThrows(IllegalArgumentException.class, () -> TrainValidationSplit.byPiece(tenPieces(), 1.0, 1));
        TrainValidationSplit tiny = TrainValidationSplit.byPiece(tenPieces(), 0.01, 1);
        assertEquals(1, tiny.validationPieces().size(), "at least one piece is held out");
    }
}
