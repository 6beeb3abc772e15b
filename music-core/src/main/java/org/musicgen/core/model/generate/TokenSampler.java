package org.musicgen.core.model.generate;

import org.musicgen.core.model.lstm.LstmModel;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.musicgen.core.encoding.EventGrammar;

/**
 * Draws tokens from logits with temperature, top-k and nucleus (top-p) filtering, and continues prompts with an
 * {@link LstmModel}. What may be drawn next is the business of an {@link EventGrammar} per sequence (pass
 * {@code encoding::grammar}, so that a performance sample never strikes a sounding key), or of a predicate of
 * excluded ids; the overloads without either exclude {@link #UNKNOWN} (id 0), the seed vocabulary's {@code <unk>}.
 * Stateless; all randomness comes from the caller's seeded {@link Random}.
 *
 * <p>Determinism: generation runs on {@link LstmInference}, whose logits are the same bits on every Java 17+ JVM, and
 * the draws use only strict arithmetic ({@link StrictMath#exp}), a total order of the ids (ties by id) and the seeded
 * {@code Random}; so the same model, prompt, parameters and seed give the same events on any machine, alone or in a
 * batch. The engine's own forward pass ({@link LstmModel#logitsNext}) agrees only to float rounding, and a draw whose
 * random number falls within that rounding of a boundary between two ids can differ, so samples drawn before this
 * path existed (on the engine) are not reproduced event for event.
 */
public final class TokenSampler {
    /** Id of the unknown token of the seed vocabulary. */
    public static final int UNKNOWN = 0;

    /** Excludes {@link #UNKNOWN}: what the overloads without a predicate do. */
    public static final IntPredicate EXCLUDE_UNKNOWN = id -> id == UNKNOWN;

    /** Excludes nothing: every id of the vocabulary may be drawn. */
    public static final IntPredicate EXCLUDE_NONE = id -> false;

    private static final int MAX_LENGTH = 100_000;

    private TokenSampler() {
    }

    /** Draws one token id from {@code logits}, never {@link #UNKNOWN}. */
    public static int sample(float[] logits, SamplingParams params, Random random) {
        return sample(logits, params, random, EXCLUDE_UNKNOWN);
    }

