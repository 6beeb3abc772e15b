package org.musicgen.core.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import org.junit.jupiter.api.Test;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.PianoSynth;

class ClipTest {

    /** 120 bpm at 480 ticks per beat: 960 ticks per second, as the seed encoding decodes. */
    private static final int TICKS_PER_BEAT = 480;
    private static final int RATE = 22_050;

    static Note note(int pitch, int velocity, double start, double seconds) {
        return new Note(pitch, velocity, 0, Math.round(start * 960), Math.round(seconds * 960), start, seconds);
    }

    /** Notes every half second from 0 to 14 s, one long note across 10 s, one starting just before it. */
    static Score music() {
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < 28; i++) {
            notes.add(note(60 + (i * 5) % 17, 40 + i * 3, i * 0.5, 0.4));
        }
        notes.add(note(48, 90, 7.0, 5.0)); // sounds from 7 to 12 s
        notes.add(note(100, 70, 9.9, 0.05)); // ends before 10 s
        return new Score(TICKS_PER_BEAT, notes);
    }

    @Test
    void theCutEndsAtTheClipLengthReleasingWhatStillSounds() throws Exception {
        Clip clip = Clip.cut(music(), 10);

        assertEquals(10.0, clip.seconds(), 0, "the clip lasts what it was cut to");
        assertTrue(clip.fills(10));
        assertEquals(9600, clip.endTick());
        for (Note n : clip.score().notes()) {
            assertTrue(n.onsetSeconds() < 10, "no note starts at or after 10 s: " + n);
            assertTrue(n.endSeconds() <= 10 + 1e-9 && n.endTick() <= 9600, "every note is released by 10 s: " + n);
        }
        assertEquals(20 + 2, clip.score().notes().size(), "the 20 notes before 10 s, the long one, the one at 9.9 s");
        Note held = clip.score().notes().stream().filter(n -> n.pitch() == 48).findFirst().orElseThrow();
        assertEquals(3.0, held.durationSeconds(), 1e-9, "the note across 10 s is released at 10 s");
        assertEquals(2880, held.durationTicks());
        assertEquals(90, held.velocity());
        Note shortOne = clip.score().notes().stream().filter(n -> n.pitch() == 100).findFirst().orElseThrow();
        assertEquals(0.05, shortOne.durationSeconds(), 1e-12, "a note that ends before 10 s is untouched");

        // the MIDI file ends at 10 s: its note track's end is the clip's end, and it reads back released notes
        byte[] midi = new MidiWriter().writeClip(clip.score(), clip.endTick());
        Sequence sequence = MidiSystem.getSequence(new ByteArrayInputStream(midi));
        assertEquals(9600, sequence.getTickLength());
        assertEquals(10.0, sequence.getMicrosecondLength() / 1e6, 1e-6);
        Score read = new MidiReader().read(midi);
        assertEquals(10.0, read.lengthSeconds(), 1e-9);
    }

    @Test
    void aClipOfMusicThatEndsBeforeItIsNotPadded() {
        Clip clip = Clip.cut(music(), 30);
        assertEquals(music().lengthSeconds(), clip.seconds(), 1e-9, "as long as the music: 14 s, not 30");
        assertTrue(!clip.fills(30));
        assertEquals(music().notes(), clip.score().notes(), "nothing to cut");
        assertThrows(IllegalArgumentException.class, () -> Clip.cut(music(), 0));
    }

    @Test
    void anExcerptStartsAtANoteOnsetMovedToZero() {
        Clip clip = Clip.excerpt(music(), 2.2, 5); // the first onset at or after 2.2 s is 2.5 s
        Note first = clip.score().notes().get(0);
        assertEquals(0.0, first.onsetSeconds(), 0);
        assertEquals(0, first.onsetTick());
        assertEquals(60 + (5 * 5) % 17, first.pitch(), "the note of 2.5 s");
        assertEquals(5.0, clip.seconds(), 0);
        assertEquals(11, clip.score().notes().size(), "the ten notes of 2.5 to 7 s and the long one at 7 s");
        assertTrue(clip.score().notes().stream().allMatch(n -> n.endSeconds() <= 5 + 1e-9));
    }

    @Test
    void theClipsAudioLastsItsLengthAndFadesItsLastSecondOut() {
        PianoSynth synth = new PianoSynth(RATE, 1.0, 120);
        Clip clip = Clip.cut(music(), 10);
        short[] faded = synth.pcm(clip.score(), clip.seconds());
        short[] plain = synth.pcm(clip.score());

        assertEquals(10 * RATE, faded.length, "exactly 10 s of audio");
        for (int i = 0; i < 9 * RATE; i++) {
            if (faded[i] != plain[i]) {
                throw new AssertionError("the audio before the last second is untouched; differs at " + i);
            }
        }
        double lastSecond = rms(plain, 9.0, 10.0);
        assertTrue(lastSecond > 300, "there is music to fade in the last second: rms " + lastSecond);
        assertEquals(0.5, rms(faded, 9.45, 9.55) / rms(plain, 9.45, 9.55), 0.05, "half way down at 9.5 s");
        assertTrue(rms(faded, 9.9, 10.0) < 0.12 * rms(plain, 9.9, 10.0), "nearly silent at the end");
        assertTrue(Math.abs(faded[faded.length - 1]) <= Math.abs(plain[faded.length - 1]) / 1000 + 1);

        byte[] wav = synth.render(clip.score(), clip.seconds());
        assertEquals(44 + 2 * 10 * RATE, wav.length, "the WAV holds the clip's frames");
    }

    private static double rms(short[] pcm, double from, double to) {
        double sum = 0;
        int a = (int) Math.round(from * RATE);
        int b = (int) Math.round(to * RATE);
        for (int i = a; i < b; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return Math.sqrt(sum / (b - a));
    }
}
