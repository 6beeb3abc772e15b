package org.musicgen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.musicgen.core.encoding.PerformanceEncoding;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * The drum round trip on real files (the Groove MIDI Dataset, outside the repository, so no test can read it): every
 * file read with drums, encoded in {@code performance-drums}, decoded, written as MIDI and read again; each hit must
 * come back with its class, its onset on the same 10 ms step and its velocity bin, on channel 10. Hits of one drum in
 * one step become one by design; they are counted apart ({@code merged}), everything else that differs is a mismatch.
 * Prints one line per directory and ends with {@code result files=... hits=... merged_share=... mismatched=...}.
 *
 * <pre>java -cp music-core/target/classes:benchmarks/target/classes org.musicgen.bench.DrumRoundTrip DIR [--limit N]</pre>
 */
public final class DrumRoundTrip {

    private static final MidiReader READER = MidiReader.sounding().withDrums();
    private static final PerformanceEncoding ENCODING = PerformanceEncoding.withDrums();

    private DrumRoundTrip() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: DrumRoundTrip DIR [--limit N]");
            System.exit(2);
        }
        int limit = args.length >= 3 && args[1].equals("--limit") ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(args[0]))) {
            files = walk.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.midi?$"))
                    .sorted().limit(limit).toList();
        }
        long hits = 0;
        long merged = 0;
        long mismatched = 0;
        long pianoNotes = 0;
        long events = 0;
        int rejected = 0;
        long[] perClass = new long[DrumKit.CLASSES];
        long started = System.nanoTime();
        for (Path file : files) {
            Score read;
            try {
                read = READER.read(Files.readAllBytes(file));
            } catch (MidiFormatException e) {
                rejected++;
                System.out.println("rejected " + file + ": " + e.getMessage());
                continue;
            }
            Map<String, Integer> expected = expectedHits(read);
            int[] ids = ENCODING.encode(read);
            events += ids.length;
            Score back;
            try {
                back = READER.read(new MidiWriter().write(ENCODING.decode(ids)));
            } catch (MidiFormatException e) {
                throw new IllegalStateException("the written file of " + file + " is unreadable", e);
            }
            long shift = firstStep(read);
            Map<String, Integer> found = new HashMap<>();
            for (Note n : back.drums().notes()) {
                if (n.channel() != DrumKit.CHANNEL) {
                    mismatched++;
                }
                long step = Math.round(n.onsetSeconds() / PerformanceEncoding.STEP_SECONDS) + shift;
                found.merge(key(step, DrumKit.classOf(n.pitch()), PerformanceEncoding.velocityBin(n.velocity())), 1,
                        Integer::sum);
            }
            int fileHits = DrumKit.hits(read);
            hits += fileHits;
            merged += fileHits - expected.values().stream().mapToInt(Integer::intValue).sum();
            Set<String> keys = new HashSet<>(expected.keySet());
            keys.addAll(found.keySet());
            for (String k : keys) {
                mismatched += Math.abs(expected.getOrDefault(k, 0) - found.getOrDefault(k, 0));
            }
            for (Note n : read.drums().notes()) {
                perClass[DrumKit.classOf(n.pitch())]++;
            }
            pianoNotes += read.piano().notes().size();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < DrumKit.CLASSES; c++) {
            classes.add(DrumKit.name(c) + " " + perClass[c]);
        }
        System.out.println("hits per class: " + String.join(", ", classes));
        System.out.printf(Locale.ROOT, "%d files (%d rejected), %d drum hits, %d piano notes, %d events "
                + "(%.2f per hit), %.1f s%n", files.size(), rejected, hits, pianoNotes, events,
                hits == 0 ? 0.0 : (double) events / hits, seconds);
        System.out.printf(Locale.ROOT, "result files=%d hits=%d merged_share=%.5f mismatched=%d%n", files.size() - rejected,
                hits, hits == 0 ? 0.0 : (double) merged / hits, mismatched);
    }

    /** Each hit as the encoding keeps it: step, class and velocity bin, the first of one class in one step. */
    private static Map<String, Integer> expectedHits(Score score) {
        Map<String, Integer> out = new HashMap<>();
        Set<Long> taken = new HashSet<>();
        for (Note n : score.notes()) {
            if (!DrumKit.isDrum(n)) {
                continue;
            }
            int drumClass = DrumKit.classOf(n.pitch());
            long step = Math.round(n.onsetSeconds() / PerformanceEncoding.STEP_SECONDS);
            if (taken.add(step * DrumKit.CLASSES + drumClass)) {
                out.merge(key(step, drumClass, PerformanceEncoding.velocityBin(n.velocity())), 1, Integer::sum);
            }
        }
        return out;
    }

    /** The step the encoding starts at: silence before the first note or hit is dropped. */
    private static long firstStep(Score score) {
        long first = Long.MAX_VALUE;
        for (Note n : score.notes()) {
            first = Math.min(first, Math.round(n.onsetSeconds() / PerformanceEncoding.STEP_SECONDS));
        }
        return first;
    }

    private static String key(long step, int drumClass, int bin) {
        return step + ":" + drumClass + ":" + bin;
    }
}
