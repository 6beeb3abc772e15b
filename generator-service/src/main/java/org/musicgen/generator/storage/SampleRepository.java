package org.musicgen.generator.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.musicgen.generator.generation.Sample;
import org.musicgen.platform.events.SampleKeys;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.JsonRecords;
import org.musicgen.platform.storage.ObjectStore;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Samples in the {@code samples} bucket. The metadata object is written last: a sample exists once its
 * {@code sample.json} does, and a failure before that removes the objects already written.
 */
@ApplicationScoped
public class SampleRepository {

    private static final Logger LOG = Logger.getLogger(SampleRepository.class);

    public static final String MIDI_TYPE = "audio/midi";
    public static final String AUDIO_TYPE = "audio/wav";
    public static final String PNG_TYPE = "image/png";

    private final ObjectStore store;
    private final JsonRecords<Sample> records;

    public SampleRepository(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.records = new JsonRecords<>(store, json, Buckets.SAMPLES, "", "/sample.json", Sample.class, Sample::id);
    }

    public void save(Sample sample, RenderedSample rendered) {
        SampleKeys keys = SampleKeys.forSample(sample.id());
        try {
            store.put(keys.bucket(), keys.midi(), rendered.midi(), MIDI_TYPE);
            store.put(keys.bucket(), keys.audio(), rendered.audio(), AUDIO_TYPE);
            store.put(keys.bucket(), keys.pianoRoll(), rendered.pianoRoll(), PNG_TYPE);
            records.save(sample);
        } catch (RuntimeException e) {
            removeQuietly(keys);
            throw e;
        }
    }

    public Optional<Sample> find(String id) {
        return records.find(id);
    }

    /** Newest first. */
    public List<Sample> findAll() {
        return records.findAll(Comparator.comparing(Sample::createdAt).reversed());
    }

    public Optional<byte[]> object(String bucket, String key) {
        return store.get(bucket, key);
    }

    private void removeQuietly(SampleKeys keys) {
        for (String key : List.of(keys.midi(), keys.audio(), keys.pianoRoll(), keys.metadata())) {
            try {
                store.delete(keys.bucket(), key);
            } catch (RuntimeException e) {
                LOG.warnf("could not remove %s/%s after a failed save: %s", keys.bucket(), key, e.getMessage());
            }
        }
    }

    /** The three renderings of one sample. */
    public record RenderedSample(byte[] midi, byte[] audio, byte[] pianoRoll) {
    }
}
