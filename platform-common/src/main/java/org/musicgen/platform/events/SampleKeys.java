package org.musicgen.platform.events;

import org.musicgen.platform.storage.Buckets;

/**
 * Where a sample's objects live in the {@code samples} bucket: the one definition the generator (writer) and the
 * evaluation service (reader) share.
 */
public record SampleKeys(String bucket, String midi, String audio, String pianoRoll, String metadata) {

    public static SampleKeys forSample(String sampleId) {
        return new SampleKeys(Buckets.SAMPLES,
                sampleId + "/sample.mid",
                sampleId + "/sample.wav",
                sampleId + "/pianoroll.png",
                sampleId + "/sample.json");
    }
}
