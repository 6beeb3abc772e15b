package org.musicgen.core.encoding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.musicgen.core.midi.Score;
import org.musicgen.core.tokens.Token;
import org.musicgen.core.tokens.Tokenizer;
import org.musicgen.core.tokens.Vocabulary;

/**
 * The reference study's language, kept to reproduce it: one token per note or chord with its duration and
 * advance on a sixteenth grid ({@link Tokenizer}), ids from a vocabulary fitted on the corpus
 * ({@link Vocabulary}), id 0 {@code <unk>} for what the vocabulary cannot hold. Velocity and expressive timing
 * are lost. Decoded scores have {@value #TICKS_PER_BEAT} ticks per beat at 120 bpm.
 */
public final class SeedEncoding implements Encoding {

    public static final int TICKS_PER_BEAT = 480;

    private final Tokenizer tokenizer;
    private final Vocabulary vocabulary;

    public SeedEncoding(Tokenizer tokenizer, Vocabulary vocabulary) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    }

    /** Fits the vocabulary on the pieces' tokens: the {@code maxSize - 1} most frequent seen {@code minCount}+ times. */
    public static SeedEncoding fit(Tokenizer tokenizer, List<Score> pieces, int maxSize, int minCount) {
        List<List<Token>> tokens = new ArrayList<>(pieces.size());
        for (Score s : pieces) {
            tokens.add(tokenizer.tokenize(s));
        }
        return new SeedEncoding(tokenizer, Vocabulary.fromTokens(tokens, maxSize, minCount));
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public String name() {
        return Encodings.SEED;
    }

    @Override
    public int size() {
        return vocabulary.size();
    }

    @Override
    public int[] encode(Score score) {
        return vocabulary.encode(tokenizer.tokenize(score));
    }

    @Override
    public Score decode(int[] ids) {
        return tokenizer.detokenize(vocabulary.decode(ids), TICKS_PER_BEAT);
    }

    @Override
    public String describe(int id) {
        return vocabulary.tokenAt(id);
    }

    @Override
    public boolean isUnknown(int id) {
        return id == Vocabulary.UNKNOWN_ID;
    }

    @Override
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((header(tokenizer) + "\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(vocabulary.toBytes());
        return out.toByteArray();
    }

    static String header(Tokenizer tokenizer) {
        return Encodings.HEADER_PREFIX + Encodings.SEED + " steps_per_beat=" + tokenizer.stepsPerBeat()
                + " max_steps=" + tokenizer.maxSteps();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeedEncoding s && s.vocabulary.equals(vocabulary)
                && s.tokenizer.stepsPerBeat() == tokenizer.stepsPerBeat() && s.tokenizer.maxSteps() == tokenizer.maxSteps();
    }

    @Override
    public int hashCode() {
        return vocabulary.hashCode();
    }

    @Override
    public String toString() {
        return "SeedEncoding[size=" + size() + "]";
    }
}
