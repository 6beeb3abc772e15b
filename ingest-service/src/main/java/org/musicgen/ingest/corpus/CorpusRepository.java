package org.musicgen.ingest.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.JsonRecords;
import org.musicgen.platform.storage.ObjectStore;

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

    private static final Pattern SAFE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

    private final ObjectStore store;
    private final JsonRecords<Corpus> records;

    public CorpusRepository(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.records = new JsonRecords<>(store, json, Buckets.CORPORA, "records/", ".json", Corpus.class, Corpus::id);
    }

    public void save(Corpus corpus) {
        records.save(corpus);
    }

    public Optional<Corpus> find(String id) {
        return records.find(id);
    }

    /** Newest first. */
    public List<Corpus> findAll() {
        return records.findAll(Comparator.comparing(Corpus::createdAt).reversed());
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
}
