package org.musicgen.mainjob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users link their data directories: a corpus or its split reached through a link is walked like any other. */
class CorpusFilesTest {

    @Test
    void aLinkedTrainSplitIsWalkedAndALinkBackUpIsSkipped(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("elsewhere/pieces/inner"));
        Files.write(data.resolve("../a.mid"), new byte[]{1});
        Files.write(data.resolve("b.MIDI"), new byte[]{2});
        Files.write(data.resolve("notes.txt"), new byte[]{3});
        Files.createSymbolicLink(data.resolve("loop"), data.getParent()); // a cycle: pieces/inner/loop -> pieces
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Files.createSymbolicLink(corpus.resolve("train"), data.getParent());

        List<Path> found = CorpusFiles.under(corpus.resolve("train"), CorpusFiles.MIDI);

        assertEquals(List.of(corpus.resolve("train/a.mid"), corpus.resolve("train/inner/b.MIDI")), found);
        assertEquals(List.of(), CorpusFiles.under(corpus.resolve("valid"), CorpusFiles.MIDI),
                "a split that is not there has no files");
    }

    @Test
    void theMainJobTakesALinkedCorpusDirectory(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Files.write(real.resolve("piece.mid"), new byte[]{1});
        Files.write(real.resolve("more.zip"), new byte[]{2});
        Path linked = Files.createSymbolicLink(dir.resolve("linked"), real);

        List<Path> files = MainJob.corpusFiles(MainJob.parse(new String[]{"--corpus", linked.toString()}));

        assertEquals(List.of(linked.resolve("more.zip"), linked.resolve("piece.mid")), files);
        Path empty = Files.createSymbolicLink(dir.resolve("empty"), Files.createDirectories(dir.resolve("nothing")));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> MainJob.corpusFiles(MainJob.parse(new String[]{"--corpus", empty.toString()})));
        assertTrue(none.getMessage().startsWith("no .mid, .midi or .zip files under"), none.getMessage());
    }
}
