package org.musicgen.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCorpusMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SyntheticCorpusMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesTheRequestedPiecesIntoANewDirectory(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("corpus/nested");

        assertEquals(0, run("--count", "3", "--seed", "5", "--out", dir.toString()));

        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertEquals(3, files.size());
        GeneratedPiece first = new SyntheticCorpus(5).piece(0);
        assertEquals(first.fileName(), files.get(0).getFileName().toString());
        assertArrayEquals(first.midi(), Files.readAllBytes(files.get(0)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("wrote 3 pieces"));
    }

    @Test
    void badArgumentsPrintUsageAndFail() {
        assertEquals(2, run());
        assertEquals(2, run("--count", "x", "--seed", "1", "--out", "d"));
        assertEquals(2, run("--count", "0", "--seed", "1", "--out", "d"));
        assertEquals(2, run("--count", "1", "--seed", "1"));
        assertEquals(2, run("--bogus", "1"));
        assertEquals(2, run("--count"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: SyntheticCorpusMain"));
    }
}
