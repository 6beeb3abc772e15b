package org.musicgen.platform.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.PianoSynth;

/**
 * The listening form (evaluation service) and the Compose page (generator service) play a sample's MIDI on
 * {@code js/piano.js}, served from this jar to both, a port of music-core's {@link PianoSynth} that
 * reads the piano's voicing from {@code audio/piano-22050.json}. Both must stay what the Java synthesiser makes: the
 * voicing file is its voicing, and the script, run under node, reads the same notes from a MIDI file and writes the
 * same WAV bytes as {@link PianoSynth#render} (skipped where node is not installed).
 */
class PianoScriptTest {

    static final Path RESOURCES = Path.of("src/main/resources/META-INF/resources");
    static final Path VOICING = RESOURCES.resolve("audio/piano-22050.json");
    static final Path SCRIPT = RESOURCES.resolve("js/piano.js");
    /** What the generator renders with: 22,050 Hz, 1 s of tail, at most 120 s (its SampleRenderer and config). */
    static final PianoSynth SYNTH = new PianoSynth(22_050, 1.0, 120);

    @Test
    void theServedVoicingIsThePianoSynthsOwn() throws Exception {
        String expected = SYNTH.voicing().toJson();
        if (Boolean.getBoolean("musicgen.write-voicing")) {
            Files.writeString(VOICING, expected);
        }
        assertEquals(expected, Files.readString(VOICING, StandardCharsets.UTF_8),
                "audio/piano-22050.json is out of date: rerun this test with -Dmusicgen.write-voicing=true");
    }

    @Test
    void theScriptWritesTheJavaSynthesisersBytesForTheSameMidi(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed");
        byte[] midi = new MidiWriter().write(testScore());
        Rendered rendered = renderWithNode(dir, midi, null);

        Score read = new MidiReader().read(midi);
        assertSameNotes(read, rendered);
        assertSameBytes(SYNTH.render(read), rendered, "the browser's piano makes the Java piano's bytes");
    }

    /**
     * Drums in a sample sound in the browser as the Java synthesiser plays them: the script keeps the hits that
     * {@link MidiReader#withDrums()} keeps (every drum pitch is struck, mapped or not) and plays them on the same kit.
     */
    @Test
    void theScriptPlaysDrumsAsTheJavaSynthesiserDoes(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed");
        byte[] midi = new MidiWriter().write(testScoreWithDrums());
        Rendered rendered = renderWithNode(dir, midi, null);

        Score read = new MidiReader().withDrums().read(midi);
        int hits = DrumKit.hits(read);
        assertTrue(hits > 100, "the drums read back: " + hits);
        assertSameNotes(read, rendered);
        byte[] expected = SYNTH.render(read);
        assertTrue(!java.util.Arrays.equals(expected, SYNTH.render(read.piano())), "the drums are heard");
        assertSameBytes(expected, rendered, "the browser's drums make the Java drums' bytes");

        double clipSeconds = 5.25;
        assertArrayEquals(SYNTH.render(read, clipSeconds), renderWithNode(dir, midi, clipSeconds).wav(),
                "a clip with drums, cut while they ring");
    }

    private static void assertSameNotes(Score read, Rendered rendered) throws Exception {
        JsonNode notes = new ObjectMapper().readTree(rendered.notes());
        assertEquals(read.notes().size(), notes.size(), "notes parsed");
        for (int i = 0; i < notes.size(); i++) {
            Note n = read.notes().get(i);
            JsonNode js = notes.get(i);
            String at = "note " + i;
            assertEquals(n.pitch(), js.get("pitch").asInt(), at);
            assertEquals(n.velocity(), js.get("velocity").asInt(), at);
            assertEquals(n.channel(), js.get("channel").asInt(), at);
            assertEquals(n.onsetTick(), js.get("onsetTick").asLong(), at);
            assertEquals(n.durationTicks(), js.get("durationTicks").asLong(), at);
            assertEquals(n.onsetSeconds(), js.get("onsetSeconds").asDouble(), 0, at);
            assertEquals(n.durationSeconds(), js.get("durationSeconds").asDouble(), 0, at);
        }
    }

