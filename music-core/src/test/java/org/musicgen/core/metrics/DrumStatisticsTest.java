package org.musicgen.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.core.roll.RollGrid;
import org.musicgen.core.synth.GrooveCorpus;

class DrumStatisticsTest {
    private static final RollGrid GRID = new RollGrid(4, 4, 2);

    @Test
    void aRockBeatIsAllOnEighthsWithAKickOnEveryOne() {
        // bar 1: kick 0, 8; snare 4, 12; hats on eighths. bar 2: the same with a kick on the last sixteenth
        int[] hits = java.util.stream.IntStream.concat(beat(0, false), beat(16, true)).sorted().toArray();
        Map<String, Double> s = new DrumStatistics(GRID).of(new PianoRoll(32, new int[0], hits));
        // 2 kicks + 2 snares + 8 hats = 12 a bar, and one more kick in bar 2
        assertEquals(12.5, s.get("hits_per_bar"), 1e-9);
        assertEquals(24.0 / 25, s.get("drum_pattern"), 1e-9, "the pickup kick is off the eighths");
        assertEquals(1.0, s.get("kick_on_one"));
        assertEquals(5.0 / 25, s.get("kick_share"), 1e-9);
        assertEquals(4.0 / 25, s.get("snare_share"), 1e-9);
        assertEquals(16.0 / 25, s.get("hat_share"), 1e-9);
        assertEquals(12.0 / 13, s.get("bar_repetition"), 1e-9, "all of bar 2 but its pickup kick repeats bar 1");

        Map<String, Double> empty = new DrumStatistics(GRID).of(new PianoRoll(32, new int[] {5}));
        assertEquals(0.0, empty.get("hits_per_bar"));
        assertEquals(0.0, empty.get("kick_on_one"));
        assertTrue(Double.isNaN(empty.get("drum_pattern")) && Double.isNaN(empty.get("kick_share"))
                && Double.isNaN(empty.get("bar_repetition")));
    }

    private static java.util.stream.IntStream beat(int start, boolean pickup) {
        java.util.stream.IntStream.Builder b = java.util.stream.IntStream.builder();
        b.add((start) * PianoRoll.DRUMS + DrumKit.KICK).add((start + 8) * PianoRoll.DRUMS + DrumKit.KICK)
                .add((start + 4) * PianoRoll.DRUMS + DrumKit.SNARE).add((start + 12) * PianoRoll.DRUMS + DrumKit.SNARE);
        for (int step = 0; step < 16; step += 2) {
            b.add((start + step) * PianoRoll.DRUMS + DrumKit.CLOSED_HAT);
        }
        if (pickup) {
            b.add((start + 15) * PianoRoll.DRUMS + DrumKit.KICK);
        }
        return b.build();
    }

    @Test
    void realGroovesSitInsideTheirOwnSpreadAndRandomHitsOfTheirDensityDoNot() {
        List<PianoRoll> real = GRID.phrases(GrooveCorpus.pieces(24, 8, 3), GRID.bars());
        List<PianoRoll> other = GRID.phrases(GrooveCorpus.pieces(24, 8, 4), GRID.bars());
        DrumStatistics statistics = new DrumStatistics(GRID);
        List<Map<String, Double>> realStatistics = statistics.of(real);
        assertEquals(DrumStatistics.NAMES.size(), DrumStatistics.insideCount(statistics.of(other), realStatistics),
                "other pieces of the same groove: " + DrumStatistics.inside(statistics.of(other), realStatistics));
        List<PianoRoll> random = DrumStatistics.randomRolls(real, GRID.frames(), 256, 1);
        double realHits = real.stream().mapToInt(PianoRoll::drumHits).average().orElseThrow();
        double randomHits = random.stream().mapToInt(PianoRoll::drumHits).average().orElseThrow();
        assertEquals(realHits, randomHits, 0.05 * realHits, "random rolls have the real density");
        Map<String, Boolean> inside = DrumStatistics.inside(statistics.of(random), realStatistics);
        System.out.println("random drum rolls inside the real spread: " + inside + "; real means "
                + DrumStatistics.mean(realStatistics) + ", random means " + DrumStatistics.mean(statistics.of(random)));
        assertTrue(DrumStatistics.insideCount(statistics.of(random), realStatistics) <= DrumStatistics.NAMES.size() - 1);
        assertEquals(false, inside.get("kick_on_one"), "a random roll rarely starts a bar with a kick");
        assertEquals(false, inside.get("drum_pattern"), "random hits are half off the eighths");
        assertEquals(false, inside.get("bar_repetition"), "random bars do not repeat");
    }
}
