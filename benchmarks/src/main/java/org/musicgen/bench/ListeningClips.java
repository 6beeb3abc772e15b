package org.musicgen.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.AudioRenderer;
import org.musicgen.core.render.PianoRollRenderer;
import org.musicgen.localstack.LocalStack;
import org.musicgen.platform.events.SampleKeys;
import org.musicgen.platform.events.SamplesGenerated;
import org.musicgen.platform.events.Topics;
import org.musicgen.testing.TestObjects;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A listening test planted on the local stack as the evaluation tests plant one: for every sample its MIDI, audio
 * (WAV, rendered from the MIDI by music-core's renderer) and piano roll in the samples bucket, then its
 * {@code samples.generated} event. Every clip has the same length; each low anchor names the real excerpt it stands
 * beside ({@code referenceSampleId}), so series get catch trials.
 */
final class ListeningClips {

    private static final ObjectMapper EVENTS = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final int TICKS_PER_BEAT = 480;

    private ListeningClips() {
    }

    /** How many samples of each source, and the clip length all of them are cut to. */
    record Plan(int lstm, int gan, int corpus, int anchors, double clipSeconds) {

        Plan {
            if (anchors > corpus) {
                throw new IllegalArgumentException("each anchor needs its own real excerpt: " + anchors
                        + " anchors, " + corpus + " excerpts");
            }
        }

        int total() {
            return lstm + gan + corpus + anchors;
        }
    }

    /** Plants the samples; returns their ids by model (lstm, gan, corpus, anchor), in order of announcement. */
    static Map<String, List<String>> plant(LocalStack stack, Plan plan, long seed) {
        TestObjects objects = TestObjects.of(stack);
        AudioRenderer audio = new AudioRenderer(22_050, 1, 0.2, plan.clipSeconds() + 1, List.of());
        PianoRollRenderer rolls = new PianoRollRenderer();
        Random random = new Random(seed);
        Map<String, List<String>> ids = new LinkedHashMap<>();
        for (String model : List.of("lstm", "gan", "corpus")) {
            int count = model.equals("lstm") ? plan.lstm() : model.equals("gan") ? plan.gan() : plan.corpus();
            List<String> planted = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                planted.add(plantOne(stack, objects, audio, rolls, model, clip(random, plan.clipSeconds()),
                        plan.clipSeconds(), null));
            }
            ids.put(model, planted);
        }
        List<String> anchors = new ArrayList<>();
        for (int i = 0; i < plan.anchors(); i++) {
            anchors.add(plantOne(stack, objects, audio, rolls, "anchor", clip(random, plan.clipSeconds()),
                    plan.clipSeconds(), ids.get("corpus").get(i)));
        }
        ids.put("anchor", anchors);
        return ids;
    }

    /** Half-second notes (120 bpm) filling the clip: a small random melody. */
    private static Score clip(Random random, double clipSeconds) {
        List<Note> notes = new ArrayList<>();
        int count = (int) Math.round(clipSeconds * 2);
        int pitch = 60 + random.nextInt(12);
        for (int i = 0; i < count; i++) {
            pitch = Math.max(48, Math.min(84, pitch + random.nextInt(7) - 3));
            notes.add(new Note(pitch, 70 + random.nextInt(30), 0, (long) i * TICKS_PER_BEAT, TICKS_PER_BEAT,
                    i * 0.5, 0.5));
        }
        return new Score(TICKS_PER_BEAT, notes);
    }

    private static String plantOne(LocalStack stack, TestObjects objects, AudioRenderer audio,
                                   PianoRollRenderer rolls, String model, Score score, double clipSeconds,
                                   String referenceSampleId) {
        String id = UUID.randomUUID().toString();
        SampleKeys keys = SampleKeys.forSample(id);
        objects.put(keys.bucket(), keys.midi(), new MidiWriter().write(score));
        objects.put(keys.bucket(), keys.audio(), audio.render(score));
        objects.put(keys.bucket(), keys.pianoRoll(), rolls.png(score));
        SamplesGenerated event = SamplesGenerated.of(id, "run-" + model, "corpus-rater-load", model, keys,
                "performance", score.notes().size() * 3, score.notes().size(), score.lengthSeconds(), Map.of(),
                Instant.now()).asClip(clipSeconds, referenceSampleId);
        try {
            stack.topics().send(Topics.SAMPLES_GENERATED, id, EVENTS.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }
}
