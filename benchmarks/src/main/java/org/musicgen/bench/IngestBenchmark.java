package org.musicgen.bench;

import org.musicgen.core.dataset.CorpusBuilder;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.dataset.CorpusOptions;
import org.musicgen.core.dataset.FileOutcome;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.mainjob.CorpusFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Ingestion throughput of the music-core pipeline over a directory of MIDI files: parsing alone (to
 * compare with other parsers; as ingest reads, with the sustain pedal folded into note lengths) and the whole
 * pipeline (parse, encode, segment) in the given encoding (default performance). Files are read into memory first
 * so disk speed is not measured; the JIT is warmed up before timing, and the median of the timed repeats is
 * reported.
 *
 * <p>Usage: {@code IngestBenchmark <dir> [--warmup N] [--repeats N] [--encoding performance|seed]}
 */
public final class IngestBenchmark {

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: IngestBenchmark <dir> [--warmup N] [--repeats N] [--encoding performance|seed]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int warmup = option(args, "--warmup", 3);
        int repeats = option(args, "--repeats", 5);
        String encoding = Encodings.checkName(text(args, "--encoding"));
        List<byte[]> files = load(dir);
        if (files.isEmpty()) {
            System.err.println("no .mid/.midi files under " + dir);
            System.exit(2);
        }
        MidiReader reader = MidiReader.sounding();

        long notes = 0;
        for (byte[] file : files) {
            notes += parse(reader, file);
        }
        for (int i = 0; i < warmup; i++) {
            parseAll(reader, files);
            pipeline(files, encoding);
        }
        double[] parseSeconds = new double[repeats];
        double[] pipelineSeconds = new double[repeats];
        CorpusDataset dataset = null;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            parseAll(reader, files);
            parseSeconds[i] = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            dataset = pipeline(files, encoding);
            pipelineSeconds[i] = (System.nanoTime() - start) / 1e9;
        }
        double parse = median(parseSeconds);
        double whole = median(pipelineSeconds);
        System.out.printf(Locale.ROOT, "corpus files=%d notes=%d encoding=%s sequences=%d sequence_length=%d "
                        + "vocabulary=%d unk_share=%.4f%n", files.size(), notes, encoding,
                dataset.sequences().sequences().size(), dataset.sequences().sequenceLength(),
                dataset.encoding().size(), dataset.unknownShare());
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

    private static CorpusDataset pipeline(List<byte[]> files, String encoding) {
        CorpusBuilder builder = new CorpusBuilder(CorpusOptions.of(encoding));
        for (int i = 0; i < files.size(); i++) {
            FileOutcome ignored = builder.add("file-" + i + ".mid", files.get(i));
        }
        return builder.build();
    }

    private static List<byte[]> load(Path dir) throws IOException {
        List<byte[]> files = new ArrayList<>();
        for (Path path : CorpusFiles.under(dir, CorpusFiles.MIDI)) {
            files.add(Files.readAllBytes(path));
        }
        return files;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String text(String[] args, String name) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
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
