package org.musicgen.ingest.rest;

import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
}
