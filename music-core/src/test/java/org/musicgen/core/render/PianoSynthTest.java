package org.musicgen.core.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.DrumKit;
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

    /**
     * The piano sounds as it did before the drum kit joined it: the SHA-256 of a piano-only score's render and of a
     * clip of it, computed with the synthesiser of commit 24da286 (the last without drums). A change to the piano's
     * sound must change these on purpose.
     */
    @Test
    void aPianoOnlyScoreSoundsAsBeforeTheDrums() throws Exception {
        List<Note> notes = new ArrayList<>();
        Random random = new Random(27);
        for (int i = 0; i < 150; i++) {
            double start = random.nextInt(8 * 960) / 960.0;
            notes.add(new Note(15 + random.nextInt(100), 1 + random.nextInt(127), random.nextInt(9),
                    Math.round(start * 960), 1 + random.nextInt(1920), start, 0));
        }
        List<Note> timed = notes.stream().map(n -> new Note(n.pitch(), n.velocity(), n.channel(), n.onsetTick(),
                n.durationTicks(), n.onsetSeconds(), n.durationTicks() / 960.0)).toList();
        Score score = new Score(960, timed);
        PianoSynth synth = new PianoSynth(RATE, 1, 120);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertEquals("f3e02291466be0dfd8dbdf19b2bc60f64ae4142c3374399b23a9700e23f9afe5", HexFormat.of().formatHex(sha.digest(synth.render(score))), "the whole score");
        assertEquals("0796898f99da2e750ca9c78495ff9dbfbd9b3f4d0a92381eb319ce228be6b121", HexFormat.of().formatHex(sha.digest(synth.render(score, 6.5))), "a clip");
    }

    /** A drum hit as the reader and the decoders make it: channel 10, one 10 ms step long. */
    private static Note hit(int drumClass, int velocity, double start) {
        return new Note(DrumKit.pitchOf(drumClass), velocity, DrumKit.CHANNEL, Math.round(start * 960), 10, start,
                0.01);
    }

    /** Zero crossings per second: high for hiss, low for a drum's body. */
    private static double crossings(short[] pcm, double from, double to) {
        int a = (int) (from * RATE);
        int b = (int) (to * RATE);
        int count = 0;
        for (int i = a + 1; i < b; i++) {
            if ((pcm[i - 1] < 0) != (pcm[i] < 0)) {
                count++;
            }
        }
        return count / (to - from);
    }

    @Test
    void everyDrumSoundsAtItsHitAndAsItsKindShould() throws Exception {
        PianoSynth synth = new PianoSynth(RATE, 0.5, 60);
        List<Note> hits = new ArrayList<>();
        for (int c = 0; c < DrumKit.CLASSES; c++) {
            hits.add(hit(c, 110, 0.5 + 3 * c));
        }
        short[] pcm = pcm(synth.render(new Score(960, hits)));
        assertEquals(0, rms(pcm, 0, 0.49), "silence before the first hit");
        double[] loud = new double[DrumKit.CLASSES];
        for (int c = 0; c < DrumKit.CLASSES; c++) {
            double at = 0.5 + 3 * c;
            loud[c] = rms(pcm, at, at + 0.05);
            assertTrue(loud[c] > 1000, DrumKit.name(c) + " sounds: " + loud[c]);
            assertTrue(rms(pcm, at + 2.9, at + 3) < loud[c] / 10, DrumKit.name(c) + " has died away before the next");
        }
        assertTrue(crossings(pcm, 0.5, 0.6) < 400, "the kick is a low thud");
        for (int hat : new int[] {DrumKit.CLOSED_HAT, DrumKit.OPEN_HAT, DrumKit.CRASH, DrumKit.RIDE}) {
            double at = 0.5 + 3 * hat;
            assertTrue(crossings(pcm, at, at + 0.05) > 4000, DrumKit.name(hat) + " hisses");
        }
        double closed = 0.5 + 3 * DrumKit.CLOSED_HAT;
        double open = 0.5 + 3 * DrumKit.OPEN_HAT;
        assertTrue(rms(pcm, open + 0.3, open + 0.5) > 10 * rms(pcm, closed + 0.3, closed + 0.5),
                "an open hi-hat rings on where a closed one has stopped");
        double crash = 0.5 + 3 * DrumKit.CRASH;
        assertTrue(rms(pcm, crash + 1, crash + 1.5) > 100, "a crash rings for seconds");
        // the toms' bodies (a sine's frequency is half its zero crossings): low below mid below high
        double low = crossings(pcm, 0.5 + 3 * DrumKit.LOW_TOM + 0.1, 0.5 + 3 * DrumKit.LOW_TOM + 0.4) / 2;
        double mid = crossings(pcm, 0.5 + 3 * DrumKit.MID_TOM + 0.1, 0.5 + 3 * DrumKit.MID_TOM + 0.4) / 2;
        double high = crossings(pcm, 0.5 + 3 * DrumKit.HIGH_TOM + 0.1, 0.5 + 3 * DrumKit.HIGH_TOM + 0.4) / 2;
        assertTrue(70 < low && low < mid && mid < high && high < 250, "toms " + low + " < " + mid + " < " + high + " Hz");
        assertEquals(0.5 + 3 * DrumKit.RIDE + 2.5 + 0.5, synth.renderedSeconds(new Score(960, hits)), 1e-9,
                "the audio lasts until the last drum has died away, and the tail");
    }

    @Test
    void aHitSoundsByItsVelocityNotItsDurationAndAnUnmappedDrumIsSilent() throws Exception {
        PianoSynth synth = new PianoSynth(RATE, 0.5, 60);
        Note soft = hit(DrumKit.SNARE, 30, 0.2);
        Note loud = hit(DrumKit.SNARE, 120, 0.2);
        double softRms = rms(pcm(synth.render(new Score(960, List.of(soft)))), 0.2, 0.3);
        double loudRms = rms(pcm(synth.render(new Score(960, List.of(loud)))), 0.2, 0.3);
        assertTrue(loudRms > 3 * softRms && softRms > 0, "velocity scales a hit: " + softRms + " vs " + loudRms);
        Note held = new Note(loud.pitch(), 120, DrumKit.CHANNEL, loud.onsetTick(), 1920, 0.2, 2.0);
        assertArrayEquals(synth.pcm(new Score(960, List.of(loud))), synth.pcm(new Score(960, List.of(held))),
                "a drum sounds as long as it sounds");
        int unmapped = 0;
        while (DrumKit.classOf(unmapped) >= 0) {
            unmapped++;
        }
        short[] silent = synth.pcm(new Score(960, List.of(new Note(unmapped, 120, DrumKit.CHANNEL, 192, 10, 0.2,
                0.01))));
        assertEquals(0, rms(silent, 0, silent.length / (double) RATE), "a pitch without a drum class is silent");
    }

    @Test
    void drumsAndPianoSoundTogether() throws Exception {
        PianoSynth synth = new PianoSynth(RATE, 0.5, 60);
        Note key = note(60, 90, 0.2, 1.0);
        Note kick = hit(DrumKit.KICK, 110, 0.2);
        short[] piano = synth.pcm(new Score(960, List.of(key)));
        short[] drum = synth.pcm(new Score(960, List.of(kick)));
        short[] both = synth.pcm(new Score(960, List.of(key, kick)));
        assertEquals(Math.max(piano.length, drum.length), both.length);
        int exact = 0;
        for (int i = 0; i < both.length; i++) {
            int sum = (i < piano.length ? piano[i] : 0) + (i < drum.length ? drum[i] : 0);
            assertEquals(sum, both[i], 2, "sample " + i + " is the sum of the piano and the kick");
            exact += sum == both[i] ? 1 : 0;
        }
        assertTrue(exact > both.length / 2, "mostly exact sums: " + exact + " of " + both.length);
    }
}
