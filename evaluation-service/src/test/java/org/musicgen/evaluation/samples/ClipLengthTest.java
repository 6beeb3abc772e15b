package org.musicgen.evaluation.samples;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClipLengthTest {

    @Test
    void theExperimentsLengthIsTheConfiguredOneElseTheMostCommon() {
        List<Sample> samples = List.of(clip(20.0, 20.1), clip(20.0, 19.8), clip(30.0, 30.0), legacy(12.0));
        assertEquals(Optional.of(20.0), ClipLength.of(samples, Optional.empty()));
        assertEquals(Optional.of(30.0), ClipLength.of(samples, Optional.of(30.0)));
        // of two equally common lengths, the longer
        assertEquals(Optional.of(30.0), ClipLength.of(List.of(clip(20.0, 20), clip(30.0, 30)), Optional.empty()));
        assertEquals(Optional.empty(), ClipLength.of(List.of(legacy(12.0)), Optional.empty()));
    }

    @Test
    void onlyClipsOfThatLengthWhichFillItArePlayable() {
        Sample full = clip(20.0, 20.0);
        Sample withinMargin = clip(20.0, 19.5);
        Sample tooShort = clip(20.0, 19.4);
        Sample otherLength = clip(30.0, 30.0);
        Sample older = legacy(25.0);
        List<Sample> all = List.of(full, withinMargin, tooShort, otherLength, older);
        assertEquals(List.of(full, withinMargin), ClipLength.playable(all, Optional.empty()));
        assertEquals(List.of(otherLength), ClipLength.playable(all, Optional.of(30.0)));
        // a catalogue of older samples only: all of them, as before clips existed
        assertEquals(List.of(older), ClipLength.playable(List.of(older), Optional.of(30.0)));
    }

    private static Sample clip(double clip, double duration) {
        return sample(clip, duration);
    }

    private static Sample legacy(double duration) {
        return sample(null, duration);
    }

    private static Sample sample(Double clip, double duration) {
        String id = UUID.randomUUID().toString();
        return new Sample(id, "run", "corpus", "lstm", "samples", null, id + ".wav", null, null, "performance", 10, 5,
                duration, Map.of(), Instant.now(), Instant.now(), clip, null);
    }
}
