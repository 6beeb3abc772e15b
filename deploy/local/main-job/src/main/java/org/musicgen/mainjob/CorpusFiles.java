package org.musicgen.mainjob;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The files of a user's corpus directory, found through symbolic links: users link their data directories (a
 * corpus, its {@code train/} split), and a walk that does not follow links sees such a directory as empty. A link
 * back to a directory above it is skipped, not walked forever.
 */
public final class CorpusFiles {

    /** What a corpus upload takes: MIDI files and zip archives of them. */
    public static final Set<String> UPLOADABLE = Set.of(".mid", ".midi", ".zip");
    /** MIDI files only. */
    public static final Set<String> MIDI = Set.of(".mid", ".midi");

    private CorpusFiles() {
    }

    /**
     * The regular files under {@code root} (a directory or a link to one) whose names end with one of
     * {@code extensions} (case ignored), links followed, each once, sorted by path; empty when {@code root} is no
     * directory.
     */
    public static List<Path> under(Path root, Set<String> extensions) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                        if (attributes.isRegularFile() && extensions.stream().anyMatch(name::endsWith)) {
                            found.add(file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (e instanceof FileSystemLoopException) {
                            return FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }
                });
        found.sort(null);
        return found;
    }
}
