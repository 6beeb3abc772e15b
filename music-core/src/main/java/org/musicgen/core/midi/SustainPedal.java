package org.musicgen.core.midi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * Where the sustain pedal (controller 64) of each channel is down, in file ticks, so that a released key can
 * sound on until the pedal is lifted. Built by {@link MidiReader#sounding()} only.
 */
final class SustainPedal {

    static final SustainPedal NONE = new SustainPedal(new long[16][0]);
    private static final int CONTROLLER = 64;
    private static final int DOWN_FROM = 64;

    /** Per channel: down0, up0, down1, up1, ... ascending; an unreleased pedal is up at Long.MAX_VALUE. */
    private final long[][] intervals;

    private SustainPedal(long[][] intervals) {
        this.intervals = intervals;
    }

    static SustainPedal of(Sequence sequence) {
        List<List<long[]>> changes = new ArrayList<>(); // per channel: {tick, down ? 1 : 0}
        for (int c = 0; c < 16; c++) {
            changes.add(new ArrayList<>());
        }
        for (Track track : sequence.getTracks()) {
            for (int i = 0; i < track.size(); i++) {
                MidiEvent e = track.get(i);
                if (e.getMessage() instanceof ShortMessage sm && sm.getCommand() == ShortMessage.CONTROL_CHANGE
                        && sm.getData1() == CONTROLLER) {
                    changes.get(sm.getChannel()).add(new long[] {e.getTick(), sm.getData2() >= DOWN_FROM ? 1 : 0});
                }
            }
        }
        long[][] intervals = new long[16][];
        for (int c = 0; c < 16; c++) {
            List<long[]> list = changes.get(c);
            list.sort(Comparator.comparingLong(x -> x[0])); // stable: same-tick order kept
            long[] out = new long[list.size() + 1];
            int n = 0;
            boolean down = false;
            for (long[] change : list) {
                boolean nowDown = change[1] == 1;
                if (nowDown != down) {
                    out[n++] = change[0];
                    down = nowDown;
                }
            }
            if (down) {
                out[n++] = Long.MAX_VALUE;
            }
            intervals[c] = Arrays.copyOf(out, n);
        }
        return new SustainPedal(intervals);
    }

    /** When a key released at {@code tick} stops sounding: the pedal's release if it is down then. */
    long releaseTick(int channel, long tick) {
        long[] iv = intervals[channel];
        for (int i = 0; i + 1 < iv.length; i += 2) {
            if (tick >= iv[i] && tick < iv[i + 1]) {
                return iv[i + 1] == Long.MAX_VALUE ? tick : iv[i + 1];
            }
            if (iv[i] > tick) {
                break;
            }
        }
        return tick;
    }

    /** Ends every held note where the same key of its channel is struck again: a key cannot sound twice. */
    static List<Note> cutAtRestrike(List<Note> notes) {
        List<Note> sorted = new ArrayList<>(notes);
        sorted.sort(Comparator.comparingInt(Note::channel).thenComparingInt(Note::pitch)
                .thenComparing(Score.ORDER));
        List<Note> out = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            Note n = sorted.get(i);
            Note next = i + 1 < sorted.size() ? sorted.get(i + 1) : null;
            if (next != null && next.channel() == n.channel() && next.pitch() == n.pitch()
                    && next.onsetTick() < n.endTick() && next.onsetTick() >= n.onsetTick()) {
                n = new Note(n.pitch(), n.velocity(), n.channel(), n.onsetTick(), next.onsetTick() - n.onsetTick(),
                        n.onsetSeconds(), Math.max(0, next.onsetSeconds() - n.onsetSeconds()));
            }
            out.add(n);
        }
        return out;
    }
}
