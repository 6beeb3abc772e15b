package org.musicgen.ingest.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Corpus records, raw uploads and the fingerprint index, all in the {@code corpora} bucket:
 * {@code records/<id>.json}, {@code uploads/<id>/<n>-<file>}, {@code fingerprints/<sha256>}.
 */
@ApplicationScoped
public class CorpusRepository {

    private static final String RECORDS = "records/";
    private static final Pattern SAFE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

    private final ObjectStore store;
    private final ObjectMapper json;

    public CorpusRepository(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    public void save(Corpus corpus) {
        store.put(Buckets.CORPORA, RECORDS + corpus.id() + ".json", toJson(corpus), "application/json");
    }

    public Optional<Corpus> find(String id) {
        return store.get(Buckets.CORPORA, RECORDS + id + ".json").map(this::fromJson);
    }

    /** Newest first. */
    public List<Corpus> findAll() {
        return store.list(Buckets.CORPORA, RECORDS).stream()
                .filter(key -> key.endsWith(".json"))
                .map(key -> store.get(Buckets.CORPORA, key))
                .flatMap(Optional::stream)
                .map(this::fromJson)
                .sorted(Comparator.comparing(Corpus::createdAt).reversed())
                .toList();
    }

    public String storeUpload(String corpusId, int index, String fileName, byte[] content) {
        String key = "uploads/" + corpusId + "/" + String.format("%03d", index) + "-" + safeName(fileName);
        store.put(Buckets.CORPORA, key, content, "application/octet-stream");
        return key;
    }

    public byte[] loadUpload(String key) {
        return store.get(Buckets.CORPORA, key)
                .orElseThrow(() -> new IllegalStateException("upload " + key + " is missing from the object store"));
    }

    public Optional<String> findIdByFingerprint(String fingerprint) {
        return store.get(Buckets.CORPORA, "fingerprints/" + fingerprint)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    public void indexFingerprint(String fingerprint, String corpusId) {
        store.put(Buckets.CORPORA, "fingerprints/" + fingerprint, corpusId.getBytes(StandardCharsets.UTF_8),
                "text/plain");
    }

    /** The original file name, minus any directories the client sent and characters unsafe in keys. */
    public static String safeName(String fileName) {
        String base = fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        base = SAFE_NAME.matcher(base).replaceAll("_");
        return base.isEmpty() || base.chars().allMatch(c -> c == '.') ? "upload" : base;
    }

    /** The client's file name as stored, recovered from an upload key. */
    public static String fileNameOf(String uploadKey) {
        String last = uploadKey.substring(uploadKey.lastIndexOf('/') + 1);
        return last.substring(last.indexOf('-') + 1);
    }

    private byte[] toJson(Corpus corpus) {
        try {
            return json.writeValueAsBytes(corpus);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise corpus " + corpus.id(), e);
        }
    }

    private Corpus fromJson(byte[] bytes) {
        try {
            return json.readValue(bytes, Corpus.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable corpus record", e);
        }
    }
}
