package org.musicgen.testing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer the listening page sends for a trial of {@code GET /api/trials}, whatever its kind: it names the trial
 * (a catch item or a low anchor is accepted only so), gives the three scores for a single clip, and picks the first
 * clip of a pair or a Turing trial.
 */
public final class TrialAnswers {

    private TrialAnswers() {
    }

    /** The JSON body of {@code POST /api/ratings} answering {@code trial}. */
    public static String answer(JsonNode trial) {
        String first = firstSampleId(trial);
        String head = "{\"trialId\":\"" + trial.path("id").asText() + "\",\"sampleId\":\"" + first + "\"";
        return switch (trial.path("kind").asText()) {
            case "single" -> head + ",\"scores\":{\"pleasing\":4,\"humanlike\":3,\"interesting\":5}}";
            case "pair", "turing" -> head + ",\"pairedWith\":\"" + trial.path("samples").path(1).path("id").asText()
                    + "\",\"preferred\":\"" + first + "\"}";
            default -> throw new AssertionError("a trial of unknown kind: " + trial);
        };
    }

    /** The first clip the trial plays: what its answer is stored and announced under. */
    public static String firstSampleId(JsonNode trial) {
        JsonNode id = trial.path("samples").path(0).path("id");
        if (!id.isTextual()) {
            throw new AssertionError("no sample in trial " + trial);
        }
        return id.asText();
    }
}
