package org.musicgen.generator.generation;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
 * @param key          a control (models trained with controls only): a key name such as {@code "D minor"}, or a JSON
 *                     array of 12 non-negative numbers, a pitch-class histogram from C
 * @param notesPerSecond a control: note onsets per second, (0, 100]
 * @param label        a control: one of the model's labels (a composer, a style word)
 * @param likePrompt   take the key and the notes per second of the uploaded MIDI prompt as controls (what is also
 *                     asked by name above wins); with the GAN the prompt serves only this
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
        Double seconds,
        @Schema(description = "A key name such as \"D minor\", or 12 non-negative numbers: a pitch-class histogram "
                + "from C", oneOf = {String.class, double[].class})
        JsonNode key,
        Double notesPerSecond,
        String label,
        Boolean likePrompt) {

    /** A sample of a model's automatic batch: a listening clip of {@code seconds}, no controls. */
    public static SampleRequest forClip(String runId, double seconds, long seed) {
        return new SampleRequest(runId, null, null, null, seed, null, null, null, null, null, seconds, null, null,
                null, null);
    }
}
