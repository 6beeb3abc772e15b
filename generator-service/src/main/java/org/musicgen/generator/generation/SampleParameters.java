package org.musicgen.generator.generation;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The parameters a sample was actually generated with (defaults filled in): with the model's checkpoint, enough to
 * generate the same MIDI again.
 *
 * @param prompt where the LSTM's seed sequence came from: {@code dataset:<sequence>@<offset>} or
 *               {@code midi:<sha-256 of the uploaded file>}; for a real excerpt where it was taken from,
 *               {@code piece:<index>@<seconds>} ({@code anchor:piece:...} for its low anchor)
 * @param length  ids generated (a sample asked in seconds is then cut to a clip of those seconds); for a real excerpt
 *                or a low anchor, the ids of its clip
 * @param seconds seconds of music asked for, if the length was asked that way: the clip's length
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SampleParameters(
        int length,
        long seed,
        Double temperature,
        Integer topK,
        Double topP,
        String prompt,
        Integer promptTokens,
        Integer sequences,
        Double seconds) {

    public SampleParameters withLength(int ids) {
        return new SampleParameters(ids, seed, temperature, topK, topP, prompt, promptTokens, sequences, seconds);
    }

    public SampleParameters withSeconds(Double asked) {
        return new SampleParameters(length, seed, temperature, topK, topP, prompt, promptTokens, sequences, asked);
    }
}
