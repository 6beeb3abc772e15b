package org.musicgen.ingest.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.musicgen.core.dataset.Checksums;
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
import org.musicgen.ingest.upload.UnsafeUploadException;
import org.musicgen.ingest.upload.UploadLabels;
import org.musicgen.ingest.upload.UploadedFile;
import org.musicgen.platform.events.CorpusIngested;
import org.musicgen.platform.events.DatasetKeys;
import org.musicgen.platform.events.DatasetManifest;
import org.musicgen.platform.messaging.KeyedSend;
import org.musicgen.platform.messaging.TransientRetry;
import org.musicgen.platform.storage.ObjectStore;
import org.musicgen.platform.storage.ObjectStoreUnavailableException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
     * @param encoding    {@code performance}, {@code performance-drums}, {@code seed}, or null for the configured default
     * @param windowNotes notes' worth of events per training window, or null for the configured default
     * @throws IllegalArgumentException naming what is wrong and what is accepted
     */
    public CorpusOptions options(String encoding, Integer windowNotes) {
        return config.corpusOptions(encoding == null ? null : Encodings.checkName(encoding), windowNotes);
    }

    /**
     * Stores the uploads and schedules processing. Unsafe archives, a malformed metadata.csv and unknown settings
     * are refused before anything is stored; an upload identical to an earlier one, with the same settings, returns the earlier corpus.
     *
     * @param encoding    as for {@link #options}
     * @param windowNotes as for {@link #options}
     */
    public synchronized Submission submit(String name, List<UploadedFile> uploads, String encoding,
                                          Integer windowNotes) throws UnsafeUploadException {
        String chosenEncoding = options(encoding, windowNotes).encoding();
        ArchiveExpander.Inventory inventory = expander().check(uploads);
        UploadLabels labels = UploadLabels.of(inventory);
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
        Corpus corpus = Corpus.processing(id, name, fingerprint, keys, chosenEncoding, windowNotes, labels.source(),
                labels.warnings(), clock.instant());
        corpora.save(corpus);
        corpora.indexFingerprint(fingerprint, id);
        metrics.counter("musicgen.ingest.uploads", "outcome", "accepted").increment();
        LOG.infof("corpus %s '%s': %d upload(s), %d candidate file(s) stored, encoding %s, labels from %s, processing",
                id, name, uploads.size(), inventory.files(), chosenEncoding, labels.source());
        workers.submit(() -> processWithRetries(corpus));
        return new Submission(corpus, false);
    }

    void resumeUnfinished(@Observes StartupEvent startup) {
        workers.submit(() -> {
            try {
                for (Corpus corpus : corpora.findAll()) {
                    if (corpus.status() == CorpusStatus.PROCESSING) {
                        LOG.infof("corpus %s was interrupted while processing; resuming", corpus.id());
                        processWithRetries(corpus);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not resume unfinished corpora (they stay PROCESSING until the next start): %s",
                        e.getMessage());
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * Processes the corpus from its stored uploads, retrying while the object store or the broker is away
     * ({@link TransientRetry}); a corpus that cannot finish stays PROCESSING and resumes at the next start.
     */
    private void processWithRetries(Corpus corpus) {
        try {
            TransientRetry.run("corpus " + corpus.id(), config.processingPatience(), () -> process(corpus));
        } catch (ObjectStoreUnavailableException | KeyedSend.EventNotSentException e) {
            LOG.errorf("corpus %s stays PROCESSING (%s); it resumes at the next start", corpus.id(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "corpus %s stays PROCESSING after an unexpected error; it resumes at the next start",
                    corpus.id());
        }
    }

    /** Streams the corpus's stored uploads, one file in memory at a time, into its dataset. */
    private void process(Corpus corpus) throws KeyedSend.EventNotSentException {
        long started = System.nanoTime();
        CorpusOptions options = options(corpus.encoding(), corpus.windowNotes());
        List<UploadedFile> uploads = corpus.uploadKeys().stream()
                .map(key -> new UploadedFile(CorpusRepository.fileNameOf(key), corpora.loadUpload(key)))
                .toList();
        CorpusBuilder builder = new CorpusBuilder(options);
        List<Corpus.RejectedFile> rejected = new ArrayList<>();
        int[] parsed = {0};
        long[] lastLog = {started};
        UploadLabels labels;
        try {
            ArchiveExpander expander = expander();
            // a counting pass for the progress log's total and the labels, known before the first piece is added;
            // inflating costs little next to parsing the MIDI
            ArchiveExpander.Inventory inventory = expander.check(uploads);
            labels = UploadLabels.of(inventory);
            int expected = inventory.files() - inventory.metadata().size();
            expander.forEach(uploads, entry -> {
                if (entry.isMetadata()) {
                    return; // read above: it labels the pieces, it is not one
                }
                parsed[0]++;
                if (!entry.hasMidiExtension()) {
                    rejected.add(new Corpus.RejectedFile(entry.path(),
                            "unsupported file type: only .mid, .midi and .zip files are accepted"));
                } else {
                    FileOutcome outcome = builder.add(entry.path(), entry.content(), labels.labelOf(entry.path()));
                    if (!outcome.accepted()) {
                        rejected.add(new Corpus.RejectedFile(entry.path(), outcome.reason()));
                    }
                }
                long now = System.nanoTime();
                if (now - lastLog[0] > TimeUnit.SECONDS.toNanos(5)) {
                    lastLog[0] = now;
                    double rate = parsed[0] / ((now - started) / 1e9);
                    LOG.infof("corpus %s: %d/%d files parsed (%.1f files/s, about %.0f s left)", corpus.id(),
                            parsed[0], expected, rate, (expected - parsed[0]) / rate);
                }
            });
        } catch (UnsafeUploadException e) {
            // stored under other limits than today's: say so rather than retry forever
            fail(corpus, List.of(), Corpus.Counts.rejectedOnly(0, 0), options, e.getMessage());
            return;
        }
        int total = parsed[0];
        int acceptedCount = total - rejected.size();
        if (acceptedCount == 0) {
            fail(corpus, rejected, Corpus.Counts.rejectedOnly(total, rejected.size()), options,
                    "no valid MIDI file in the corpus; see the rejected files for each reason");
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
                        s.sequences(), s.label(), s.drumHits(), s.instruments()))
                .toList();
        List<DatasetManifest.LabelCount> labelCounts = DatasetManifest.labelCounts(dataset.labelCounts());
        long notes = dataset.sources().stream().mapToLong(SourceFile::notes).sum();
        long drumHits = dataset.sources().stream().mapToLong(SourceFile::drumHits).sum();
        long eventCount = dataset.sources().stream().mapToLong(SourceFile::tokens).sum();
        long unknown = dataset.sources().stream().mapToLong(SourceFile::unknown).sum();
        int length = dataset.sequences().sequenceLength();
        Corpus.Counts counts = new Corpus.Counts(total, accepted.size(), rejected.size(), notes, eventCount,
                unknown, dataset.unknownShare(), dataset.sequences().sequences().size(), length,
                options.strideFor(length), eventCount == 0 ? 0 : round1((double) length * (notes + drumHits) / eventCount),
                encoding.size(), drumHits);
        store.put(keys.bucket(), keys.manifest(), manifest(corpus, encoding.name(), options, accepted, rejected,
                counts, keys, labels.source(), labelCounts), "application/json");

        events.publish(CorpusIngested.of(corpus.id(), corpus.name(), keys, encoding.name(), counts.sequenceLength(),
                counts.sequences(), counts.vocabularySize(), clock.instant()), config.publishTimeout());
        corpora.save(corpus.ready(accepted, rejected, counts, keys, labels.source(), labelCounts, labels.warnings(),
                clock.instant()));
        metrics.counter("musicgen.ingest.corpora", "status", "ready", "encoding", encoding.name()).increment();
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.infof("corpus %s READY: %d/%d files, %d notes, %d drum hits, encoding %s: %d events (%.1f %% unknown), "
                        + "%d windows of %d events (about %.0f notes), vocabulary %d, in %.1f s (%.0f notes/s)",
                corpus.id(), accepted.size(), total, counts.notes(), counts.drumHits(), encoding.name(), counts.events(),
                100 * counts.unknownShare(), counts.sequences(), counts.sequenceLength(), counts.notesPerWindow(),
                counts.vocabularySize(), seconds, counts.notes() / Math.max(seconds, 1e-9));
    }

    private void fail(Corpus corpus, List<Corpus.RejectedFile> rejected, Corpus.Counts counts, CorpusOptions options,
                      String reason) {
        corpora.save(corpus.failed(rejected, counts, reason, clock.instant()));
        metrics.counter("musicgen.ingest.corpora", "status", "failed", "encoding", options.encoding()).increment();
        LOG.infof("corpus %s FAILED: %s", corpus.id(), reason);
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private byte[] manifest(Corpus corpus, String encoding, CorpusOptions options,
                            List<Corpus.AcceptedFile> accepted, List<Corpus.RejectedFile> rejected,
                            Corpus.Counts counts, DatasetKeys keys, String labelSource,
                            List<DatasetManifest.LabelCount> labels) {
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
        // each with its label (DatasetManifest.LABEL), drum hits and what was left out or read as piano
        manifest.put(DatasetManifest.FILES, accepted);
        manifest.put("rejectedFiles", rejected);
        manifest.put("labelSource", labelSource);
        manifest.put(DatasetManifest.LABELS, labels);
        try {
            return json.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the manifest of corpus " + corpus.id(), e);
        }
    }

    private ArchiveExpander expander() {
        return new ArchiveExpander(config.maxExpandedSize().asLongValue(), config.maxArchiveEntries(),
                config.maxFileSize().asLongValue());
    }

    /**
     * SHA-256 over the sorted checksums of the uploads and the chosen settings: an identical re-send, in any
     * order and under any corpus name, with the same encoding and window, maps to the same corpus; the same
     * files in another encoding make another dataset.
     */
    static String fingerprint(List<UploadedFile> uploads, String encoding, Integer windowNotes) {
        List<String> digests = new ArrayList<>();
        for (UploadedFile upload : uploads) {
            digests.add(Checksums.sha256(upload.content()));
        }
        digests.sort(null);
        String settings = "|encoding=" + encoding + "|windowNotes=" + (windowNotes == null ? "default" : windowNotes);
        return Checksums.sha256((String.join("", digests) + settings).getBytes(StandardCharsets.US_ASCII));
    }
}
