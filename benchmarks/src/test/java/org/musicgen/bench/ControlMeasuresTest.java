package org.musicgen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.musicgen.core.control.Controls;
import org.musicgen.core.control.MusicalKey;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/** The measures on a made-up model that does exactly what it is asked, and on one that ignores it. */
class ControlMeasuresTest {

    /**
     * {@code seconds} of notes at {@code rate} per second, pitch classes cycling with durations in proportion to
     * {@code profile}, in the register of {@code octave}.
     */
    private static Score music(double[] profile, double rate, double seconds, int octave) {
        List<Note> notes = new ArrayList<>();
        int count = (int) Math.round(rate * seconds);
        for (int i = 0; i < count; i++) {
            int pc = i % 12;
            double on = i / rate;
            double length = Math.max(0.001, profile[pc] * 12 / rate);
            notes.add(new Note(12 * octave + pc, 80, 0, Math.round(on * 1000), Math.round(length * 1000), on, length));
        }
        return new Score(500, notes);
    }

    private static final double[] FLAT = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

    /** Two "composers": high and fast, low and slow, 40 s pieces in C major or A minor. */
    private static ControlMeasures.Corpus corpus() {
        List<Score> train = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // rates whose note counts are not all multiples of 12, so that the pitch-class shares vary a little
            train.add(music(MusicalKey.parse(i % 2 == 0 ? "C major" : "A minor").profile(), 8 + 0.45 * i, 40, 6));
            labels.add("high");
            train.add(music(MusicalKey.parse(i % 2 == 0 ? "C major" : "A minor").profile(), 2 + 0.35 * i, 40, 3));
            labels.add("low");
        }
        return new ControlMeasures.Corpus(train, labels, train.subList(0, 4), labels.subList(0, 4));
    }

    /** Follows the key, the density and the label asked; writes C major at 4 notes per second otherwise. */
    private static List<Score> obedient(List<Controls> asked, double seconds) {
        List<Score> out = new ArrayList<>();
        for (Controls c : asked) {
            double[] profile = c.pitchClasses() == null ? MusicalKey.parse("C major").profile() : c.pitchClasses();
            double rate = c.notesPerSecond() != null ? c.notesPerSecond() : "high".equals(c.label()) ? 9 : 2.5;
            out.add(music(profile, rate, seconds, "low".equals(c.label()) ? 3 : 6));
        }
        return out;
    }

    private static ControlMeasures.Settings settings() {
        return new ControlMeasures.Settings(30, 60, 1, 2, 2, 4, 5, 3);
    }

    @Test
    void aModelThatFollowsEveryControlScoresFull(@TempDir Path out) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ControlMeasures.Result r = new ControlMeasures(corpus(), settings(), (asked, s, seed) -> obedient(asked, s),
                out, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertEquals(1.0, r.keyAccuracy(), 1e-9);
        assertTrue(r.densityError() < 0.05, "density error " + r.densityError());
        assertEquals(1.0, r.labelAccuracySamples(), 1e-9, log.toString(StandardCharsets.UTF_8));
        assertEquals(1.0, r.keyKeptSamples(), 1e-9);
        assertTrue(Files.exists(out.resolve("key.md")) && Files.exists(out.resolve("labels.md")));
        assertEquals(3, Files.list(out).filter(p -> p.toString().endsWith(".png")).count());
        assertTrue(r.line().startsWith("key_accuracy=1.0000 density_error="), r.line());
    }

    @Test
    void aModelThatIgnoresControlsScoresChance(@TempDir Path out) throws Exception {
        ControlMeasures.Result r = new ControlMeasures(corpus(), settings(),
                (asked, s, seed) -> obedient(asked.stream().map(c -> Controls.none()).toList(), s), out,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();
        // C major is one key of 24
        assertEquals(1.0 / 24, r.keyAccuracy(), 1e-9);
        assertTrue(r.densityError() > 0.3, "density error " + r.densityError());
        assertEquals(0.5, r.labelAccuracySamples(), 1e-9);
    }
}
