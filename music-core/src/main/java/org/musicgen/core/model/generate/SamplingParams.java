package org.musicgen.core.model.generate;

/**
 * How to draw a token from logits.
 *
 * @param temperature divides the logits; must be &gt; 0 (use topK = 1 for greedy decoding)
 * @param topK keep only the k most likely tokens, 0 = no limit
 * @param topP keep the smallest set of most likely tokens whose probability reaches p, in (0, 1]; 1 = no limit
 * @param seed seed of the random draws: the same seed, model and prompt give the same tokens
 */
public record SamplingParams(double temperature, int topK, double topP, long seed) {
    public SamplingParams {
        if (!(temperature > 0 && temperature <= 100)) {
            throw new IllegalArgumentException("temperature must be in (0, 100], got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = no limit), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
    }

    public static SamplingParams defaults(long seed) {
        return new SamplingParams(1.0, 0, 1.0, seed);
    }

    public SamplingParams withSeed(long newSeed) {
        return new SamplingParams(temperature, topK, topP, newSeed);
    }
}
