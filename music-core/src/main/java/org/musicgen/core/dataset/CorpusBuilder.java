package org.musicgen.core.dataset;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Score;
import org.musicgen.core.tokens.Segmenter;
import org.musicgen.core.tokens.Token;
import org.musicgen.core.tokens.Tokenizer;
import org.musicgen.core.tokens.Vocabulary;

/**
 * The ingestion pipeline, in one place so that the ingest service and the benchmarks cannot
 * drift apart: hash, parse ({@link MidiReader}), tokenise ({@link Tokenizer}), then on
 * {@link #build()} build the vocabulary over all accepted files and cut each file's ids into
 * windows ({@link Segmenter}); windows never cross file boundaries.
 *
 * <p>{@link #add} never throws for bad content: the file is rejected with the parser's reason.
 * A file with the same SHA-256 as an already accepted one is rejected as a duplicate, because the
 * same piece twice would leak between training and validation splits. A file with fewer tokens
 * than the sequence length is accepted but yields no sequence (noted in {@link FileOutcome#reason()}).
 * Not thread-safe: one builder per ingestion.
 */
public final class CorpusBuilder {

    private final CorpusOptions options;
    private final MidiReader reader = new MidiReader();
    private final Tokenizer tokenizer;
    private final List<Accepted> accepted = new ArrayList<>();
    private final Map<String, String> nameBySha = new HashMap<>();

    private record Accepted(String fileName, String sha256, int notes, List<Token> tokens) {
    }

    public CorpusBuilder(CorpusOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.tokenizer = new Tokenizer(options.stepsPerBeat(), options.maxSteps());
    }

    public CorpusOptions options() {
        return options;
    }

    /** Number of files accepted so far. */
    public int acceptedCount() {
        return accepted.size();
    }

    public FileOutcome add(String fileName, byte[] content) {
        Objects.requireNonNull(fileName, "fileName");
        byte[] bytes = content == null ? new byte[0] : content;
        String sha = sha256(bytes);
        String earlier = nameBySha.get(sha);
        if (earlier != null) {
            return new FileOutcome(fileName, sha, false,
                    "duplicate: same content (SHA-256) as '" + earlier + "'", 0, 0);
        }
        Score score;
        try {
            score = reader.read(bytes);
        } catch (MidiFormatException e) {
            return new FileOutcome(fileName, sha, false, e.getMessage(), 0, 0);
        } catch (RuntimeException e) {
            // defensive: a parser bug must reject one file, not abort the whole upload
            return new FileOutcome(fileName, sha, false, "unreadable MIDI file: " + e, 0, 0);
        }
        List<Token> tokens = tokenizer.tokenize(score);
        accepted.add(new Accepted(fileName, sha, score.notes().size(), List.copyOf(tokens)));
        nameBySha.put(sha, fileName);
        String note = tokens.size() < options.sequenceLength()
                ? "accepted, but " + tokens.size() + " tokens are fewer than the sequence length "
                        + options.sequenceLength() + ": it contributes no sequences"
                : null;
        return new FileOutcome(fileName, sha, true, note, score.notes().size(), tokens.size());
    }

    /**
     * Builds vocabulary and sequences over everything accepted so far.
     *
     * @throws IllegalStateException "no valid MIDI file in the corpus" when nothing was accepted
     */
    public CorpusDataset build() {
        if (accepted.isEmpty()) {
            throw new IllegalStateException("no valid MIDI file in the corpus");
        }
        List<List<Token>> all = new ArrayList<>(accepted.size());
        for (Accepted a : accepted) {
            all.add(a.tokens());
        }
        Vocabulary vocabulary = Vocabulary.fromTokens(all, options.maxVocabulary(), options.minTokenCount());
        Segmenter segmenter = new Segmenter(options.sequenceLength(), options.stride());
        List<int[]> sequences = new ArrayList<>();
        List<Integer> sources = new ArrayList<>();
        List<SourceFile> files = new ArrayList<>(accepted.size());
        for (int i = 0; i < accepted.size(); i++) {
            Accepted a = accepted.get(i);
            List<int[]> windows = segmenter.segment(vocabulary.encode(a.tokens()));
            for (int[] w : windows) {
                sequences.add(w);
                sources.add(i);
            }
            files.add(new SourceFile(a.fileName(), a.sha256(), a.notes(), a.tokens().size(), windows.size()));
        }
        SequenceSet set = new SequenceSet(options.sequenceLength(), sequences,
                sources.stream().mapToInt(Integer::intValue).toArray());
        return new CorpusDataset(vocabulary, set, files);
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
