package org.musicgen.core.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Score;
import org.musicgen.core.tokens.Segmenter;
import org.musicgen.core.tokens.Tokenizer;

/**
 * The ingestion pipeline, in one place so that the ingest service and the benchmarks cannot
 * drift apart: hash, parse ({@link MidiReader#sounding()}: note lengths include the sustain pedal; drum hits kept
 * when the encoding {@link Encodings#hasDrums has drums}), keep
 * the notes; then on {@link #build()} fit the encoding over all accepted pieces ({@link Encodings#fit}),
 * encode each piece and cut its ids into windows ({@link Segmenter}); windows never cross pieces.
 *
 * <p>{@link #add} never throws for bad content: the file is rejected with the parser's reason.
 * A file with the same SHA-256 as an already accepted one is rejected as a duplicate, because the
 * same piece twice would leak between training and validation splits. A piece shorter than a window is
 * accepted but yields no window ({@link SourceFile#sequences()} 0).
 * Not thread-safe: one builder per ingestion.
 */
public final class CorpusBuilder {

    private final CorpusOptions options;
    private final MidiReader reader;
    private final List<Accepted> accepted = new ArrayList<>();
    private final Map<String, String> nameBySha = new HashMap<>();

    private record Accepted(String fileName, String sha256, Score score, String label, int drumHits,
                            String instruments) {
    }

    public CorpusBuilder(CorpusOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.reader = Encodings.hasDrums(options.encoding()) ? MidiReader.sounding().withDrums()
                : MidiReader.sounding();
    }

    public CorpusOptions options() {
        return options;
    }

    /** Number of files accepted so far. */
    public int acceptedCount() {
        return accepted.size();
    }

    /** Adds a piece without a label. */
    public FileOutcome add(String fileName, byte[] content) {
        return add(fileName, content, null);
    }

    /**
     * Adds a piece with its label (see {@link PieceLabels}); a blank or null label is none.
     *
     * @throws IllegalArgumentException when the label cannot be one ({@link PieceLabels#checkLabel})
     */
    public FileOutcome add(String fileName, byte[] content, String label) {
        Objects.requireNonNull(fileName, "fileName");
        String checkedLabel = PieceLabels.checkLabel(label, "'" + fileName + "'");
        byte[] bytes = content == null ? new byte[0] : content;
        String sha = Checksums.sha256(bytes);
        String earlier = nameBySha.get(sha);
        if (earlier != null) {
            return FileOutcome.rejected(fileName, sha, "duplicate: same content (SHA-256) as '" + earlier + "'");
        }
        MidiReader.Reading reading;
        try {
            reading = reader.readWithInstruments(bytes);
        } catch (MidiFormatException e) {
            String reason = e.getMessage();
            if (!reader.keepsDrums() && reason.startsWith(MidiReader.DRUMS_ONLY)) {
                reason += "; the " + options.encoding() + " encoding has no drums: upload it in the "
                        + Encodings.PERFORMANCE_DRUMS + " encoding to keep them";
            }
            return FileOutcome.rejected(fileName, sha, reason);
        } catch (RuntimeException e) {
            // defensive: a parser bug must reject one file, not abort the whole upload
            return FileOutcome.rejected(fileName, sha, "unreadable MIDI file: " + e);
        }
        Score score = reading.score();
        int drumHits = reading.instruments().drumHitsKept();
        String instruments = reading.instruments().summary(reader.keepsDrums() ? null
                : "the " + Encodings.PERFORMANCE_DRUMS + " encoding keeps them");
        accepted.add(new Accepted(fileName, sha, score, checkedLabel, drumHits, instruments));
        nameBySha.put(sha, fileName);
        return new FileOutcome(fileName, sha, true, null, score.notes().size() - drumHits, drumHits, instruments);
    }

    /**
     * Fits the encoding and cuts the windows over everything accepted so far.
     *
     * @throws IllegalStateException "no valid MIDI file in the corpus" when nothing was accepted
     */
    public CorpusDataset build() {
        if (accepted.isEmpty()) {
            throw new IllegalStateException("no valid MIDI file in the corpus");
        }
        List<Score> scores = accepted.stream().map(Accepted::score).toList();
        Encoding encoding = Encodings.fit(options.encoding(), scores,
                new Tokenizer(options.stepsPerBeat(), options.maxSteps()), options.maxVocabulary(),
                options.minTokenCount());
        List<int[]> streams = new ArrayList<>(scores.size());
        long events = 0;
        long notes = 0;
        for (Score s : scores) {
            int[] ids = encoding.encode(s);
            streams.add(ids);
            events += ids.length;
            notes += s.notes().size();
        }
        int length = options.windowLength(events, notes);
        Segmenter segmenter = new Segmenter(length, options.strideFor(length));
        List<int[]> sequences = new ArrayList<>();
        List<Integer> sources = new ArrayList<>();
        List<SourceFile> files = new ArrayList<>(accepted.size());
        for (int i = 0; i < accepted.size(); i++) {
            Accepted a = accepted.get(i);
            int[] ids = streams.get(i);
            List<int[]> windows = segmenter.segment(ids);
            for (int[] w : windows) {
                sequences.add(w);
                sources.add(i);
            }
            int unknown = 0;
            for (int id : ids) {
                if (encoding.isUnknown(id)) {
                    unknown++;
                }
            }
            files.add(new SourceFile(a.fileName(), a.sha256(), a.score().notes().size() - a.drumHits(), ids.length,
                    unknown, windows.size(), a.label(), a.drumHits(), a.instruments()));
        }
        SequenceSet set = new SequenceSet(length, sequences,
                sources.stream().mapToInt(Integer::intValue).toArray());
        return new CorpusDataset(encoding, set, files, scores);
    }
}
