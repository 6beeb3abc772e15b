package org.musicgen.ingest.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.musicgen.core.dataset.CorpusBuilder;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.dataset.CorpusOptions;
import org.musicgen.core.dataset.FileOutcome;
import org.musicgen.core.dataset.NotesCodec;
import org.musicgen.core.dataset.SequenceCodec;
import org.musicgen.core.dataset.SourceFile;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.ingest.messaging.CorpusEventPublisher;
import org.musicgen.ingest.upload.ArchiveExpander;
import org.musicgen.ingest.upload.CorpusEntry;
import org.musicgen.ingest.upload.UnsafeUploadException;
import org.musicgen.ingest.upload.UploadedFile;
import org.musicgen.platform.events.CorpusIngested;
import org.musicgen.platform.events.DatasetKeys;
import org.musicgen.platform.messaging.KeyedSend;
import org.musicgen.platform.storage.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The ingestion flow. A submission is stored raw and recorded as PROCESSING before the client gets its
 * 202; parsing, segmentation, the dataset and the event follow on a worker. The dataset is written
 * before the event is sent and the record turns READY only after the broker acknowledged it, so a crash
 * at any point leaves a PROCESSING record that is resumed at the next start (the event id is derived
 * from the corpus id, so a re-sent event is recognisable downstream).
 */
@ApplicationScoped
public class IngestionService {

    private static final Logger LOG = Logger.getLogger(IngestionService.class);

