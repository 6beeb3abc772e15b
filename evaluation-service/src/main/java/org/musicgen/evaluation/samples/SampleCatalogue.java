package org.musicgen.evaluation.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.platform.events.SamplesGenerated;
import org.musicgen.platform.storage.JsonRecords;
import org.musicgen.platform.storage.ObjectStore;

import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The samples of the listening test. The durable copy is one JSON object per sample in the {@code ratings} bucket
 * ({@code catalogue/samples/<sampleId>.json}), written before the Kafka offset of its {@code samples.generated}
 * event is committed; memory is a cache of it, rebuilt by {@link #reload()} on start.
 */
@ApplicationScoped
public class SampleCatalogue {

    private static final Logger LOG = Logger.getLogger(SampleCatalogue.class);
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,512}");

    private final ObjectStore store;
    private final JsonRecords<Sample> records;
    private final Map<String, Sample> samples = new ConcurrentHashMap<>();
    private final Clock clock;

    @Inject
    public SampleCatalogue(ObjectStore store, ObjectMapper json) {
        this(store, json, Clock.systemUTC());
    }

    public SampleCatalogue(ObjectStore store, ObjectMapper json, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.records = new JsonRecords<>(store, json, StateLayout.BUCKET, StateLayout.SAMPLES_PREFIX,
                StateLayout.JSON, Sample.class, Sample::sampleId);
    }

    /** Adds what storage holds to memory (samples are never removed); returns the number of samples. */
    public int reload() {
        records.findAll(Comparator.comparing(Sample::registeredAt))
                .forEach(sample -> samples.putIfAbsent(sample.sampleId(), sample));
        return samples.size();
    }

    /**
     * Registers the sample of a {@code samples.generated} event, once: a sample already known (in memory or storage)
     * is left as it is and {@code false} returned. Throws {@link InvalidSampleException} for an event the listening
     * test cannot use (its reason goes to the dead-letter topic). One at a time: the shared consumer and this
     * replica's own view consumer receive the same event at once, and two registrations racing would store one copy
     * and keep the other in memory, each with its own registration time.
     */
    public synchronized boolean register(SamplesGenerated event) {
        validate(event);
        if (samples.containsKey(event.sampleId())) {
            return false;
        }
        Optional<Sample> stored = records.find(event.sampleId());
        if (stored.isPresent()) {
            samples.put(event.sampleId(), stored.get());
            return false;
        }
        if (!store.exists(event.bucket(), event.audioKey())) {
            throw new InvalidSampleException("sample " + event.sampleId() + ": its audio " + event.bucket() + "/"
                    + event.audioKey() + " does not exist in the object store");
        }
        Sample sample = Sample.of(event, clock.instant());
        records.save(sample);
        samples.put(sample.sampleId(), sample);
        return true;
    }

    /** The sample from memory, else from its stored copy (another replica may have registered it first). */
    public Optional<Sample> resolve(String sampleId) {
        Optional<Sample> known = find(sampleId);
        if (known.isPresent() || sampleId == null || !isUuid(sampleId)) {
            return known;
        }
        Optional<Sample> stored = records.find(sampleId);
        stored.ifPresent(sample -> samples.putIfAbsent(sample.sampleId(), sample));
        return stored;
    }

    public Optional<Sample> find(String sampleId) {
        return sampleId == null ? Optional.empty() : Optional.ofNullable(samples.get(sampleId));
    }

    public Collection<Sample> all() {
        return List.copyOf(samples.values());
    }

    public Map<ModelKind, Integer> countByModel() {
        Map<ModelKind, Integer> counts = new EnumMap<>(ModelKind.class);
        for (ModelKind kind : ModelKind.SOURCES) {
            counts.put(kind, 0);
        }
        samples.values().forEach(sample -> counts.merge(sample.kind(), 1, Integer::sum));
        return counts;
    }

    public int size() {
        return samples.size();
    }

    private static void validate(SamplesGenerated event) {
        if (event == null) {
            throw new InvalidSampleException("unreadable samples.generated event (not a SamplesGenerated JSON object)");
        }
        if (event.sampleId() == null || !isUuid(event.sampleId())) {
            throw new InvalidSampleException("samples.generated event without a UUID sampleId (got '"
                    + event.sampleId() + "'): sample ids are shown to raters and must not reveal the model");
        }
        if (ModelKind.fromWire(event.model()).isEmpty()) {
            throw new InvalidSampleException("sample " + event.sampleId() + ": unknown model '" + event.model()
                    + "' (expected lstm, gan, corpus or anchor)");
        }
        if (ModelKind.fromWire(event.model()).orElseThrow() == ModelKind.ANCHOR
                && (event.referenceSampleId() == null || !isUuid(event.referenceSampleId()))) {
            throw new InvalidSampleException("sample " + event.sampleId() + ": a low anchor needs the UUID of the "
                    + "real excerpt it scrambles in referenceSampleId (got '" + event.referenceSampleId() + "')");
        }
        if (event.clipSeconds() != null && !(event.clipSeconds() > 0 && Double.isFinite(event.clipSeconds()))) {
            throw new InvalidSampleException("sample " + event.sampleId() + ": clipSeconds must be a positive number "
                    + "of seconds (got " + event.clipSeconds() + ")");
        }
        if (event.bucket() == null || event.bucket().isBlank()) {
            throw new InvalidSampleException("sample " + event.sampleId() + ": no bucket");
        }
        if (event.audioKey() == null || !SAFE_KEY.matcher(event.audioKey()).matches()) {
            throw new InvalidSampleException("sample " + event.sampleId() + ": no usable audioKey");
        }
        if (event.midiKey() != null && !event.midiKey().isBlank() && !SAFE_KEY.matcher(event.midiKey()).matches()) {
            throw new InvalidSampleException("sample " + event.sampleId() + ": unusable midiKey");
        }
        if (event.pianoRollKey() != null && !event.pianoRollKey().isBlank()
                && !SAFE_KEY.matcher(event.pianoRollKey()).matches()) {
            throw new InvalidSampleException("sample " + event.sampleId() + ": unusable pianoRollKey");
        }
        if (event.metrics() != null && event.metrics().values().stream().anyMatch(v -> v == null || !Double.isFinite(v))) {
            LOG.debugf("sample %s has non-finite metrics; they are ignored in averages", event.sampleId());
        }
    }

    static boolean isUuid(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** An event that cannot enter the listening test; it goes to {@code samples.generated.dlq} with this reason. */
    public static class InvalidSampleException extends RuntimeException {
        public InvalidSampleException(String message) {
            super(message);
        }
    }
}
