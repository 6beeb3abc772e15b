package org.musicgen.core.model;

import java.util.Arrays;
import java.util.Random;

/**
 * Draws tokens from logits with temperature, top-k and nucleus (top-p) filtering. The unknown token (id
 * {@link #UNKNOWN}) is never emitted. Stateless; all randomness comes from the caller's seeded {@link Random}.
 */
public final class Sampler {
    /** Id of the unknown token. */
    public static final int UNKNOWN = 0;

    private Sampler() {
    }

    /** Draws one token id from {@code logits}. */
    public static int sample(float[] logits, SamplingParams params, Random random) {
        int v = logits.length;
        if (v < 2) {
            throw new IllegalArgumentException("need at least 2 logits, got " + v);
        }
        Integer[] order = new Integer[v - 1];
        for (int i = 1; i < v; i++) {
            order[i - 1] = i;
        }
        // most likely first; ties broken by id so the order is deterministic
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(logits[b], logits[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
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
     * Continues {@code prompt} by {@code length} tokens, reading at most the model's context window. Returns only
     * the new tokens.
     */
    public static int[] generate(LstmModel model, int[] prompt, int length, SamplingParams params) {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        if (length < 0 || length > 100_000) {
            throw new IllegalArgumentException("length must be in [0, 100000], got " + length);
        }
        Random random = new Random(params.seed());
        int window = model.contextWindow();
        int[] all = Arrays.copyOf(prompt, prompt.length + length);
        for (int i = 0; i < length; i++) {
            int end = prompt.length + i;
            int from = Math.max(0, end - window);
            int[] context = Arrays.copyOfRange(all, from, end);
            all[end] = sample(model.logitsNext(context), params, random);
        }
        return Arrays.copyOfRange(all, prompt.length, all.length);
    }
}
