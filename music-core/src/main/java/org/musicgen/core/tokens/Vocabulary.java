package org.musicgen.core.tokens;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps token texts to dense ids. Id 0 is the unknown token {@value #UNKNOWN}; the others are
 * ordered by descending count, then by text, so the same counts always give the same ids.
 *
 * <p>{@code countAt(0)} is the total count of the tokens that did not make it into the vocabulary
 * (below {@code minCount} or beyond {@code maxSize}), i.e. how often {@code <unk>} stands in.
 * Serialised form: UTF-8 text, one {@code token<TAB>count} line per id, starting with id 0.
 * Immutable and thread-safe.
 */
public final class Vocabulary {

    public static final String UNKNOWN = "<unk>";
    public static final int UNKNOWN_ID = 0;

    private final List<String> tokens;
    private final long[] counts;
    private final Map<String, Integer> index;

    private Vocabulary(List<String> tokens, long[] counts) {
        this.tokens = List.copyOf(tokens);
        this.counts = counts.clone();
        Map<String, Integer> idx = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            if (idx.put(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate vocabulary entry '" + tokens.get(i) + "'");
            }
        }
        this.index = idx;
    }

    /**
     * Builds a vocabulary from token counts.
     *
     * @param counts   token text -> occurrences (an entry for {@code <unk>} is folded into id 0)
     * @param maxSize  maximum number of entries including {@code <unk>}, at least 1
     * @param minCount tokens seen fewer times are left out, at least 1
     */
    public static Vocabulary build(Map<String, Long> counts, int maxSize, int minCount) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be >= 1 (room for <unk>), was " + maxSize);
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be >= 1, was " + minCount);
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>();
        long unknown = 0;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            long c = e.getValue();
            if (c < 0) {
                throw new IllegalArgumentException("negative count " + c + " for '" + e.getKey() + "'");
            }
            if (UNKNOWN.equals(e.getKey()) || c < minCount) {
                unknown += c;
            } else {
                entries.add(e);
            }
        }
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<String> tokens = new ArrayList<>();
        tokens.add(UNKNOWN);
        long[] kept = new long[Math.min(entries.size(), maxSize - 1) + 1];
        for (int i = 0; i < entries.size(); i++) {
            if (i < maxSize - 1) {
                tokens.add(entries.get(i).getKey());
                kept[i + 1] = entries.get(i).getValue();
            } else {
                unknown += entries.get(i).getValue();
            }
        }
        kept[0] = unknown;
        return new Vocabulary(tokens, kept);
    }

    /** Counts token texts over several token sequences. */
    public static Map<String, Long> countTokens(Iterable<? extends List<Token>> sequences) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (List<Token> seq : sequences) {
            for (Token t : seq) {
                counts.merge(t.text(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Convenience: {@link #countTokens} then {@link #build(Map, int, int)}. */
    public static Vocabulary fromTokens(Iterable<? extends List<Token>> sequences, int maxSize, int minCount) {
        return build(countTokens(sequences), maxSize, minCount);
    }

    public int size() {
        return tokens.size();
    }

    /** Id of a token text; {@link #UNKNOWN_ID} when it is not in the vocabulary. */
    public int indexOf(String text) {
        return index.getOrDefault(text, UNKNOWN_ID);
    }

    public String tokenAt(int index) {
        checkIndex(index);
        return tokens.get(index);
    }

    public long countAt(int index) {
        checkIndex(index);
        return counts[index];
    }

    /** All entries in id order, starting with {@code <unk>}. */
    public List<String> tokens() {
        return tokens;
    }

    public int[] encode(List<Token> sequence) {
        int[] ids = new int[sequence.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = indexOf(sequence.get(i).text());
        }
        return ids;
    }

    /** Turns ids back into tokens, skipping {@code <unk>}; an id outside the vocabulary is an error. */
    public List<Token> decode(int[] ids) {
        List<Token> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            checkIndex(id);
            if (id != UNKNOWN_ID) {
                out.add(Token.parse(tokens.get(id)));
            }
        }
        return out;
    }

    /** Writes UTF-8 {@code token<TAB>count} lines in id order; the stream is flushed, not closed. */
    public void writeTo(OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        for (int i = 0; i < tokens.size(); i++) {
            w.write(tokens.get(i));
            w.write('\t');
            w.write(Long.toString(counts[i]));
            w.write('\n');
        }
        w.flush();
    }

    /** The vocabulary file's content, as {@link #writeTo} writes it. */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads what {@link #writeTo} wrote. Malformed content (missing {@code <unk>} first line,
     * a line without a tab or count, duplicates, invalid UTF-8) is reported as an IOException
     * naming the line.
     */
    public static Vocabulary readFrom(InputStream in) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder));
        List<String> tokens = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            int tab = line.lastIndexOf('\t');
            if (tab <= 0) {
                throw new IOException("vocabulary line " + lineNo + ": expected 'token<TAB>count'");
            }
            String token = line.substring(0, tab);
            long count;
            try {
                count = Long.parseLong(line.substring(tab + 1));
            } catch (NumberFormatException e) {
                throw new IOException("vocabulary line " + lineNo + ": count '" + line.substring(tab + 1)
                        + "' is not a number");
            }
            if (count < 0) {
                throw new IOException("vocabulary line " + lineNo + ": negative count " + count);
            }
            if (lineNo == 1 && !UNKNOWN.equals(token)) {
                throw new IOException("vocabulary line 1 must be " + UNKNOWN + ", was '" + token + "'");
            }
            tokens.add(token);
            counts.add(count);
        }
        if (tokens.isEmpty()) {
            throw new IOException("empty vocabulary: expected at least the " + UNKNOWN + " line");
        }
        try {
            return new Vocabulary(tokens, counts.stream().mapToLong(Long::longValue).toArray());
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid vocabulary: " + e.getMessage(), e);
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= tokens.size()) {
            throw new IllegalArgumentException("token id " + index + " outside vocabulary of size " + tokens.size());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && tokens.equals(v.tokens) && java.util.Arrays.equals(counts, v.counts);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode() * 31 + java.util.Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Vocabulary[size=" + tokens.size() + "]";
    }
}
