package org.musicgen.core.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.tokens.Token;
import org.musicgen.core.tokens.Tokenizer;

class AudioRendererTest {

    /** Four quarter notes and a final chord at 120 bpm: 2.5 s. */
    private static final Score SCORE = new Tokenizer().detokenize(List.of(Token.note(60, 4), Token.note(64, 4),
            Token.note(67, 4), Token.note(72, 4), Token.sounding(new int[] {48, 60, 64, 67}, 4, 4)), 480);

    private final AudioRenderer renderer = new AudioRenderer();

    private record Pcm(AudioFormat format, long frames, short[] samples) {
        double rms(int fromFrame, int toFrame) {
            int ch = format.getChannels();
            double sum = 0;
            for (int i = fromFrame * ch; i < toFrame * ch; i++) {
                sum += (double) samples[i] * samples[i];
            }
            return Math.sqrt(sum / ((toFrame - fromFrame) * ch));
        }
    }

    private static Pcm parse(byte[] wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            byte[] data = in.readAllBytes();
            short[] samples = new short[data.length / 2];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) ((data[2 * i] & 0xFF) | (data[2 * i + 1] << 8));
            }
            return new Pcm(in.getFormat(), in.getFrameLength(), samples);
        }
    }

    @Test
    void rendersAudibleStereoWavOfTheScoreLengthPlusTail() throws Exception {
        assertEquals(2.5, SCORE.lengthSeconds(), 1e-9);
        Pcm pcm = parse(renderer.render(SCORE));
        AudioFormat f = pcm.format();
        assertEquals(AudioFormat.Encoding.PCM_SIGNED, f.getEncoding());
        assertEquals(44_100f, f.getSampleRate());
        assertEquals(16, f.getSampleSizeInBits());
        assertEquals(2, f.getChannels());
        assertFalse(f.isBigEndian());
        assertEquals(Math.round((2.5 + AudioRenderer.DEFAULT_TAIL_SECONDS) * 44_100), pcm.frames());
        assertEquals(3.5, renderer.renderedSeconds(SCORE), 1e-9);
        assertEquals(pcm.frames() * 2, pcm.samples().length);
        // audible while the notes sound
        double rms = pcm.rms(0, 2 * 44_100);
        assertTrue(rms > 200, "RMS " + rms);
    }

    /** A drum hit is played on the drum channel: it sounds, and not as the piano key of its pitch. */
    @Test
    void drumHitsSoundOnTheDrumChannel() throws Exception {
        List<Note> hits = List.of(0.0, 0.5, 1.0).stream().map(at -> new Note(DrumKit.pitchOf(DrumKit.SNARE), 110,
                DrumKit.CHANNEL, Math.round(at * 960), 10, at, 0.01)).toList();
        List<Note> keys = hits.stream().map(n -> new Note(n.pitch(), n.velocity(), 0, n.onsetTick(), n.durationTicks(),
                n.onsetSeconds(), n.durationSeconds())).toList();
        Pcm drums = parse(renderer.render(new Score(960, hits)));
        Pcm piano = parse(renderer.render(new Score(960, keys)));
        double loud = drums.rms(0, 44_100);
        assertTrue(loud > 200, "the snare sounds: RMS " + loud);
        assertFalse(java.util.Arrays.equals(drums.samples(), piano.samples()), "a snare is not the key D2");
    }

    @Test
    void sameInputGivesSameBytes() {
        byte[] first = renderer.render(SCORE);
        assertArrayEquals(first, renderer.render(SCORE));
        assertArrayEquals(first, new AudioRenderer().render(SCORE));
    }

    @Test
    void concurrentRendersAgree() throws Exception {
        byte[] expected = renderer.render(SCORE);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> renderer.render(SCORE));
            var b = pool.submit(() -> renderer.render(SCORE));
            assertArrayEquals(expected, a.get());
            assertArrayEquals(expected, b.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void midiFileRendersLikeItsScore() throws Exception {
        // MidiReader derives the same seconds at 120 bpm, so the audio is identical
        assertArrayEquals(renderer.render(SCORE), renderer.render(new MidiWriter().write(SCORE)));
    }

    @Test
    void monoAtAnotherSampleRate() throws Exception {
        AudioRenderer mono = new AudioRenderer(22_050, 1, 0.5, 60, List.of());
        Pcm pcm = parse(mono.render(SCORE));
        assertEquals(22_050f, pcm.format().getSampleRate());
        assertEquals(1, pcm.format().getChannels());
        assertEquals(Math.round(3.0 * 22_050), pcm.frames());
        assertTrue(pcm.rms(0, 2 * 22_050) > 200);
    }

    @Test
    void scoreWithoutNotesGivesTheTailAsSilence() throws Exception {
        Pcm pcm = parse(renderer.render(new Score(480, List.of())));
        assertEquals(44_100, pcm.frames());
        assertEquals(0.0, pcm.rms(0, 44_100));
    }

    @Test
    void longScoresAreTruncatedAtMaxSeconds() throws Exception {
        AudioRenderer short1s = new AudioRenderer(44_100, 2, 1.0, 1.0, List.of());
        assertEquals(1.0, short1s.renderedSeconds(SCORE), 1e-9);
        byte[] wav = short1s.render(SCORE);
        Pcm pcm = parse(wav);
        assertEquals(44_100, pcm.frames());
        assertTrue(pcm.rms(0, 44_100) > 200);
        // the first second is the same audio as in the full rendering
        byte[] full = renderer.render(SCORE);
        assertArrayEquals(java.util.Arrays.copyOfRange(full, 44, wav.length), java.util.Arrays.copyOfRange(wav, 44, wav.length));
    }

    @Test
    void usesTheDirectPathExactlyWhenTheJvmExportsTheSynthesizerPackage() {
        assertEquals(Boolean.getBoolean("musicgen.audio.direct"), AudioRenderer.directSynthesisAvailable());
        if (!AudioRenderer.directSynthesisAvailable()) {
            assertTrue(renderer.soundfont().isEmpty());
        }
    }

    @Test
    void loadsTheFirstUsableSoundfont(@TempDir Path dir) throws Exception {
        if (!AudioRenderer.directSynthesisAvailable()) {
            // Without the export the JDK's reader renders with its default bank: the list is not consulted.
            AudioRenderer ignoring = new AudioRenderer(44_100, 2, 1.0, 60, List.of(dir.resolve("missing.sf2")));
            assertTrue(ignoring.soundfont().isEmpty());
            assertTrue(parse(ignoring.render(SCORE)).rms(0, 2 * 44_100) > 200);
            return;
        }
        // a real General MIDI soundfont file: the JDK's emergency soundbank, saved by its own writer
        Object bank = Class.forName("com.sun.media.sound.EmergencySoundbank").getMethod("createSoundbank").invoke(null);
        File sf2 = dir.resolve("emergency.sf2").toFile();
        bank.getClass().getMethod("save", File.class).invoke(bank, sf2);
        Path notSoundfont = dir.resolve("broken.sf2");
        java.nio.file.Files.writeString(notSoundfont, "not a soundfont");

        AudioRenderer withFont = new AudioRenderer(44_100, 2, 1.0, 60,
                List.of(dir.resolve("missing.sf2"), notSoundfont, sf2.toPath()));
        assertEquals(sf2.toPath(), withFont.soundfont().orElseThrow());
        byte[] wav = withFont.render(SCORE);
        assertTrue(parse(wav).rms(0, 2 * 44_100) > 200);
        assertArrayEquals(wav, withFont.render(SCORE));
        assertTrue(new AudioRenderer(44_100, 2, 1.0, 60, List.of(notSoundfont)).soundfont().isEmpty());
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new AudioRenderer(4000, 2, 1, 60, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new AudioRenderer(44_100, 3, 1, 60, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new AudioRenderer(44_100, 2, -1, 60, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new AudioRenderer(44_100, 2, 1, 0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new AudioRenderer(44_100, 2, 1, Double.NaN, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new AudioRenderer(44_100, 2, 1, 3600, List.of()));
    }
}
