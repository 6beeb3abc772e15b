package org.musicgen.core.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

class PianoSynthTest {

    private static final int RATE = 22_050;

    private static Note note(int pitch, int velocity, double start, double seconds) {
        return new Note(pitch, velocity, 0, Math.round(start * 960), Math.round(seconds * 960), start, seconds);
    }

    private static short[] pcm(byte[] wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat format = in.getFormat();
            assertEquals(RATE, format.getSampleRate(), 0);
            assertEquals(1, format.getChannels());
            assertEquals(16, format.getSampleSizeInBits());
            byte[] bytes = in.readAllBytes();
            short[] out = new short[bytes.length / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
            }
            return out;
        }
    }

    private static double rms(short[] pcm, double from, double to) {
        double sum = 0;
        int a = (int) (from * RATE);
        int b = Math.min(pcm.length, (int) (to * RATE));
        for (int i = a; i < b; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return Math.sqrt(sum / Math.max(1, b - a));
    }

    /** The fundamental frequency: the lag of the highest autocorrelation between 100 and 1000 Hz. */
    private static double pitch(short[] pcm, double from, double to) {
        int a = (int) (from * RATE);
        int b = (int) (to * RATE);
        int best = 0;
        double bestSum = Double.NEGATIVE_INFINITY;
        for (int lag = RATE / 1000; lag <= RATE / 100; lag++) {
            double sum = 0;
            for (int i = a; i + lag < b; i++) {
                sum += (double) pcm[i] * pcm[i + lag];
            }
            if (sum > bestSum) {
                bestSum = sum;
                best = lag;
            }
        }
        return RATE / (double) best;
    }

    @Test
    void notesSoundWhenAndAsHighAsTheScoreSays() throws Exception {
        PianoSynth synth = new PianoSynth(RATE, 0.5, 60);
        Score score = new Score(960, List.of(note(57, 100, 0.5, 1.0), note(69, 40, 2.0, 0.5)));
        short[] pcm = pcm(synth.render(score));
        assertEquals((int) Math.ceil(synth.renderedSeconds(score) * RATE), pcm.length);
        assertEquals(2.5 + 0.08 + 0.5, synth.renderedSeconds(score), 1e-9);
        assertEquals(0, rms(pcm, 0, 0.49), "silence before the first note");
        double loud = rms(pcm, 0.5, 1.0);
        assertTrue(loud > 1000, "the first note sounds: " + loud);
        assertTrue(rms(pcm, 1.65, 1.95) < loud / 100, "released notes are damped");
        assertTrue(rms(pcm, 2.0, 2.4) < loud, "a softer note is quieter");
        // A3 is 220 Hz, A4 440 Hz
        assertEquals(220, pitch(pcm, 0.6, 1.4), 5);
        assertEquals(440, pitch(pcm, 2.05, 2.45), 15);
    }

    @Test
    void theSameScoreGivesTheSameBytesFromAnySynth() throws Exception {
        Score score = new Score(960, List.of(note(21, 90, 0, 2), note(60, 80, 0.1, 0.3), note(64, 80, 0.1, 0.3),
                note(67, 127, 0.1, 0.3), note(108, 70, 0.5, 0.2)));
        byte[] first = new PianoSynth(RATE, 1, 60).render(score);
        assertArrayEquals(first, new PianoSynth(RATE, 1, 60).render(score));
        short[] pcm = pcm(first);
        int peak = 0;
        for (short s : pcm) {
            peak = Math.max(peak, Math.abs(s));
        }
        assertTrue(peak > 3000 && peak < 32767, "loud but not clipped: " + peak);
    }

    @Test
    void longScoresAreCutAndEmptyOnesAreTheTail() throws Exception {
        PianoSynth synth = new PianoSynth(RATE, 1, 3);
        assertEquals(3 * RATE, pcm(synth.render(new Score(960, List.of(note(60, 80, 0, 10))))).length);
        assertEquals(RATE, pcm(synth.render(new Score(960, List.of()))).length);
    }
}
