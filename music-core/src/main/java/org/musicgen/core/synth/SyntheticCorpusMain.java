package org.musicgen.core.synth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Command line: {@code --count N --seed S --out DIR} writes N synthetic pieces as .mid files.
 * Exit status 0 on success, 2 on bad arguments, 1 on an I/O error.
 */
public final class SyntheticCorpusMain {

    static final String USAGE = "usage: SyntheticCorpusMain --count N --seed S --out DIR\n"
            + "  writes N original synthetic piano pieces (Standard MIDI Files) into DIR;\n"
            + "  the same seed always produces identical files";

    private SyntheticCorpusMain() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The testable body of {@link #main}: returns the exit status instead of exiting. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Integer count = null;
        Long seed = null;
        Path dir = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--count" -> {
                        count = Integer.parseInt(value);
                        if (count < 1) {
                            throw new IllegalArgumentException("--count must be >= 1, was " + count);
                        }
                    }
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--out" -> dir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (count == null || seed == null || dir == null) {
                throw new IllegalArgumentException("--count, --seed and --out are required");
            }
        } catch (NumberFormatException e) {
            err.println("error: not a number: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            Files.createDirectories(dir);
            List<GeneratedPiece> pieces = new SyntheticCorpus(seed).generate(count);
            for (GeneratedPiece piece : pieces) {
                Path file = dir.resolve(piece.fileName());
                byte[] midi = piece.midi();
                Files.write(file, midi);
                out.println("wrote " + file + " (" + midi.length + " bytes)");
            }
            out.println("wrote " + pieces.size() + " pieces (seed " + seed + ") to " + dir);
            return 0;
        } catch (IOException e) {
            err.println("error: cannot write to " + dir + ": " + e);
            return 1;
        }
    }
}