    private final CorpusRepository corpora;
    private final ObjectStore store;
    private final CorpusEventPublisher events;
    private final IngestConfig config;
    private final MeterRegistry metrics;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService workers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "corpus-ingestion");
        thread.setDaemon(true);
        return thread;
    });

    public IngestionService(CorpusRepository corpora, ObjectStore store, CorpusEventPublisher events,
                            IngestConfig config, MeterRegistry metrics, ObjectMapper json) {
        this.corpora = corpora;
        this.store = store;
        this.events = events;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        try {
            config.corpusOptions(null, null);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid musicgen.ingest settings: " + e.getMessage(), e);
        }
    }

    public record Submission(Corpus corpus, boolean alreadyKnown) {
    }

    /**
     * The settings a corpus would be processed with: the upload's choices, the configured defaults for the rest.
     *
     * @param encoding    {@code performance}, {@code seed}, or null for the configured default
     * @param windowNotes notes' worth of events per training window, or null for the configured default
     * @throws IllegalArgumentException naming what is wrong and what is accepted
     */
    public CorpusOptions options(String encoding, Integer windowNotes) {
        return config.corpusOptions(encoding == null ? null : Encodings.checkName(encoding), windowNotes);
    }

    /**
     * Stores the uploads and schedules processing. Unsafe archives and unknown settings are refused before
     * anything is stored; an upload identical to an earlier one, with the same settings, returns the earlier corpus.
     *
     * @param encoding    as for {@link #options}
     * @param windowNotes as for {@link #options}
     */
    public synchronized Submission submit(String name, List<UploadedFile> uploads, String encoding,
                                          Integer windowNotes) throws UnsafeUploadException {
        String chosenEncoding = options(encoding, windowNotes).encoding();
        List<CorpusEntry> entries = expander().expand(uploads);
        String fingerprint = fingerprint(uploads, chosenEncoding, windowNotes);
        var known = corpora.findIdByFingerprint(fingerprint).flatMap(corpora::find);
        if (known.isPresent()) {
            metrics.counter("musicgen.ingest.uploads", "outcome", "duplicate").increment();
            return new Submission(known.get(), true);
        }
        String id = UUID.randomUUID().toString();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            keys.add(corpora.storeUpload(id, i, uploads.get(i).name(), uploads.get(i).content()));
        }
        Corpus corpus = Corpus.processing(id, name, fingerprint, keys, chosenEncoding, windowNotes, clock.instant());
        corpora.save(corpus);
        corpora.indexFingerprint(fingerprint, id);
        metrics.counter("musicgen.ingest.uploads", "outcome", "accepted").increment();
        LOG.infof("corpus %s '%s': %d upload(s), %d candidate file(s) stored, encoding %s, processing", id, name,
                uploads.size(), entries.size(), chosenEncoding);
        workers.submit(() -> processWithRetries(corpus, entries));
        return new Submission(corpus, false);
    }

    void resumeUnfinished(@Observes StartupEvent startup) {
        workers.submit(() -> {
            try {
                for (Corpus corpus : corpora.findAll()) {
                    if (corpus.status() == CorpusStatus.PROCESSING) {
                        LOG.infof("corpus %s was interrupted while processing; resuming", corpus.id());
                        processWithRetries(corpus, reload(corpus));
                    }
                }
            } catch (RuntimeException | UnsafeUploadException e) {
                LOG.warnf("could not resume unfinished corpora (they stay PROCESSING until the next start): %s",
                        e.getMessage());
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    private List<CorpusEntry> reload(Corpus corpus) throws UnsafeUploadException {
        List<UploadedFile> uploads = corpus.uploadKeys().stream()
                .map(key -> new UploadedFile(CorpusRepository.fileNameOf(key), corpora.loadUpload(key)))
                .toList();
        return expander().expand(uploads);
    }

    private void processWithRetries(Corpus corpus, List<CorpusEntry> entries) {
        long pauseMillis = 500;
        for (int attempt = 1; attempt <= config.processingAttempts(); attempt++) {
            try {
                process(corpus, entries);
                return;
            } catch (RuntimeException | KeyedSend.EventNotSentException e) {
                LOG.warnf("corpus %s: attempt %d/%d failed: %s", corpus.id(), attempt, config.processingAttempts(),
                        e.getMessage());
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pauseMillis = Math.min(pauseMillis * 2, 30_000);
        }
        LOG.errorf("corpus %s stays PROCESSING after %d attempts; it resumes at the next start", corpus.id(),
                config.processingAttempts());
    }

    private void process(Corpus corpus, List<CorpusEntry> entries) throws KeyedSend.EventNotSentException {
        long started = System.nanoTime();
        CorpusOptions options = options(corpus.encoding(), corpus.windowNotes());
        CorpusBuilder builder = new CorpusBuilder(options);
        List<Corpus.RejectedFile> rejected = new ArrayList<>();
        long lastLog = started;
        for (int i = 0; i < entries.size(); i++) {
            CorpusEntry entry = entries.get(i);
            if (!entry.hasMidiExtension()) {
                rejected.add(new Corpus.RejectedFile(entry.path(),
                        "unsupported file type: only .mid, .midi and .zip files are accepted"));
                continue;
            }
            FileOutcome outcome = builder.add(entry.path(), entry.content());
            if (!outcome.accepted()) {
                rejected.add(new Corpus.RejectedFile(entry.path(), outcome.reason()));
            }
            long now = System.nanoTime();
            if (now - lastLog > TimeUnit.SECONDS.toNanos(5)) {
                lastLog = now;
                double seconds = (now - started) / 1e9;
                double rate = (i + 1) / seconds;
                LOG.infof("corpus %s: %d/%d files parsed (%.1f files/s, about %.0f s left)", corpus.id(), i + 1,
                        entries.size(), rate, (entries.size() - i - 1) / rate);
            }
        }
        int acceptedCount = entries.size() - rejected.size();
        if (acceptedCount == 0) {
            Corpus failed = corpus.failed(rejected, Corpus.Counts.rejectedOnly(entries.size(), rejected.size()),
                    "no valid MIDI file in the corpus; see the rejected files for each reason", clock.instant());
            corpora.save(failed);
            metrics.counter("musicgen.ingest.corpora", "status", "failed", "encoding", options.encoding()).increment();
            LOG.infof("corpus %s FAILED: none of its %d file(s) is usable", corpus.id(), entries.size());
            return;
        }
        CorpusDataset dataset = builder.build();
        Encoding encoding = dataset.encoding();
        DatasetKeys keys = DatasetKeys.forCorpus(corpus.id());
        store.put(keys.bucket(), keys.sequences(), SequenceCodec.encode(dataset.sequences()),
                "application/octet-stream");
        store.put(keys.bucket(), keys.vocabulary(), encoding.toBytes(), "text/tab-separated-values");
        store.put(keys.bucket(), keys.notes(), NotesCodec.encode(dataset.pieces()), "application/octet-stream");
        List<Corpus.AcceptedFile> accepted = dataset.sources().stream()
                .map(s -> new Corpus.AcceptedFile(s.fileName(), s.sha256(), s.notes(), s.tokens(), s.unknown(),
                        s.sequences()))
                .toList();
        long notes = dataset.sources().stream().mapToLong(SourceFile::notes).sum();
        long eventCount = dataset.sources().stream().mapToLong(SourceFile::tokens).sum();
        long unknown = dataset.sources().stream().mapToLong(SourceFile::unknown).sum();
        int length = dataset.sequences().sequenceLength();
        Corpus.Counts counts = new Corpus.Counts(entries.size(), accepted.size(), rejected.size(), notes, eventCount,
                unknown, dataset.unknownShare(), dataset.sequences().sequences().size(), length,
                options.strideFor(length), eventCount == 0 ? 0 : round1((double) length * notes / eventCount),
                encoding.size());
        store.put(keys.bucket(), keys.manifest(), manifest(corpus, encoding.name(), options, accepted, rejected,
                counts, keys), "application/json");

        events.publish(CorpusIngested.of(corpus.id(), corpus.name(), keys, encoding.name(), counts.sequenceLength(),
                counts.sequences(), counts.vocabularySize(), clock.instant()), config.publishTimeout());
        corpora.save(corpus.ready(accepted, rejected, counts, keys, clock.instant()));
        metrics.counter("musicgen.ingest.corpora", "status", "ready", "encoding", encoding.name()).increment();
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.infof("corpus %s READY: %d/%d files, %d notes, encoding %s: %d events (%.1f %% unknown), %d windows of "
                        + "%d events (about %.0f notes), vocabulary %d, in %.1f s (%.0f notes/s)",
                corpus.id(), accepted.size(), entries.size(), counts.notes(), encoding.name(), counts.events(),
                100 * counts.unknownShare(), counts.sequences(), counts.sequenceLength(), counts.notesPerWindow(),
                counts.vocabularySize(), seconds, counts.notes() / Math.max(seconds, 1e-9));
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private byte[] manifest(Corpus corpus, String encoding, CorpusOptions options,
                            List<Corpus.AcceptedFile> accepted, List<Corpus.RejectedFile> rejected,
                            Corpus.Counts counts, DatasetKeys keys) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("corpusId", corpus.id());
        manifest.put("name", corpus.name());
        manifest.put("encoding", encoding);
        manifest.put("windowNotes", options.windowNotes());
        manifest.put("sequenceLength", counts.sequenceLength());
        manifest.put("stride", counts.stride());
        manifest.put("notesPerWindow", counts.notesPerWindow());
        manifest.put("vocabularySize", counts.vocabularySize());
        manifest.put("unknownShare", counts.unknownShare());
        manifest.put("options", options);
        manifest.put("counts", counts);
        manifest.put("dataset", keys);
        manifest.put("files", accepted);
        manifest.put("rejectedFiles", rejected);
        try {
            return json.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the manifest of corpus " + corpus.id(), e);
        }
    }

    private ArchiveExpander expander() {
        return new ArchiveExpander(config.maxExpandedSize().asLongValue(), config.maxArchiveEntries());
    }

    /**
     * SHA-256 over the sorted checksums of the uploads and the chosen settings: an identical re-send, in any
     * order and under any corpus name, with the same encoding and window, maps to the same corpus; the same
     * files in another encoding make another dataset.
     */
    static String fingerprint(List<UploadedFile> uploads, String encoding, Integer windowNotes) {
        try {
            List<String> digests = new ArrayList<>();
            for (UploadedFile upload : uploads) {
                digests.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload.content())));
            }
            digests.sort(null);
            MessageDigest all = MessageDigest.getInstance("SHA-256");
            digests.forEach(d -> all.update(d.getBytes(StandardCharsets.US_ASCII)));
            all.update(("|encoding=" + encoding + "|windowNotes=" + (windowNotes == null ? "default" : windowNotes))
                    .getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(all.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
