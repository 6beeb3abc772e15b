package org.musicgen.generator.generation;

import com.fasterxml.jackson.databind.JsonNode;
import org.musicgen.core.control.ControlSpace;
import org.musicgen.core.control.Controls;
import org.musicgen.core.control.MusicalKey;
import org.musicgen.core.midi.Score;
import org.musicgen.platform.events.ControlValues;
import org.musicgen.platform.rest.ProblemException;

import java.util.Arrays;
import java.util.Optional;

/**
 * The controls a request asks for, read and checked before anything is generated: each value refused by its name
 * when it cannot be read, then the whole refused when the model cannot follow it (trained without controls, or an
 * unknown label).
 */
final class AskedControls {

    private AskedControls() {
    }

    /**
     * The controls of {@code request}: those of {@code prompt} when it asks {@code likePrompt}, with what it names
     * itself ({@code key}, {@code notesPerSecond}, {@code label}) in their place; {@link Controls#none()} when none.
     */
    static Controls read(SampleRequest request, Score prompt) {
        Controls asked = Controls.none();
        if (Boolean.TRUE.equals(request.likePrompt())) {
            if (prompt == null) {
                throw ProblemException.badRequest("likePrompt takes the controls of an uploaded MIDI prompt: send "
                        + "the request as multipart with a 'prompt' part");
            }
            // the prompt's key and density; a label is not measured, so none is taken from it
            asked = Controls.of(prompt);
        }
        JsonNode key = request.key();
        if (key != null && !key.isNull()) {
            asked = withKey(asked, key);
        }
        if (request.notesPerSecond() != null) {
            try {
                asked = asked.withNotesPerSecond(request.notesPerSecond());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest(e.getMessage());
            }
        }
        if (request.label() != null) {
            if (request.label().isBlank()) {
                throw ProblemException.badRequest("label must name one of the model's labels, got a blank one");
            }
            asked = asked.withLabel(request.label());
        }
        return asked;
    }

    private static Controls withKey(Controls asked, JsonNode key) {
        if (key.isTextual()) {
            try {
                return asked.withKey(MusicalKey.parse(key.asText()));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("key: " + e.getMessage());
            }
        }
        if (key.isArray()) {
            double[] histogram = new double[key.size()];
            for (int i = 0; i < key.size(); i++) {
                if (!key.get(i).isNumber()) {
                    throw ProblemException.badRequest("key: a pitch-class histogram holds 12 numbers, got "
                            + key.get(i) + " at position " + i);
                }
                histogram[i] = key.get(i).asDouble();
            }
            try {
                return new Controls(histogram, asked.notesPerSecond(), asked.label());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("key: " + e.getMessage());
            }
        }
        throw ProblemException.badRequest("key must be a key name such as 'D minor' or an array of 12 non-negative "
                + "numbers (a pitch-class histogram from C), got " + key);
    }

    /**
     * The vector {@code model} reads the asked controls as; null when none are asked. Refused when the model was
     * trained without controls, or a label it does not know is asked (the known ones listed).
     */
    static float[] vector(Controls asked, Optional<ControlSpace> space, String runId, String model) {
        if (asked.isEmpty()) {
            return null;
        }
        ControlSpace controls = space.orElseThrow(() -> ProblemException.badRequest("the " + model + " model of run '"
                + runId + "' was trained without controls: it cannot be asked for a key, notesPerSecond, a label or "
                + "likePrompt (GET /api/models tells which models take controls)"));
        try {
            return controls.vector(asked);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    /** The controls as stored and announced; null for none. */
    static ControlValues values(Controls controls) {
        if (controls == null || controls.isEmpty()) {
            return null;
        }
        double[] pcs = controls.pitchClasses();
        MusicalKey key = controls.key();
        return new ControlValues(key == null ? null : key.displayName(),
                pcs == null ? null : Arrays.stream(pcs).map(AskedControls::rounded).boxed().toList(),
                controls.notesPerSecond() == null ? null : rounded(controls.notesPerSecond()), controls.label());
    }

    /** Four decimals: finer than any listener or key finder tells apart, and readable JSON. */
    private static double rounded(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
