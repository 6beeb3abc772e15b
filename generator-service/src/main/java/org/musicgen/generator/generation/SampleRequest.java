package org.musicgen.generator.generation;

/**
 * What a client asks for. Either {@code runId}, or {@code corpusId} + {@code model} for the latest model of that kind
 * trained on the corpus. Absent fields take defaults.
 *
 * @param length       tokens to generate (LSTM), or to keep of the chained sequences (GAN); default: the model's
 *                     sequence length
 * @param seconds      instead of {@code length}: a clip of this many seconds, cut as the listening test's clips are
 *                     (notes released at its end, the audio's last second faded out)
 * @param seed         seed of every random choice (prompt window, sampling, GAN noise); same seed, same MIDI
 * @param temperature  LSTM only: divides the logits, (0, 100]
 * @param topK         LSTM only: keep the k most likely tokens (0 = all)
 * @param topP         LSTM only: nucleus sampling threshold in (0, 1]
 * @param promptLength LSTM only: tokens of a training window used as the seed sequence when no MIDI prompt is given
 * @param sequences    GAN only: how many generated sequences (token GAN) or four-bar phrases (piano-roll GAN) to chain
 */
public record SampleRequest(
        String runId,
        String corpusId,
        String model,
        Integer length,
        Long seed,
        Double temperature,
        Integer topK,
        Double topP,
        Integer promptLength,
        Integer sequences,
        Double seconds) {

    /** A sample of a model's automatic batch: a listening clip of {@code seconds}. */
    public static SampleRequest forClip(String runId, double seconds, long seed) {
        return new SampleRequest(runId, null, null, null, seed, null, null, null, null, null, seconds);
    }
}
