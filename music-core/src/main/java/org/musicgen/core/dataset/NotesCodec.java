package org.musicgen.core.dataset;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * The notes of a corpus's pieces as stored in its dataset ({@code notes.bin}), so that any encoding can be
 * rebuilt without a re-upload. Gzip of big-endian:
 * <pre>
 * "MGNT" magic, version byte (1), piece count int32
 * per piece:  ticksPerBeat int32, note count int32
 * per note:   pitch, velocity, channel (bytes), onsetTick, durationTicks (int64), onsetSeconds, durationSeconds (float64)
 * </pre>
 * Decoding reports malformed data as IllegalArgumentException with the reason.
 */
public final class NotesCodec {

    public static final int VERSION = 1;
    private static final byte[] MAGIC = "MGNT".getBytes(StandardCharsets.US_ASCII);

    private NotesCodec() {
    }

    public static byte[] encode(List<Score> pieces) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(pieces.size());
            for (Score s : pieces) {
                out.writeInt(s.ticksPerBeat());
                out.writeInt(s.notes().size());
                for (Note n : s.notes()) {
                    out.writeByte(n.pitch());
                    out.writeByte(n.velocity());
                    out.writeByte(n.channel());
                    out.writeLong(n.onsetTick());
                    out.writeLong(n.durationTicks());
                    out.writeDouble(n.onsetSeconds());
                    out.writeDouble(n.durationSeconds());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static List<Score> decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(data)))) {
            byte[] magic = in.readNBytes(4);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("not a notes file: missing MGNT magic");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported notes file version " + version);
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IllegalArgumentException("invalid piece count " + count);
            }
            List<Score> pieces = new ArrayList<>(Math.min(count, 100_000));
            for (int p = 0; p < count; p++) {
                int ticksPerBeat = in.readInt();
                int notes = in.readInt();
                if (notes < 0) {
                    throw new IllegalArgumentException("piece " + p + " has a negative note count");
                }
                List<Note> list = new ArrayList<>(Math.min(notes, 1_000_000));
                for (int i = 0; i < notes; i++) {
                    list.add(new Note(in.readUnsignedByte(), in.readUnsignedByte(), in.readUnsignedByte(),
                            in.readLong(), in.readLong(), in.readDouble(), in.readDouble()));
                }
                pieces.add(new Score(ticksPerBeat, list));
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("trailing bytes after " + count + " pieces");
            }
            return pieces;
        } catch (EOFException e) {
            throw new IllegalArgumentException("truncated notes file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable notes file: " + e.getMessage(), e);
        }
    }
}
