package org.musicgen.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.core.roll.RollGrid;

class RollStatisticsTest {
    private static final int C4 = 60 - PianoRoll.LOWEST_PITCH;
    private final RollGrid grid = new RollGrid(4, 4, 2);

    private static PianoRoll roll(int frames, int[]... notes) {
        List<Integer> cells = new ArrayList<>();
        for (int[] n : notes) {
            for (int f = n[1]; f < n[1] + n[2]; f++) {
                cells.add(f * PianoRoll.KEYS + n[0]);
            }
        }
        return new PianoRoll(frames, cells.stream().sorted().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void statisticsOfAHandMadePhrase() {
        // bar 1: C4 held 4 steps with E4 and G4 held 2 (a chord), then a single-step C5; bar 2 silent
        PianoRoll phrase = roll(32, new int[] {C4, 0, 4}, new int[] {C4 + 4, 0, 2}, new int[] {C4 + 7, 0, 2},
                new int[] {C4 + 12, 8, 1});
        RollStatistics statistics = new RollStatistics(grid, List.of(phrase));
        Map<String, Double> s = statistics.of(phrase);
        assertEquals(RollStatistics.NAMES, List.copyOf(s.keySet()));
        assertEquals(0.0, s.get("pitch_class_distance"), 1e-12);
        // sounding frames 0,1 (3 keys), 2,3 (1 key), 8 (1 key): 9 cells over 5 frames
        assertEquals(9.0 / 5, s.get("polyphony"), 1e-12);
        assertEquals(4.0 / 2, s.get("notes_per_bar"), 1e-12);
        assertEquals(0.5, s.get("empty_bar_rate"), 1e-12);
        assertEquals(12.0, s.get("pitch_range"), 1e-12);
        assertEquals(3.0 / 4, s.get("qualified_note_rate"), 1e-12);

        // against a reference of only Cs, the phrase's E and G (2 of 4 notes) are half its pitch classes away
        RollStatistics onlyC = new RollStatistics(grid, List.of(roll(32, new int[] {C4, 0, 2})));
        assertEquals(0.5, onlyC.of(phrase).get("pitch_class_distance"), 1e-12);
    }

    @Test
    void aSilentPhraseHasOnlyItsEmptyBars() {
        Map<String, Double> s = new RollStatistics(grid, List.of()).of(new PianoRoll(32, new int[0]));
        assertEquals(1.0, s.get("empty_bar_rate"));
        assertEquals(0.0, s.get("notes_per_bar"));
        assertTrue(Double.isNaN(s.get("polyphony")) && Double.isNaN(s.get("pitch_range")));
    }

    @Test
    void diversityIsZeroForCopiesAndLargeForDisjointMaterial() {
        PianoRoll c = roll(32, new int[] {C4, 0, 4});
        PianoRoll fSharp = roll(32, new int[] {C4 + 6, 0, 4});
        assertEquals(0.0, RollStatistics.diversity(List.of(c, c, c)), 1e-12);
        assertEquals(1.0, RollStatistics.diversity(List.of(c, fSharp)), 1e-12);
        assertEquals(2.0 / 3, RollStatistics.diversity(List.of(c, c, fSharp)), 1e-12);
        assertTrue(Double.isNaN(RollStatistics.diversity(List.of(c, new PianoRoll(32, new int[0])))));
    }
}
