package org.musicgen.core.model;

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
 */
public final class Sampler {
    /** Id of the unknown token of the seed vocabulary. */
    public static final int UNKNOWN = 0;

    /** Excludes {@link #UNKNOWN}: what the overloads without a predicate do. */
    public static final IntPredicate EXCLUDE_UNKNOWN = id -> id == UNKNOWN;

    /** Excludes nothing: every id of the vocabulary may be drawn. */
    public static final IntPredicate EXCLUDE_NONE = id -> false;

    private static final int MAX_LENGTH = 100_000;

    private Sampler() {
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
            p[i] = Float.isNaN(l) ? 0 : Math.exp(l / params.temperature() - max);
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
     * tokens. See {@link #generate(LstmModel, int[], int, SamplingParams, IntPredicate)}.
     */
    public static int[] generate(LstmModel model, int[] prompt, int length, SamplingParams params) {
        return generate(model, prompt, length, params, EXCLUDE_UNKNOWN);
    }

    /**
     * Continues {@code prompt} by {@code length} tokens, never emitting an id for which {@code excluded} holds.
     * Returns only the new tokens; the same model, prompt, length and seed give the same tokens.
     *
     * <p>The model reads the prompt's last {@link LstmModel#contextWindow()} tokens once, so the first token is
     * drawn from the logits of {@code model.logitsNext(prompt)} (up to float rounding); from there the LSTM's states carry over from token to token
     * ({@link LstmStepper}) and the context is no longer cut to the window: every token is conditioned on all
     * tokens before it, as in Performance RNN's generation, and each costs one step of the network however long
     * the sample grows.
     */
    public static int[] generate(LstmModel model, int[] prompt, int length, SamplingParams params,
            IntPredicate excluded) {
        return generate(model, prompt, length, params, grammarExcluding(excluded));
    }

    /** As {@link #generate(LstmModel, int[], int, SamplingParams, IntPredicate)}, drawing what {@code grammar} allows. */
    public static int[] generate(LstmModel model, int[] prompt, int length, SamplingParams params,
            Supplier<EventGrammar> grammar) {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        return generate(model, new int[][] {prompt}, length, new SamplingParams[] {params}, grammar)[0];
    }

    private static Supplier<EventGrammar> grammarExcluding(IntPredicate excluded) {
        if (excluded == null) {
            throw new IllegalArgumentException("excluded must not be null (use EXCLUDE_NONE)");
        }
        return () -> EventGrammar.excluding(excluded);
    }

    /**
     * Continues several prompts together, as one batch through the network, never emitting {@link #UNKNOWN}. See
     * {@link #generate(LstmModel, int[][], int, SamplingParams[], IntPredicate)}.
     */
    public static int[][] generate(LstmModel model, int[][] prompts, int length, SamplingParams[] params) {
        return generate(model, prompts, length, params, EXCLUDE_UNKNOWN);
    }

    /**
     * Continues each of {@code prompts} by {@code length} tokens, all rows advancing together as one batch through
     * the network, with row {@code i} drawn by its own {@code Random(params[i].seed())}; returns the new tokens per
     * row. Prompts may differ in length: each is read up to its last {@link LstmModel#contextWindow()} tokens, and a
     * row whose prompt is longer than the shortest reads its remaining prompt tokens while the others already draw.
     * The state carries over as in {@link #generate(LstmModel, int[], int, SamplingParams, IntPredicate)}, which is
     * this method with one row. A row's tokens depend only on its own prompt and seed, though the floating-point
     * sums of a larger batch may differ in the last bits from those of a single row, so a row of a batch and the
     * same prompt and seed alone are each deterministic but may, rarely, draw differently.
     */
    public static int[][] generate(LstmModel model, int[][] prompts, int length, SamplingParams[] params,
            IntPredicate excluded) {
        return generate(model, prompts, length, params, grammarExcluding(excluded));
    }

    /**
     * As {@link #generate(LstmModel, int[][], int, SamplingParams[], IntPredicate)}, each row drawing only what its
     * own grammar from {@code grammar} allows; the grammar reads the row's prompt tokens before the first draw.
     */
    public static int[][] generate(LstmModel model, int[][] prompts, int length, SamplingParams[] params,
            Supplier<EventGrammar> grammar) {
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
        int window = model.contextWindow();
        int[][] read = new int[rows][];
        int shortest = Integer.MAX_VALUE;
        Random[] random = new Random[rows];
        EventGrammar[] grammars = new EventGrammar[rows];
        for (int r = 0; r < rows; r++) {
            grammars[r] = grammar.get();
            for (int id : prompts[r]) {
                grammars[r].accept(id);
            }
            int[] prompt = prompts[r];
            read[r] = Arrays.copyOfRange(prompt, Math.max(0, prompt.length - window), prompt.length);
            shortest = Math.min(shortest, read[r].length);
            random[r] = new Random(params[r].seed());
        }
        int[][] starts = new int[rows][];
        for (int r = 0; r < rows; r++) {
            starts[r] = Arrays.copyOf(read[r], shortest);
        }
        int[] fed = new int[rows]; // prompt tokens read so far
        Arrays.fill(fed, shortest);
        int[] drawn = new int[rows];
        int done = 0;
        int[] next = new int[rows];
        try (LstmStepper stepper = model.stepper(rows)) {
            float[][] logits = stepper.start(starts);
            while (true) {
                for (int r = 0; r < rows; r++) {
                    if (fed[r] < read[r].length) {
                        next[r] = read[r][fed[r]++];
                    } else if (drawn[r] < length) {
                        EventGrammar rules = grammars[r];
                        rules.shape(logits[r]);
                        next[r] = sample(logits[r], params[r], random[r], id -> !rules.allows(id));
                        rules.accept(next[r]);
                        out[r][drawn[r]++] = next[r];
                        if (drawn[r] == length) {
                            done++;
                        }
                    } // else finished: it keeps feeding its last token, whose logits nobody reads
                }
                if (done == rows) {
                    return out;
                }
                logits = stepper.step(next);
            }
        }
    }
}