    /** Draws one token id from {@code logits}, never an id for which {@code excluded} holds. */
    public static int sample(float[] logits, SamplingParams params, Random random, IntPredicate excluded) {
        int v = logits.length;
        // most likely first, ties broken by id so the order is deterministic: one primitive sort of
        // (descending logit, id) keys instead of boxed ids and a comparator (this runs once per event and row)
        long[] keys = new long[v];
        int candidates = 0;
        for (int i = 0; i < v; i++) {
            if (!excluded.test(i)) {
                int bits = Float.floatToIntBits(logits[i]);
                bits ^= (bits >> 31) & 0x7fffffff; // ordered as Float.compare orders the floats
                keys[candidates++] = ((long) ~bits << 32) | i;
            }
        }
        if (candidates == 0) {
            throw new IllegalArgumentException("no id to draw: all " + v + " logits are excluded");
        }
        Arrays.sort(keys, 0, candidates);
        int[] order = new int[candidates];
        for (int i = 0; i < candidates; i++) {
            order[i] = (int) keys[i];
        }
        int keep = order.length;
        if (params.topK() > 0) {
            keep = Math.min(keep, params.topK());
        }
        double max = logits[order[0]] / params.temperature();
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            float l = logits[order[i]];
            // StrictMath: Math.exp may differ in the last bit between JVMs, and a draw must not
            p[i] = Float.isNaN(l) ? 0 : StrictMath.exp(l / params.temperature() - max);
            sum += p[i];
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            return order[0];
        }
        if (params.topP() < 1) {
            double cumulative = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                cumulative += p[i] / sum;
                if (cumulative >= params.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
        }
        double r = random.nextDouble() * sum;
        for (int i = 0; i < keep; i++) {
            r -= p[i];
            if (r < 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    /**
     * Continues {@code prompt} by {@code length} tokens, never emitting {@link #UNKNOWN}. Returns only the new
     * tokens. See {@link #generate(LstmInference, int[][], int, SamplingParams[], Supplier)}.
     */
    public static int[] generate(LstmModel model, int[] prompt, int length, SamplingParams params) {
        return generate(model, prompt, length, params, EXCLUDE_UNKNOWN);
    }

    /**
     * Continues {@code prompt} by {@code length} tokens, never emitting an id for which {@code excluded} holds.
     * Returns only the new tokens. See {@link #generate(LstmInference, int[][], int, SamplingParams[], Supplier)}.
     */
    public static int[] generate(LstmModel model, int[] prompt, int length, SamplingParams params,
            IntPredicate excluded) {
        return generate(model, prompt, length, params, grammarExcluding(excluded));
    }

    /** As {@link #generate(LstmModel, int[], int, SamplingParams, IntPredicate)}, drawing what {@code grammar} allows. */
    public static int[] generate(LstmModel model, int[] prompt, int length, SamplingParams params,
            Supplier<EventGrammar> grammar) {
        return generate(LstmInference.of(model), prompt, length, params, grammar);
    }

    /** One prompt continued on {@code net}; see {@link #generate(LstmInference, int[][], int, SamplingParams[], Supplier)}. */
    public static int[] generate(LstmInference net, int[] prompt, int length, SamplingParams params,
            Supplier<EventGrammar> grammar) {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        return generate(net, new int[][] {prompt}, length, new SamplingParams[] {params}, grammar)[0];
    }

    private static Supplier<EventGrammar> grammarExcluding(IntPredicate excluded) {
        if (excluded == null) {
            throw new IllegalArgumentException("excluded must not be null (use EXCLUDE_NONE)");
        }
        return () -> EventGrammar.excluding(excluded);
    }

    /**
     * Continues several prompts together, never emitting {@link #UNKNOWN}. See
     * {@link #generate(LstmInference, int[][], int, SamplingParams[], Supplier)}.
     */
    public static int[][] generate(LstmModel model, int[][] prompts, int length, SamplingParams[] params) {
        return generate(model, prompts, length, params, EXCLUDE_UNKNOWN);
    }

    /** As {@link #generate(LstmInference, int[][], int, SamplingParams[], Supplier)}, excluding ids by a predicate. */
    public static int[][] generate(LstmModel model, int[][] prompts, int length, SamplingParams[] params,
            IntPredicate excluded) {
        return generate(model, prompts, length, params, grammarExcluding(excluded));
    }

    /** On a snapshot of the model's current parameters; see {@link #generate(LstmInference, int[][], int, SamplingParams[], Supplier)}. */
    public static int[][] generate(LstmModel model, int[][] prompts, int length, SamplingParams[] params,
            Supplier<EventGrammar> grammar) {
        return generate(LstmInference.of(model), prompts, length, params, grammar);
    }

    /**
     * Continues each of {@code prompts} by {@code length} tokens, drawn by row {@code i}'s own
     * {@code Random(params[i].seed())} among what its own grammar from {@code grammar} allows (the grammar reads the
     * whole prompt first); returns the new tokens per row.
     *
     * <p>Each row reads the last {@link LstmInference#contextWindow()} tokens of its prompt from zero states, one step
     * per token, and draws its first token from the logits after them; from there the LSTM's states carry over
     * from token to token, so every token is conditioned on all tokens before it (as in Performance RNN's
     * generation) and each costs one step however long the sample grows. The rows step together only to share the
     * reading of the weights: a row's tokens depend on its own prompt, length, parameters and seed alone, the same to
     * the bit whether it runs alone or among others, and on any JVM (see {@link LstmInference}).
     */
    public static int[][] generate(LstmInference net, int[][] prompts, int length, SamplingParams[] params,
            Supplier<EventGrammar> grammar) {
        return generate(net, prompts, length, params, grammar, null);
    }

    /**
     * As {@link #generate(LstmInference, int[][], int, SamplingParams[], Supplier)}, row {@code i} written under
     * {@code controls[i]} (a control vector of the model's space, held at every step, prompt included; null for
     * none). {@code controls} itself may be null: no row has controls.
     */
    public static int[][] generate(LstmInference net, int[][] prompts, int length, SamplingParams[] params,
            Supplier<EventGrammar> grammar, float[][] controls) {
        if (controls != null && controls.length != (prompts == null ? 0 : prompts.length)) {
            throw new IllegalArgumentException("need one control vector (or null) per prompt");
        }
        if (prompts == null || prompts.length == 0) {
            throw new IllegalArgumentException("need at least one prompt");
        }
        if (params == null || params.length != prompts.length) {
            throw new IllegalArgumentException("need one SamplingParams per prompt: " + prompts.length
                    + " prompts, " + (params == null ? 0 : params.length) + " params");
        }
        for (int[] prompt : prompts) {
            if (prompt == null || prompt.length == 0) {
                throw new IllegalArgumentException("prompt must hold at least one token");
            }
            for (int id : prompt) {
                if (id < 0 || id >= net.vocabularySize()) {
                    throw new IllegalArgumentException("prompt token " + id + " outside vocabulary [0, "
                            + net.vocabularySize() + ")");
                }
            }
        }
        for (SamplingParams p : params) {
            if (p == null) {
                throw new IllegalArgumentException("SamplingParams must not be null");
            }
        }
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("length must be in [0, " + MAX_LENGTH + "], got " + length);
        }
        if (grammar == null) {
            throw new IllegalArgumentException("grammar must not be null");
        }
        int rows = prompts.length;
        int[][] out = new int[rows][length];
        if (length == 0) {
            return out;
        }
        int window = net.contextWindow();
        int[][] read = new int[rows][];
        Random[] random = new Random[rows];
        EventGrammar[] grammars = new EventGrammar[rows];
        LstmInference.State[] states = new LstmInference.State[rows];
        for (int r = 0; r < rows; r++) {
            grammars[r] = grammar.get();
            for (int id : prompts[r]) {
                grammars[r].accept(id);
            }
            int[] prompt = prompts[r];
            read[r] = Arrays.copyOfRange(prompt, Math.max(0, prompt.length - window), prompt.length);
            random[r] = new Random(params[r].seed());
            states[r] = net.newState(controls == null ? null : controls[r]);
        }
        int[] fed = new int[rows]; // prompt tokens read so far
        int[] drawn = new int[rows];
        int[] active = new int[rows];
        while (true) {
            int n = 0;
            for (int r = 0; r < rows; r++) {
                if (drawn[r] < length) {
                    active[n++] = r;
                }
            }
            if (n == 0) {
                return out;
            }
            LstmInference.State[] stepping = new LstmInference.State[n];
            int[] tokens = new int[n];
            for (int a = 0; a < n; a++) {
                int r = active[a];
                stepping[a] = states[r];
                tokens[a] = fed[r] < read[r].length ? read[r][fed[r]++] : out[r][drawn[r] - 1];
            }
            float[][] logits = net.step(stepping, tokens);
            for (int a = 0; a < n; a++) {
                int r = active[a];
                if (fed[r] < read[r].length) {
                    continue; // still reading its prompt
                }
                EventGrammar rules = grammars[r];
                rules.shape(logits[a]);
                int id = sample(logits[a], params[r], random[r], i -> !rules.allows(i));
                rules.accept(id);
                out[r][drawn[r]++] = id;
            }
        }
    }
}
