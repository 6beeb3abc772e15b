package org.musicgen.core.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.musicgen.core.metrics.Excerpts;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/** The composer classifier on made-up composers whose playing differs in ways a listener would hear. */
class LabelClassifierTest {

    private static final List<String> STYLES = List.of("fast-high", "slow-low", "middle-chords");

    /**
     * 30 s of one style, drawn at random around its character: fast high runs, slow low single notes, or
     * middle-register chords at a walking pace; keys, velocities and timing vary within every style.
     */
    private static Score piece(String style, Random random) {
        int tonic = random.nextInt(12);
        int[] scale = {0, 2, 4, 5, 7, 9, 11};
        double gap;
        int register;
        int chord;
        switch (style) {
            case "fast-high" -> {
                gap = 0.08 + 0.06 * random.nextDouble();
                register = 72;
                chord = 1;
            }
            case "slow-low" -> {
                gap = 0.5 + 0.4 * random.nextDouble();
                register = 40;
                chord = 1;
            }
            default -> {
                gap = 0.25 + 0.15 * random.nextDouble();
                register = 56;
                chord = 3;
            }
        }
        List<Note> notes = new ArrayList<>();
        int degree = random.nextInt(7);
        for (double t = 0; t < 30; t += gap * (0.8 + 0.4 * random.nextDouble())) {
            degree = Math.floorMod(degree + random.nextInt(5) - 2, 14);
            for (int v = 0; v < chord; v++) {
                int d = degree + 2 * v;
                int pitch = register + tonic + 12 * (d / 7) + scale[d % 7];
                double length = gap * (0.6 + 0.8 * random.nextDouble());
                notes.add(new Note(pitch, 40 + random.nextInt(60), 0, Math.round(t * 960), Math.round(length * 960),
                        t, length));
            }
        }
        return new Score(480, notes);
    }

    private record Data(List<Score> excerpts, List<String> labels) {
    }

    private static Data data(int perStyle, long seed) {
        Random random = new Random(seed);
        List<Score> excerpts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < perStyle; i++) {
            for (String style : STYLES) {
                excerpts.add(piece(style, random));
                labels.add(style);
            }
        }
        return new Data(excerpts, labels);
    }

    @Test
    void tellsStylesThatDifferApart() {
        Data train = data(30, 1);
        Data test = data(20, 2);
        LabelClassifier classifier = LabelClassifier.fit(train.excerpts(), train.labels());
        assertEquals(List.of("fast-high", "middle-chords", "slow-low"), classifier.labels());
        double accuracy = classifier.accuracy(test.excerpts(), test.labels());
        // chance is 1/3
        assertTrue(accuracy >= 0.9, "accuracy " + accuracy);
        double sum = classifier.probabilities(test.excerpts().get(0)).values().stream().mapToDouble(d -> d).sum();
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void learnsNothingFromShuffledLabels() {
        Data train = data(30, 3);
        List<String> shuffled = new ArrayList<>(train.labels());
        Collections.shuffle(shuffled, new Random(4));
        Data test = data(40, 5);
        List<String> testShuffled = new ArrayList<>(test.labels());
        Collections.shuffle(testShuffled, new Random(6));
        double accuracy = LabelClassifier.fit(train.excerpts(), shuffled).accuracy(test.excerpts(), testShuffled);
        // chance is 1/3; 120 test excerpts put two standard deviations at about 0.09
        assertTrue(Math.abs(accuracy - 1.0 / 3) < 0.15, "accuracy " + accuracy);
    }

    @Test
    void theSameDataGivesTheSameClassifier() {
        Data train = data(10, 7);
        Score probe = piece("slow-low", new Random(8));
        assertEquals(LabelClassifier.fit(train.excerpts(), train.labels()).probabilities(probe),
                LabelClassifier.fit(train.excerpts(), train.labels()).probabilities(probe));
    }

    @Test
    void refusesWhatItCannotLearn() {
        Data train = data(3, 9);
        assertThrows(IllegalArgumentException.class,
                () -> LabelClassifier.fit(train.excerpts(), train.labels().subList(0, 2)));
        assertThrows(IllegalArgumentException.class, () -> LabelClassifier.fit(train.excerpts().subList(0, 2),
                List.of("one", "one")));
    }

    @Test
    void featuresDoNotDependOnTheKey() {
        Score piece = piece("middle-chords", new Random(10));
        List<Note> up = piece.notes().stream().map(n -> new Note(n.pitch() + 5, n.velocity(), n.channel(),
                n.onsetTick(), n.durationTicks(), n.onsetSeconds(), n.durationSeconds())).toList();
        double[] a = StyleFeatures.of(piece);
        double[] b = StyleFeatures.of(new Score(480, up));
        int mean = StyleFeatures.NAMES.indexOf("pitch_mean");
        for (int i = 0; i < a.length; i++) {
            if (i != mean) {
                assertEquals(a[i], b[i], 1e-9, StyleFeatures.NAMES.get(i));
            }
        }
        assertEquals(a[mean] + 5, b[mean], 1e-9);
    }

    @Test
    void excerptsStartAtZeroAndEndWhereAsked() {
        Score piece = piece("slow-low", new Random(11));
        Score excerpt = Excerpts.cut(piece, 10, 5);
        assertTrue(!excerpt.notes().isEmpty());
        for (Note n : excerpt.notes()) {
            assertTrue(n.onsetSeconds() >= 0 && n.onsetSeconds() < 5, "onset " + n.onsetSeconds());
            assertTrue(n.endSeconds() <= 5 + 1e-9, "end " + n.endSeconds());
        }
        assertEquals(0, excerpt.notes().get(0).onsetTick());
        long inWindow = piece.notes().stream().filter(n -> n.onsetSeconds() >= 10 && n.onsetSeconds() < 15).count();
        assertEquals(inWindow, excerpt.notes().size());
        // every window of a 30 s piece that fits: 0-10, 10-20, 20-30 at most
        assertTrue(Excerpts.windows(piece, 10, 10).size() <= 3);
        assertTrue(Excerpts.windows(piece, 40, 10).isEmpty());
    }
}
