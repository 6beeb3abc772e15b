package org.musicgen.core.metrics;

import org.junit.jupiter.api.Test;
import org.musicgen.core.tokens.Vocabulary;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PitchClassHistogramTest {

    private final Vocabulary vocabulary = Vocabulary.build(
            Map.of("n60:4", 5L, "c60.64.67:4", 3L, "r:2", 2L, "n61:4", 1L), 10, 1);

    @Test
    void countsEveryPitchOfNotesAndChordsModuloTwelve() {
        int c = vocabulary.indexOf("n60:4");
        int chord = vocabulary.indexOf("c60.64.67:4");
        int rest = vocabulary.indexOf("r:2");
        PitchClassHistogram histogram = PitchClassHistogram.of(List.of(new int[]{c, chord, rest, 0}), vocabulary);
        double[] expected = new double[12];
        expected[0] = 0.5;
        expected[4] = 0.25;
        expected[7] = 0.25;
        assertArrayEquals(expected, histogram.shares(), 1e-12);
    }

    @Test
    void distanceIsZeroToItselfAndOneBetweenDisjointMaterial() {
        PitchClassHistogram c = PitchClassHistogram.of(List.of(new int[]{vocabulary.indexOf("n60:4")}), vocabulary);
        PitchClassHistogram cSharp = PitchClassHistogram.of(List.of(new int[]{vocabulary.indexOf("n61:4")}), vocabulary);
        assertEquals(0, c.distanceTo(c), 1e-12);
        assertEquals(1, c.distanceTo(cSharp), 1e-12);
    }
}
