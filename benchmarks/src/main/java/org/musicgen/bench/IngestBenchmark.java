package org.musicgen.bench;

import org.musicgen.core.dataset.CorpusBuilder;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.dataset.CorpusOptions;
import org.musicgen.core.dataset.FileOutcome;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Ingestion throughput of the music-core pipeline over a directory of MIDI files: parsing alone (to
 * compare with other parsers) and the whole pipeline (parse, tokenise, vocabulary, segment). Files are
 * read into memory first so disk speed is not measured; the JIT is warmed up before timing, and the
 * median of the timed repeats is reported.
 *
 * <p>Usage: {@code IngestBenchmark <dir> [--warmup N] [--repeats N]}
 */
public final class IngestBenchmark {

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: IngestBenchmark <dir> [--warmup N] [--repeats N]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int warmup = option(args, "--warmup", 3);
        int repeats = option(args, "--repeats", 5);
        List<byte[]> files = load(dir);
        if (files.isEmpty()) {
            System.err.println("no .mid/.midi files under " + dir);
            System.exit(2);
        }
        MidiReader reader = new MidiReader();

        long notes = 0;
        for (byte[] file : files) {
            notes += parse(reader, file);
        }
        for (int i = 0; i < warmup; i++) {
            parseAll(reader, files);
            pipeline(files);
        }
        double[] parseSeconds = new double[repeats];
        double[] pipelineSeconds = new double[repeats];
        CorpusDataset dataset = null;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            parseAll(reader, files);
            parseSeconds[i] = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            dataset = pipeline(files);
            pipelineSeconds[i] = (System.nanoTime() - start) / 1e9;
        }
        double parse = median(parseSeconds);
        double whole = median(pipelineSeconds);
        System.out.printf(Locale.ROOT, "corpus files=%d notes=%d sequences=%d vocabulary=%d%n", files.size(), notes,
                dataset.sequences().sequences().size(), dataset.vocabulary().size());
        System.out.printf(Locale.ROOT, "java.parse seconds=%.4f files_per_s=%.1f notes_per_s=%.0f%n",
                parse, files.size() / parse, notes / parse);
        System.out.printf(Locale.ROOT, "java.pipeline seconds=%.4f files_per_s=%.1f notes_per_s=%.0f%n",
                whole, files.size() / whole, notes / whole);
    }

    private static void parseAll(MidiReader reader, List<byte[]> files) {
        for (byte[] file : files) {
            parse(reader, file);
        }
    }

    private static int parse(MidiReader reader, byte[] file) {
        try {
            return reader.read(file).notes().size();
        } catch (MidiFormatException e) {
            return 0;
        }
    }

    private static CorpusDataset pipeline(List<byte[]> files) {
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.defaults());
        for (int i = 0; i < files.size(); i++) {
            FileOutcome ignored = builder.add("file-" + i + ".mid", files.get(i));
        }
        return builder.build();
    }

    private static List<byte[]> load(Path dir) throws IOException {
        List<byte[]> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
                if (name.endsWith(".mid") || name.endsWith(".midi")) {
                    files.add(Files.readAllBytes(path));
                }
            }
        }
        return files;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static int option(String[] args, String name, int fallback) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
