package org.musicgen.ingest.rest;

import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test uploads: pieces from the project's own synthetic corpus generator, and zips built on the fly. */
final class TestCorpora {

    private TestCorpora() {
    }

    static List<GeneratedPiece> pieces(long seed, int count) {
        return new SyntheticCorpus(seed).generate(count);
    }

    /** A valid file cut inside its first track: the header promises more bytes than there are. */
    static byte[] truncated(byte[] midi) {
        return Arrays.copyOf(midi, 40);
    }

    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A zip bomb as found in the field: one entry {@code name} of {@code size} zero bytes, deflated (1 GiB makes
     * about 1 MB), with ZIP64 sizes in its local and central headers so that nothing in the headers looks small.
     */
    static byte[] zip64Bomb(String name, long size) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        CRC32 crc = new CRC32();
        byte[] zeros = new byte[1 << 20];
        byte[] buffer = new byte[1 << 16];
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (long left = size; left > 0; left -= zeros.length) {
            int n = (int) Math.min(zeros.length, left);
            crc.update(zeros, 0, n);
            deflater.setInput(zeros, 0, n);
            while (!deflater.needsInput()) {
                data.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            data.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        byte[] compressed = data.toByteArray();
        byte[] fileName = name.getBytes(StandardCharsets.UTF_8);
        int localLength = 30 + fileName.length + 20;
        int centralLength = 46 + fileName.length + 20;
        ByteBuffer zip = ByteBuffer.allocate(localLength + compressed.length + centralLength + 22)
                .order(ByteOrder.LITTLE_ENDIAN);
        zip.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 8)
                .putInt(0).putInt((int) crc.getValue()).putInt(-1).putInt(-1)
                .putShort((short) fileName.length).putShort((short) 20).put(fileName)
                .putShort((short) 1).putShort((short) 16).putLong(size).putLong(compressed.length)
                .put(compressed);
        int central = zip.position();
        zip.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0).putShort((short) 8)
                .putInt(0).putInt((int) crc.getValue()).putInt(-1).putInt(-1)
                .putShort((short) fileName.length).putShort((short) 20).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).put(fileName)
                .putShort((short) 1).putShort((short) 16).putLong(size).putLong(compressed.length);
        zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                .putInt(centralLength).putInt(central).putShort((short) 0);
        return zip.array();
    }
}
