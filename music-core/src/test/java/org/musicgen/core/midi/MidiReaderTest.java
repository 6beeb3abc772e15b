package org.musicgen.core.midi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MidiReaderTest {

    private final MidiReader reader = new MidiReader();

    /** Format 1: tempo track plus a note track, at the given resolution. */
    private static byte[] format1(int ppq) {
        Sequence seq = Smf.sequence(ppq);
        Track meta = seq.createTrack();
        Smf.tempo(meta, 120, 0);
        Track notes = seq.createTrack();
        Smf.note(notes, 0, 60, 90, 0, ppq);          // quarter at beat 0
        Smf.note(notes, 0, 64, 70, ppq, 3L * ppq);   // half at beat 1
        Smf.note(notes, 1, 48, 60, 0, 4L * ppq);     // whole, second channel
        return Smf.write(seq, 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {96, 480, 960})
    void readsFormat1AtAnyResolution(int ppq) throws Exception {
        Score score = reader.read(format1(ppq));

        assertEquals(ppq, score.ticksPerBeat());
        List<Note> notes = score.notes();
        assertEquals(3, notes.size());
        // sorted by onset, then pitch
        assertEquals(List.of(48, 60, 64), notes.stream().map(Note::pitch).toList());
        Note c = notes.get(1);
        assertEquals(0, c.onsetTick());
        assertEquals(ppq, c.durationTicks());
        assertEquals(90, c.velocity());
        assertEquals(0.5, c.durationSeconds(), 1e-9);
        Note e = notes.get(2);
        assertEquals(ppq, e.onsetTick());
        assertEquals(2L * ppq, e.durationTicks());
        assertEquals(0.5, e.onsetSeconds(), 1e-9);
        assertEquals(1.0, e.durationSeconds(), 1e-9);
        assertEquals(1, notes.get(0).channel());
        assertEquals(2.0, score.lengthSeconds(), 1e-9);
    }

    @Test
    void readsHandBuiltFormat0WithRunningStatusAndVelocityZeroNoteOff() throws Exception {
        byte[] smf = Smf.concat(Smf.header(0, 1, 96), Smf.track(
                0x00, 0x90, 60, 64,   // C on at 0
                0x60, 62, 64,         // running status: D on at 96
                0x60, 60, 0,          // running status, velocity 0: C off at 192
                0x60, 62, 0,          // D off at 288
                0x00, 0xFF, 0x2F, 0x00));

        Score score = reader.read(smf);

        assertEquals(96, score.ticksPerBeat());
        assertEquals(2, score.notes().size());
        Note c = score.notes().get(0);
        Note d = score.notes().get(1);
        assertEquals(60, c.pitch());
        assertEquals(0, c.onsetTick());
        assertEquals(192, c.durationTicks());
        assertEquals(62, d.pitch());
        assertEquals(96, d.onsetTick());
        assertEquals(192, d.durationTicks());
        assertEquals(1.0, d.durationSeconds(), 1e-9); // default tempo 120 bpm
    }

    @Test
    void tempoChangeAffectsSecondsButNotTicks() throws Exception {
        Sequence seq = Smf.sequence(480);
        Track meta = seq.createTrack();
        Smf.tempo(meta, 120, 0);
        Smf.tempo(meta, 60, 480); // after one beat (0.5 s), one beat lasts 1 s
        Track notes = seq.createTrack();
        Smf.note(notes, 0, 60, 80, 0, 480);
        Smf.note(notes, 0, 62, 80, 960, 1440);

        Score score = reader.read(Smf.write(seq, 1));

        Note late = score.notes().get(1);
        assertEquals(960, late.onsetTick());
        assertEquals(480, late.durationTicks());
        assertEquals(1.5, late.onsetSeconds(), 1e-9);
        assertEquals(1.0, late.durationSeconds(), 1e-9);
        assertEquals(0.5, score.notes().get(0).durationSeconds(), 1e-9);
        assertEquals(2.5, score.lengthSeconds(), 1e-9);
    }

    @Test
    void noteSpanningATempoChangeGetsSecondsFromBothTempos() throws Exception {
        Sequence seq = Smf.sequence(100);
        Track t = seq.createTrack();
        Smf.tempo(t, 60, 100); // 1 s per beat from tick 100
        Smf.note(t, 0, 60, 80, 50, 150); // 50 ticks at 0.5 s/beat + 50 ticks at 1 s/beat

        Note n = reader.read(Smf.write(seq, 0)).notes().get(0);

        assertEquals(0.25, n.onsetSeconds(), 1e-9);
        assertEquals(0.25 + 0.5, n.durationSeconds(), 1e-9);
    }

    @Test
    void overlappingSamePitchNotesAreMatchedFirstInFirstOut() throws Exception {
        byte[] smf = Smf.concat(Smf.header(0, 1, 100), Smf.track(
                0x00, 0x90, 60, 50,        // first on at 0
                0x64, 0x90, 60, 70,        // second on at 100
                0x64, 0x80, 60, 0,         // off at 200 ends the first
                0x64, 0x80, 60, 0,         // off at 300 ends the second
                0x00, 0xFF, 0x2F, 0x00));

        List<Note> notes = reader.read(smf).notes();

        assertEquals(2, notes.size());
        assertEquals(0, notes.get(0).onsetTick());
        assertEquals(200, notes.get(0).durationTicks());
        assertEquals(50, notes.get(0).velocity());
        assertEquals(100, notes.get(1).onsetTick());
        assertEquals(200, notes.get(1).durationTicks());
        assertEquals(70, notes.get(1).velocity());
    }

    @Test
    void unterminatedNoteEndsAtEndOfTrack() throws Exception {
        byte[] smf = Smf.concat(Smf.header(0, 1, 96), Smf.track(
                0x00, 0x90, 67, 80,        // never released
                0x60, 0x90, 60, 80,
                0x30, 0x80, 60, 0,
                0x81, 0x00, 0xFF, 0x2F, 0x00)); // end of track at 96 + 48 + 128 = 272

        List<Note> notes = reader.read(smf).notes();

        Note g = notes.stream().filter(n -> n.pitch() == 67).findFirst().orElseThrow();
        assertEquals(272, g.durationTicks());
        assertEquals(48, notes.stream().filter(n -> n.pitch() == 60).findFirst().orElseThrow().durationTicks());
    }

    @Test
    void sustainPedalIsIgnored() throws Exception {
        Sequence seq = Smf.sequence(96);
        Track t = seq.createTrack();
        Smf.event(t, ShortMessage.CONTROL_CHANGE, 0, 64, 127, 0);
        Smf.note(t, 0, 60, 80, 0, 48);
        Smf.event(t, ShortMessage.CONTROL_CHANGE, 0, 64, 0, 384);

        Note n = reader.read(Smf.write(seq, 0)).notes().get(0);

        assertEquals(48, n.durationTicks());
    }

    @Test
    void soundingReaderFoldsTheSustainPedalIntoNoteLengths() throws Exception {
        Sequence seq = Smf.sequence(96);
        Track t = seq.createTrack();
        Smf.event(t, ShortMessage.CONTROL_CHANGE, 0, 64, 127, 0);
        Smf.note(t, 0, 60, 80, 0, 48);      // released under the pedal: sounds until the pedal lifts at 384
        Smf.note(t, 0, 64, 80, 0, 48);      // struck again at 200 while held by the pedal: ends there
        Smf.note(t, 0, 64, 80, 200, 220);
        Smf.event(t, ShortMessage.CONTROL_CHANGE, 0, 64, 0, 384);
        Smf.note(t, 0, 67, 80, 400, 430);   // after the pedal: its own length
        Smf.note(t, 1, 72, 80, 0, 48);      // another channel's pedal is up

        List<Note> notes = MidiReader.sounding().read(Smf.write(seq, 0)).notes();

        assertEquals(384, find(notes, 60, 0).durationTicks());
        assertEquals(200, find(notes, 64, 0).durationTicks());
        assertEquals(184, find(notes, 64, 200).durationTicks());
        assertEquals(30, find(notes, 67, 400).durationTicks());
        assertEquals(48, find(notes, 72, 0).durationTicks());
        Note held = find(notes, 60, 0);
        assertEquals(held.durationTicks() / 96.0 * 0.5, held.durationSeconds(), 1e-9);
    }

    private static Note find(List<Note> notes, int pitch, long onset) {
        return notes.stream().filter(n -> n.pitch() == pitch && n.onsetTick() == onset).findFirst().orElseThrow();
    }

    @Test
    void drumChannelIsExcluded() throws Exception {
        Sequence seq = Smf.sequence(96);
        Track t = seq.createTrack();
        Smf.note(t, 9, 36, 100, 0, 48);
        Smf.note(t, 9, 42, 100, 48, 96);
        Smf.note(t, 0, 72, 80, 0, 96);

        List<Note> notes = reader.read(Smf.write(seq, 0)).notes();

        assertEquals(1, notes.size());
        assertEquals(72, notes.get(0).pitch());
    }

    @Test
    void onlyDrumsIsRejectedWithReason() throws Exception {
        Sequence seq = Smf.sequence(96);
        Smf.note(seq.createTrack(), 9, 36, 100, 0, 48);

        MidiFormatException e = assertThrows(MidiFormatException.class, () -> reader.read(Smf.write(seq, 0)));
        assertEquals("no notes outside the drum channel (1 drum hits, left out)", e.getMessage());
        assertTrue(e.getMessage().startsWith(MidiReader.DRUMS_ONLY));
        assertEquals(1, reader.withDrums().read(Smf.write(seq, 0)).notes().size(), "a reader with drums keeps it");
    }

    @Test
    void fileWithoutNotesIsRejected() {
        byte[] smf = Smf.concat(Smf.header(1, 2, 96), Smf.track(0x00, 0xFF, 0x2F, 0x00),
                Smf.track(0x00, 0xC0, 0x00, 0x00, 0xFF, 0x2F, 0x00));

        MidiFormatException e = assertThrows(MidiFormatException.class, () -> reader.read(smf));
        assertEquals("the file contains no notes", e.getMessage());
    }

    @Test
    void nonMidiBytesAreRejectedWithReason() {
        byte[] text = "<html>not a midi file</html>".getBytes();

        MidiFormatException e = assertThrows(MidiFormatException.class, () -> reader.read(text));
        assertEquals("not a Standard MIDI File: missing MThd header", e.getMessage());
        assertTrue(assertThrows(MidiFormatException.class, () -> reader.read(new byte[0]))
                .getMessage().startsWith("empty file"));
    }

    @Test
    void truncatedTrackIsRejectedWithSizes() {
        byte[] full = format1(96);
        byte[] cut = Arrays.copyOf(full, full.length - 10);

        MidiFormatException e = assertThrows(MidiFormatException.class, () -> reader.read(cut));
        assertTrue(e.getMessage().matches("truncated: track 2 declares \\d+ bytes but only \\d+ remain"),
                e.getMessage());
    }

    @Test
    void missingTrackIsRejected() {
        byte[] smf = Smf.concat(Smf.header(1, 2, 96), Smf.track(0x00, 0x90, 60, 64, 0x60, 0x80, 60, 0,
                0x00, 0xFF, 0x2F, 0x00));

        MidiFormatException e = assertThrows(MidiFormatException.class, () -> reader.read(smf));
        assertEquals("truncated: header declares 2 tracks but only 1 are present", e.getMessage());
    }

    @Test
    void truncatedHeaderIsRejected() {
        byte[] smf = Arrays.copyOf(Smf.header(0, 1, 96), 10);

        MidiFormatException e = assertThrows(MidiFormatException.class, () -> reader.read(smf));
        assertTrue(e.getMessage().startsWith("truncated: the MThd header"), e.getMessage());
    }

    @Test
    void format2IsRejected() {
        byte[] smf = Smf.concat(Smf.header(2, 1, 96), Smf.track(0x00, 0x90, 60, 64, 0x60, 0x80, 60, 0,
                0x00, 0xFF, 0x2F, 0x00));

        MidiFormatException e = assertThrows(MidiFormatException.class, () -> reader.read(smf));
        assertEquals("SMF format 2 (independent sequences) is not supported", e.getMessage());
    }

    @Test
    void smpteDivisionIsConvertedViaSeconds() throws Exception {
        // 25 frames/s x 40 ticks/frame = 1000 ticks per second
        byte[] smf = Smf.concat(Smf.header(0, 1, 0xE728), Smf.track(
                0x87, 0x68, 0x90, 60, 64,      // delta 1000: on at 1 s
                0x83, 0x74, 0x80, 60, 0,       // delta 500: off at 1.5 s
                0x00, 0xFF, 0x2F, 0x00));

        Score score = reader.read(smf);

        Note n = score.notes().get(0);
        assertEquals(MidiReader.SMPTE_TICKS_PER_BEAT, score.ticksPerBeat());
        assertEquals(1.0, n.onsetSeconds(), 1e-9);
        assertEquals(0.5, n.durationSeconds(), 1e-9);
        assertEquals(2 * MidiReader.SMPTE_TICKS_PER_BEAT, n.onsetTick()); // 1 s = 2 beats at 120 bpm
        assertEquals(MidiReader.SMPTE_TICKS_PER_BEAT, n.durationTicks());
    }

    @Test
    void readsFromStream() throws Exception {
        byte[] smf = format1(480);
        assertEquals(reader.read(smf), reader.read(new ByteArrayInputStream(smf)));
    }

    @Test
    void unknownChunksBetweenTracksAreSkipped() throws Exception {
        byte[] smf = Smf.concat(Smf.header(0, 1, 96),
                new byte[] {'X', 'F', 'I', 'H', 0, 0, 0, 2, 1, 2},
                Smf.track(0x00, 0x90, 60, 64, 0x60, 0x80, 60, 0, 0x00, 0xFF, 0x2F, 0x00));

        assertArrayEquals(new int[] {60}, reader.read(smf).notes().stream().mapToInt(Note::pitch).toArray());
    }
}
