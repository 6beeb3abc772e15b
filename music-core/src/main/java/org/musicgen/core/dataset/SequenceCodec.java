package org.musicgen.core.dataset;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of a {@link SequenceSet}, big-endian:
 * <pre>
 * "MGSQ"            4 bytes magic
 * version           1 byte  (currently 1)
 * tokenWidth        1 byte  (2: ids are unsigned 16-bit, used when every id is below 65536; else 4)
 * sequenceLength    int32
 * count             int32
 * count times:      sourceIndex int32, then sequenceLength ids of tokenWidth bytes
 * </pre>
 * Decoding checks magic, version, width and that the size matches exactly, throwing
 * IllegalArgumentException with the reason.
 */
public final class SequenceCodec {

    public static final int VERSION = 1;
    private static final byte[] MAGIC = "MGSQ".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 4 + 1 + 1 + 4 + 4;

    private SequenceCodec() {
    }

    public static byte[] encode(SequenceSet set) {
        int width = set.maxId() < 65536 ? 2 : 4;
        long size = HEADER + (long) set.size() * (4 + (long) set.sequenceLength() * width);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("sequence set too large for one array: " + size + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        buf.put(MAGIC).put((byte) VERSION).put((byte) width)
                .putInt(set.sequenceLength()).putInt(set.size());
        for (int i = 0; i < set.size(); i++) {
            buf.putInt(set.sourceOf(i));
            for (int id : set.sequences().get(i)) {
                if (id < 0) {
                    throw new IllegalArgumentException("negative token id " + id + " in sequence " + i);
                }
                if (width == 2) {
                    buf.putShort((short) id);
                } else {
                    buf.putInt(id);
                }
            }
        }
        return buf.array();
    }

    public static SequenceSet decode(byte[] data) {
        if (data == null || data.length < HEADER) {
            throw new IllegalArgumentException("not a sequence file: " + (data == null ? 0 : data.length)
                    + " bytes is shorter than the " + HEADER + "-byte header");
        }
        ByteBuffer buf = ByteBuffer.wrap(data);
        byte[] magic = new byte[4];
        buf.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a sequence file: missing MGSQ magic");
        }
        int version = buf.get() & 0xff;
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported sequence file version " + version
                    + " (this reader supports " + VERSION + ")");
        }
        int width = buf.get() & 0xff;
        if (width != 2 && width != 4) {
            throw new IllegalArgumentException("invalid token width " + width + " (expected 2 or 4)");
        }
        int length = buf.getInt();
        int count = buf.getInt();
        if (length < 1) {
            throw new IllegalArgumentException("invalid sequence length " + length);
        }
        if (count < 0) {
            throw new IllegalArgumentException("invalid sequence count " + count);
        }
        long expected = HEADER + (long) count * (4 + (long) length * width);
        if (expected != data.length) {
            throw new IllegalArgumentException((expected > data.length ? "truncated" : "trailing bytes")
                    + ": header declares " + count + " sequences of " + length + " ids (" + expected
                    + " bytes) but the data has " + data.length + " bytes");
        }
        List<int[]> sequences = new ArrayList<>(count);
        int[] sources = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sources[i] = buf.getInt();
                if (sources[i] < 0) {
                    throw new IllegalArgumentException("sequence " + i + " has negative source index " + sources[i]);
                }
                int[] ids = new int[length];
                for (int j = 0; j < length; j++) {
                    ids[j] = width == 2 ? buf.getShort() & 0xffff : buf.getInt();
                    if (ids[j] < 0) {
                        throw new IllegalArgumentException("sequence " + i + " has negative token id " + ids[j]);
                    }
                }
                sequences.add(ids);
            }
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated sequence data", e); // unreachable after the size check
        }
        return new SequenceSet(length, sequences, sources);
    }
}