    private static void assertSameBytes(byte[] expected, Rendered rendered, String what) {
        assertEquals(expected.length, rendered.wav().length, "WAV length");
        int peak = 0;
        for (int i = 44; i + 1 < expected.length; i += 2) {
            peak = Math.max(peak, Math.abs((short) ((expected[i] & 0xff) | (expected[i + 1] << 8))));
        }
        assertTrue(peak > 0.8 * 32767, "the test reaches the soft knee: peak " + peak);
        assertArrayEquals(expected, rendered.wav(), what);
    }

    /** A listening clip is heard in the browser as the generator's WAV has it: that long, its last second faded. */
    @Test
    void theScriptPlaysAClipAsTheJavaSynthesiserDoes(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed");
        byte[] midi = new MidiWriter().write(testScore());
        double clipSeconds = 6.5; // the test score sounds for about 8 s: cut while it plays
        Rendered rendered = renderWithNode(dir, midi, clipSeconds);

        byte[] expected = SYNTH.render(new MidiReader().read(midi), clipSeconds);
        assertEquals(44 + 2 * Math.round(clipSeconds * 22_050), rendered.wav().length, "the clip's length");
        assertArrayEquals(expected, rendered.wav(), "the browser's piano fades the clip as the Java piano does");
    }

    private record Rendered(String notes, byte[] wav) {
    }

    private static Rendered renderWithNode(Path dir, byte[] midi, Double clipSeconds) throws Exception {
        Path midiFile = dir.resolve("in.mid");
        Path wavFile = dir.resolve("out.wav");
        Files.write(midiFile, midi);
        List<String> command = new ArrayList<>(List.of("node",
                Path.of("src/test/node/render-midi.cjs").toAbsolutePath().toString(),
                SCRIPT.toAbsolutePath().toString(), VOICING.toAbsolutePath().toString(), midiFile.toString(),
                wavFile.toString()));
        if (clipSeconds != null) {
            command.add(Double.toString(clipSeconds));
        }
        Path errors = dir.resolve("node-errors.txt");
        Process node = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "node finished");
        assertEquals(0, node.exitValue(), () -> "node exit status; it said: " + readQuietly(errors));
        return new Rendered(out, Files.readAllBytes(wavFile));
    }

    /** Every key range, soft and loud notes, chords, repeated keys and a loud cluster that needs the soft knee. */
    private static Score testScore() {
        int ticksPerBeat = 480; // 120 bpm: 960 ticks per second
        List<Note> notes = new ArrayList<>();
        Random random = new Random(13);
        for (int i = 0; i < 120; i++) {
            int pitch = 15 + random.nextInt(100); // a few outside the piano's 88 keys
            int velocity = 1 + random.nextInt(127);
            long onset = random.nextInt(6 * 960);
            long duration = 1 + random.nextInt(2 * 960);
            notes.add(note(pitch, velocity, onset, duration));
        }
        for (int pitch = 36; pitch < 60; pitch += 2) {
            notes.add(note(pitch, 127, 7 * 960, 960)); // the cluster
        }
        return new Score(ticksPerBeat, notes);
    }

    /**
     * The piano of {@link #testScore()} with a drummer: a beat of every drum class at random velocities, and a hit of
     * every pitch of the drum channel, those no drum class is mapped to included (they must stay silent).
     */
    private static Score testScoreWithDrums() {
        List<Note> notes = new ArrayList<>(testScore().notes());
        Random random = new Random(27);
        for (int i = 0; i < 160; i++) {
            int drum = random.nextInt(DrumKit.CLASSES);
            long onset = random.nextInt(8 * 960);
            notes.add(hit(DrumKit.pitchOf(drum), 1 + random.nextInt(127), onset));
        }
        for (int pitch = 0; pitch < 128; pitch++) {
            notes.add(hit(pitch, 40 + pitch % 80, pitch * 60L));
        }
        return new Score(480, notes);
    }

    private static Note note(int pitch, int velocity, long onsetTick, long durationTicks) {
        return new Note(pitch, velocity, 0, onsetTick, durationTicks, onsetTick / 960.0, durationTicks / 960.0);
    }

    private static Note hit(int pitch, int velocity, long onsetTick) {
        return new Note(pitch, velocity, DrumKit.CHANNEL, onsetTick, 10, onsetTick / 960.0, 10 / 960.0);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
