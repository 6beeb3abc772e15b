package org.musicgen.core.midi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * Reads a Standard MIDI File into a {@link Score}.
 *
 * <p>Processing rules:
 * <ul>
 *   <li>The chunk structure (MThd header, format, every MTrk length) is checked by hand first, so
 *       that non-MIDI and truncated uploads get an actionable reason; the events are then decoded
 *       by {@code javax.sound.midi}, which handles running status and any resolution.</li>
 *   <li>Formats 0 and 1 are supported; format 2 (independent sequences) is rejected because its
 *       tracks do not share one timeline.</li>
 *   <li>PPQ division: ticks are kept as they are ({@code ticksPerBeat} = the file's resolution);
 *       seconds are computed from the tempo map (set-tempo meta events of all tracks, default
 *       120 bpm).</li>
 *   <li>SMPTE division: ticks are absolute time, so they are converted via seconds onto a nominal
 *       grid of {@value #SMPTE_TICKS_PER_BEAT} ticks per beat at 120 bpm; set-tempo events are
 *       ignored, as the SMF specification prescribes for SMPTE time.</li>
 *   <li>A note-on with velocity 0 is a note-off.</li>
 *   <li>Overlapping notes of the same pitch on the same channel of one track are matched first in,
 *       first out: a note-off ends the earliest still-sounding note of that pitch.</li>
 *   <li>A note still sounding at the end of its track ends at the track's end-of-track tick.</li>
 *   <li>Notes on the drum channel (MIDI channel 10, index 9) are excluded by default: they are not pitches. A reader
 *       {@link #withDrums() with drums} keeps them as {@link DrumKit drum hits}, channel 9 and the General MIDI drum
 *       pitch, those of pitches no drum class is mapped to excepted (counted in the {@link Instruments}).</li>
 *   <li>Every other channel is read as piano, whatever its program; {@link #readWithInstruments} says which other
 *       instruments were so read.</li>
 *   <li>The sustain pedal (controller 64, down at values of 64 and above) is ignored by default: note
 *       lengths are the key-press lengths. {@link #sounding()} folds it into the notes instead, as
 *       Performance RNN does: a key released while the pedal of its channel is down sounds on until
 *       the pedal is lifted or the same key is struck again, whichever comes first. Other
 *       controllers are always ignored.</li>
 * </ul>
 * A file without any usable note is rejected. Instances are stateless and thread-safe.
 */
public final class MidiReader {

    /** Nominal resolution that SMPTE-timed files are converted to (at 120 bpm). */
    public static final int SMPTE_TICKS_PER_BEAT = 480;

    private static final int DRUM_CHANNEL = DrumKit.CHANNEL;
    /**
     * How the reason of a file rejected by a reader without drums for holding drum hits alone begins, so that a caller
     * that chose such a reader can say how to keep them.
     */
    public static final String DRUMS_ONLY = "no notes outside the drum channel";
    /** General MIDI programs 1-8 are pianos. */
    private static final int PIANO_PROGRAMS = 8;
    private static final int DEFAULT_TEMPO_US = 500_000;
    private static final int SUSTAIN_PEDAL = 64;

    private final boolean foldSustainPedal;
    private final boolean keepDrums;

    /** Note lengths are key-press lengths; the sustain pedal is ignored (the reference study's view). */
    public MidiReader() {
        this(false, false);
    }

    private MidiReader(boolean foldSustainPedal, boolean keepDrums) {
        this.foldSustainPedal = foldSustainPedal;
        this.keepDrums = keepDrums;
    }

    /** A reader whose note lengths are what sounds: the sustain pedal folded into them. */
    public static MidiReader sounding() {
        return new MidiReader(true, false);
    }

    /** This reader, keeping the drum channel's hits instead of skipping them. */
    public MidiReader withDrums() {
        return new MidiReader(foldSustainPedal, true);
    }

    /** Whether this reader keeps drum hits. */
    public boolean keepsDrums() {
        return keepDrums;
    }

    /**
     * What a file held besides piano notes and what the reader did with it.
     *
     * @param drumHits        drum-channel hits in the file
     * @param drumHitsKept    those kept in the score (none by a reader without drums)
     * @param otherPrograms   General MIDI programs (0-based) other than pianos that played notes on a melodic channel:
     *                        those notes were read as piano
     */
    public record Instruments(int drumHits, int drumHitsKept, SortedSet<Integer> otherPrograms) {

        public Instruments {
            otherPrograms = Collections.unmodifiableSortedSet(new TreeSet<>(otherPrograms));
        }

        /** One sentence on what was left out or changed, empty when the file was a piano's alone. */
        public String summary() {
            return summary(null);
        }

        /**
         * As {@link #summary()}, with {@code keepDrums} (how the reader of the caller's choice could have kept them,
         * or null) said after drum hits that were all left out.
         */
        public String summary(String keepDrums) {
            List<String> parts = new ArrayList<>();
            if (drumHits > drumHitsKept) {
                parts.add(drumHitsKept == 0 ? drumHits + " drum hits left out" + (keepDrums == null ? ""
                        : " (" + keepDrums + ")")
                        : (drumHits - drumHitsKept) + " of " + drumHits + " drum hits left out (no drum class)");
            }
            if (!otherPrograms.isEmpty()) {
                parts.add("notes of General MIDI programs " + otherPrograms.stream().map(p -> Integer.toString(p + 1))
                        .collect(Collectors.joining(", ")) + " read as piano");
            }
            return String.join("; ", parts);
        }
    }

    /** A score and what the file held besides piano notes. */
    public record Reading(Score score, Instruments instruments) {
    }

    /** Whether this reader folds the sustain pedal into note lengths. */
    public boolean foldsSustainPedal() {
        return foldSustainPedal;
    }

    /** Reads a whole stream and parses it; see {@link #read(byte[])}. */
    public Score read(InputStream in) throws IOException, MidiFormatException {
        return read(in.readAllBytes());
    }

    /** Parses a Standard MIDI File held in memory. */
    public Score read(byte[] smf) throws MidiFormatException {
        return readWithInstruments(smf).score();
    }

    /** Parses a Standard MIDI File held in memory and says what it did with instruments other than the piano. */
    public Reading readWithInstruments(byte[] smf) throws MidiFormatException {
        if (smf == null || smf.length == 0) {
            throw new MidiFormatException("empty file: expected a Standard MIDI File");
        }
        validateChunks(smf);
        Sequence sequence;
        try {
            sequence = MidiSystem.getSequence(new ByteArrayInputStream(smf));
        } catch (InvalidMidiDataException e) {
            throw new MidiFormatException("invalid MIDI data: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // javax.sound.midi reports some corrupt event data as runtime or I/O errors
            throw new MidiFormatException("unreadable MIDI event data: " + e, e);
        }
        return toScore(sequence);
    }

    private static void validateChunks(byte[] b) throws MidiFormatException {
        if (b.length < 4 || !"MThd".equals(new String(b, 0, 4, StandardCharsets.ISO_8859_1))) {
            throw new MidiFormatException("not a Standard MIDI File: missing MThd header");
        }
        if (b.length < 14) {
            throw new MidiFormatException("truncated: the MThd header needs 14 bytes but the file has only "
                    + b.length);
        }
        long headerLength = u32(b, 4);
        if (headerLength < 6) {
            throw new MidiFormatException("invalid MThd header: length " + headerLength + " (expected 6)");
        }
        if (headerLength > b.length - 8) {
            throw new MidiFormatException("truncated: MThd header declares " + headerLength
                    + " bytes but only " + (b.length - 8) + " remain");
        }
        int format = u16(b, 8);
        int tracks = u16(b, 10);
        if (format == 2) {
            throw new MidiFormatException("SMF format 2 (independent sequences) is not supported");
        }
        if (format > 2) {
            throw new MidiFormatException("unknown SMF format " + format + " (only 0 and 1 are supported)");
        }
        if (tracks == 0) {
            throw new MidiFormatException("the MThd header declares no tracks");
        }
        if (format == 0 && tracks != 1) {
            throw new MidiFormatException("SMF format 0 must have exactly one track, header declares " + tracks);
        }
        if (u16(b, 12) == 0) {
            throw new MidiFormatException("invalid MThd header: time division is 0");
        }
        long pos = 8 + headerLength;
        int found = 0;
        while (found < tracks) {
            long remaining = b.length - pos;
            if (remaining < 8) {
                throw new MidiFormatException("truncated: header declares " + tracks + " tracks but only "
                        + found + " are present");
            }
            String type = new String(b, (int) pos, 4, StandardCharsets.ISO_8859_1);
            long length = u32(b, (int) pos + 4);
            boolean isTrack = "MTrk".equals(type);
            if (!isTrack && !type.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new MidiFormatException("corrupt chunk structure at byte " + pos
                        + ": expected an MTrk chunk header");
            }
            if (length > remaining - 8) {
                String what = isTrack ? "track " + (found + 1) : "chunk '" + type + "'";
                throw new MidiFormatException("truncated: " + what + " declares " + length
                        + " bytes but only " + (remaining - 8) + " remain");
            }
            if (isTrack) {
                found++;
            }
            // chunks of unknown type are allowed by the SMF spec and skipped
            pos += 8 + length;
        }
    }

    private Reading toScore(Sequence sequence) throws MidiFormatException {
        Timing timing = Timing.of(sequence);
        List<Note> notes = new ArrayList<>();
        List<Note> drums = new ArrayList<>();
        int[] drumHits = new int[1];
        SortedSet<Integer> otherPrograms = new TreeSet<>();
        SustainPedal pedal = foldSustainPedal ? SustainPedal.of(sequence) : SustainPedal.NONE;
        for (Track track : sequence.getTracks()) {
            readTrack(track, timing, pedal, notes, drums, drumHits, otherPrograms);
        }
        if (foldSustainPedal) {
            notes = SustainPedal.cutAtRestrike(notes);
        }
        if (keepDrums) {
            notes.addAll(drums);
        }
        if (notes.isEmpty()) {
            throw new MidiFormatException(drumHits[0] > 0 ? keepDrums ? "no notes and no mapped drum hits"
                    : DRUMS_ONLY + " (" + drumHits[0] + " drum hits, left out)" : "the file contains no notes");
        }
        return new Reading(new Score(timing.ticksPerBeat(), notes),
                new Instruments(drumHits[0], keepDrums ? drums.size() : 0, otherPrograms));
    }

    /**
     * Adds the track's notes to {@code out} and its mapped drum hits to {@code drums}, counts its drum-channel hits in
     * {@code drumHits[0]} and adds the non-piano programs that played its notes to {@code otherPrograms}.
     */
    private static void readTrack(Track track, Timing timing, SustainPedal pedal, List<Note> out, List<Note> drums,
                                  int[] drumHits, SortedSet<Integer> otherPrograms) {
        // key = channel * 128 + pitch; FIFO of pending note-ons: {tick, velocity}
        Map<Integer, ArrayDeque<long[]>> sounding = new HashMap<>();
        int[] program = new int[16];
        for (int i = 0; i < track.size(); i++) {
            MidiEvent event = track.get(i);
            MidiMessage message = event.getMessage();
            if (!(message instanceof ShortMessage sm)) {
                continue;
            }
            int command = sm.getCommand();
            if (command == ShortMessage.PROGRAM_CHANGE) {
                program[sm.getChannel()] = sm.getData1();
                continue;
            }
            if (command != ShortMessage.NOTE_ON && command != ShortMessage.NOTE_OFF) {
                continue; // controllers (incl. sustain pedal), program changes etc. are ignored
            }
            int channel = sm.getChannel();
            int pitch = sm.getData1();
            int velocity = sm.getData2();
            boolean on = command == ShortMessage.NOTE_ON && velocity > 0;
            if (channel == DRUM_CHANNEL) {
                if (on) {
                    drumHits[0]++;
                    if (DrumKit.classOf(pitch) >= 0) {
                        // a hit sounds as the drum does, whatever its note-off: one tick stands for it
                        drums.add(timing.note(pitch, velocity, channel, event.getTick(), event.getTick() + 1));
                    }
                }
                continue;
            }
            int key = channel * 128 + pitch;
            if (on && program[channel] >= PIANO_PROGRAMS) {
                otherPrograms.add(program[channel]);
            }
            if (on) {
                sounding.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new long[] {event.getTick(), velocity});
            } else {
                ArrayDeque<long[]> pending = sounding.get(key);
                if (pending != null && !pending.isEmpty()) {
                    long[] start = pending.removeFirst();
                    out.add(timing.note(pitch, (int) start[1], channel, start[0],
                            pedal.releaseTick(channel, event.getTick())));
                }
                // a note-off without a matching note-on is ignored
            }
        }
        long trackEnd = track.ticks();
        sounding.forEach((key, pending) -> {
            for (long[] start : pending) {
                out.add(timing.note(key % 128, (int) start[1], key / 128, start[0], Math.max(start[0], trackEnd)));
            }
        });
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
                | (b[at + 3] & 0xff);
    }

    /** Converts file ticks into score ticks and seconds. */
    private record Timing(boolean smpte, int ticksPerBeat, double fileTicksPerSecond,
                          long[] segmentTick, double[] segmentSeconds, double[] segmentSecondsPerTick) {

        static Timing of(Sequence sequence) {
            int resolution = sequence.getResolution();
            if (sequence.getDivisionType() != Sequence.PPQ) {
                double perSecond = sequence.getDivisionType() * resolution;
                return new Timing(true, SMPTE_TICKS_PER_BEAT, perSecond, null, null, null);
            }
            // tempo map from set-tempo meta events of all tracks (format 1 keeps them in track 0)
            List<long[]> tempos = new ArrayList<>();
            for (Track track : sequence.getTracks()) {
                for (int i = 0; i < track.size(); i++) {
                    MidiEvent e = track.get(i);
                    if (e.getMessage() instanceof MetaMessage mm && mm.getType() == 0x51
                            && mm.getData().length >= 3) {
                        byte[] d = mm.getData();
                        long us = ((d[0] & 0xffL) << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff);
                        if (us > 0) {
                            tempos.add(new long[] {e.getTick(), us});
                        }
                    }
                }
            }
            tempos.sort((x, y) -> Long.compare(x[0], y[0])); // stable: same-tick order kept
            int n = tempos.size() + 1;
            long[] ticks = new long[n];
            double[] secs = new double[n];
            double[] perTick = new double[n];
            perTick[0] = DEFAULT_TEMPO_US / 1e6 / resolution;
            int k = 0;
            for (long[] t : tempos) {
                long tick = t[0];
                double sec = secs[k] + (tick - ticks[k]) * perTick[k];
                if (tick == ticks[k]) {
                    k--; // a later tempo at the same tick replaces the earlier one
                }
                k++;
                ticks[k] = tick;
                secs[k] = sec;
                perTick[k] = t[1] / 1e6 / resolution;
            }
            return new Timing(false, resolution, 0, Arrays.copyOf(ticks, k + 1),
                    Arrays.copyOf(secs, k + 1), Arrays.copyOf(perTick, k + 1));
        }

        double seconds(long fileTick) {
            if (smpte) {
                return fileTick / fileTicksPerSecond;
            }
            int idx = Arrays.binarySearch(segmentTick, fileTick);
            int seg = idx >= 0 ? idx : -idx - 2;
            return segmentSeconds[seg] + (fileTick - segmentTick[seg]) * segmentSecondsPerTick[seg];
        }

        long scoreTick(long fileTick) {
            if (!smpte) {
                return fileTick;
            }
            // nominal 120 bpm: two beats per second
            return Math.round(seconds(fileTick) * 2 * ticksPerBeat);
        }

        Note note(int pitch, int velocity, int channel, long startTick, long endTick) {
            double start = seconds(startTick);
            double end = seconds(endTick);
            long onset = scoreTick(startTick);
            return new Note(pitch, velocity, channel, onset, scoreTick(endTick) - onset, start, end - start);
        }
    }
}
