package org.musicgen.platform.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Records kept as one JSON object each under a prefix of a bucket ({@code <prefix><id><suffix>}): the
 * durable state of a service, so that a restarted instance finds everything where it was.
 */
public final class JsonRecords<T> {

    private static final int READ_ATTEMPTS = 3;

    private final ObjectStore store;
    private final ObjectMapper json;
    private final String bucket;
    private final String prefix;
    private final String suffix;
    private final Class<T> type;
    private final Function<T, String> id;

    public JsonRecords(ObjectStore store, ObjectMapper json, String bucket, String prefix, String suffix,
                       Class<T> type, Function<T, String> id) {
        this.store = store;
        this.json = json;
        this.bucket = bucket;
        this.prefix = prefix;
        this.suffix = suffix;
        this.type = type;
        this.id = id;
    }

    public void save(T record) {
        try {
            store.put(bucket, key(id.apply(record)), json.writeValueAsBytes(record), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + type.getSimpleName() + " " + id.apply(record), e);
        }
    }

    public Optional<T> find(String recordId) {
        String key = key(recordId);
        for (int attempt = 1; ; attempt++) {
            Optional<byte[]> bytes = store.get(bucket, key);
            try {
                return bytes.map(this::fromJson);
            } catch (UncheckedIOException e) {
                // A file-system S3 server (the local stack's) can show an object while it is being rewritten:
                // read it again before calling the record unreadable.
                if (attempt == READ_ATTEMPTS) {
                    throw e;
                }
                pause(50L * attempt);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<T> findAll(Comparator<T> order) {
        return store.list(bucket, prefix).stream()
                .filter(key -> key.endsWith(suffix))
                .map(key -> store.get(bucket, key))
                .flatMap(Optional::stream)
                .map(this::fromJson)
                .sorted(order)
                .toList();
    }

    public String key(String recordId) {
        return prefix + recordId + suffix;
    }

    private T fromJson(byte[] bytes) {
        try {
            return json.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + type.getSimpleName() + " record in " + bucket, e);
        }
    }
}
