package org.musicgen.core.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.Note;

class LowAnchorTest {

    private final Clip excerpt = Clip.cut(ClipTest.music(), 10);

    @Test
    void theAnchorKeepsTheRhythmAndVelocitiesAndScramblesThePitchesWithinTheRange() {
        Clip anchor = LowAnchor.of(excerpt, 7);

        assertEquals(excerpt.seconds(), anchor.seconds(), 0, "as long as its excerpt");
        assertEquals(excerpt.score().ticksPerBeat(), anchor.score().ticksPerBeat());
        assertEquals(timing(excerpt), timing(anchor), "the same onsets, lengths and velocities");

        int low = excerpt.score().notes().stream().mapToInt(Note::pitch).min().orElseThrow();
        int high = excerpt.score().notes().stream().mapToInt(Note::pitch).max().orElseThrow();
        assertTrue(anchor.score().notes().stream().allMatch(n -> n.pitch() >= low && n.pitch() <= high),
                "every pitch within the excerpt's own range " + low + "-" + high);
        List<Integer> before = pitchesInTimeOrder(excerpt);
        List<Integer> after = pitchesInTimeOrder(anchor);
        assertNotEquals(before, after, "the melody is gone");
        long same = java.util.stream.IntStream.range(0, before.size()).filter(i -> before.get(i).equals(after.get(i)))
                .count();
        assertTrue(same < before.size() / 3, "most pitches moved: " + same + " of " + before.size() + " kept");

        assertEquals(anchor, LowAnchor.of(excerpt, 7), "the same seed, the same anchor");
        assertNotEquals(anchor, LowAnchor.of(excerpt, 8), "another seed, another anchor");
    }

    /** Onset, length and velocity of every note, in one order whatever the pitches. */
    private static List<String> timing(Clip clip) {
        return clip.score().notes().stream()
                .sorted(Comparator.comparingLong(Note::onsetTick).thenComparingLong(Note::durationTicks)
                        .thenComparingInt(Note::velocity))
                .map(n -> n.onsetTick() + "/" + n.durationTicks() + "/" + n.onsetSeconds() + "/"
                        + n.durationSeconds() + "/" + n.velocity())
                .toList();
    }

    /** Pitches by onset, and by velocity among notes struck together (velocities differ in the test's music). */
    private static List<Integer> pitchesInTimeOrder(Clip clip) {
        return clip.score().notes().stream()
                .sorted(Comparator.comparingLong(Note::onsetTick).thenComparingInt(Note::velocity))
                .map(Note::pitch).toList();
    }
}
