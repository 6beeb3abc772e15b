package org.musicgen.ingest.corpus;

import com.fasterxml.jackson.annotation.JsonAlias;
import org.musicgen.platform.events.DatasetKeys;
import org.musicgen.platform.events.DatasetManifest.LabelCount;

import java.time.Instant;
import java.util.List;

/**
 * A submitted corpus and what became of it. Stored as JSON in the {@code corpora} bucket, which is the
 * single source of truth: the service keeps no other state.
 *
 * @param fingerprint SHA-256 over the uploads' checksums and the chosen settings, to recognise a re-sent
 *                    identical upload
 * @param uploadKeys  keys of the raw uploads in the {@code corpora} bucket, in upload order
 * @param encoding    the encoding chosen at upload ({@code performance} or {@code seed}); null only in records
 *                    written before encodings existed
 * @param windowNotes the notes' worth of events per training window asked for at upload; null for the
 *                    service's configured default
 * @param dataset     where the dataset lives once READY, otherwise null
 * @param labelSource where the pieces' labels come from: {@code metadata} (the upload's metadata.csv),
 *                    {@code folders} (an archive's top folders) or {@code none}; null in records written before
 *                    labels existed
 * @param labels      the accepted pieces' labels with their piece counts, in label order; empty when none
 * @param warnings    what the uploader may want to fix but that refused nothing (metadata rows naming files that
 *                    are not in the upload)
 */
public record Corpus(
        String id,
        String name,
        CorpusStatus status,
        Instant createdAt,
        Instant updatedAt,
        String fingerprint,
        List<String> uploadKeys,
        String encoding,
        Integer windowNotes,
        List<AcceptedFile> acceptedFiles,
        List<RejectedFile> rejectedFiles,
        Counts counts,
        DatasetKeys dataset,
        String failure,
        String labelSource,
        List<LabelCount> labels,
        List<String> warnings) {

    public Corpus {
        // records stored before labels existed have none of the three
        labels = labels == null ? List.of() : List.copyOf(labels);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /**
     * An accepted file.
     *
     * @param notes       notes read (sustain pedal folded into their lengths), drum hits apart
     * @param events      ids the corpus's encoding wrote for the piece: performance events or seed tokens
     * @param unknown     of those, {@code <unk>} ids (always 0 for the performance encodings)
     * @param windows     training windows cut from the piece
     * @param label       the piece's label (composer or style word); null when it has none
     * @param drumHits    drum hits kept (always 0 in an encoding without drums; 0 in records written before drums)
     * @param instruments what was left out or read as piano, e.g. "120 drum hits left out (the performance-drums
     *                    encoding keeps them)" or "notes of General MIDI programs 25, 33 read as piano"; empty when the
     *                    file held piano notes (and, with drums, drum hits) alone
     */
    public record AcceptedFile(String file, String sha256, int notes, @JsonAlias("tokens") int events, int unknown,
                               @JsonAlias("sequences") int windows, String label, int drumHits, String instruments) {

        public AcceptedFile {
            instruments = instruments == null ? "" : instruments; // records stored before drums have none
        }
    }

    public record RejectedFile(String file, String reason) {
    }

    /**
     * Totals over the accepted files and the shape of the training windows.
     *
     * @param events         ids written over all accepted pieces
     * @param unknown        of those, {@code <unk>} ids
     * @param unknownShare   {@code unknown / events}: 0 for the performance encoding
     * @param sequences      training windows
     * @param sequenceLength ids (events or tokens) per training window
     * @param stride         ids between the starts of consecutive windows of one piece
     * @param notesPerWindow notes (drum hits included: the window is cut by both) one window covers on average in this
     *                       corpus ({@code sequenceLength * (notes + drumHits) / events})
     * @param vocabularySize the encoding's number of ids
     * @param drumHits       drum hits kept over all accepted pieces (0 in an encoding without drums)
     */
    public record Counts(int files, int acceptedFiles, int rejectedFiles, long notes, @JsonAlias("tokens") long events,
                         long unknown, double unknownShare, int sequences, int sequenceLength, int stride,
                         double notesPerWindow, int vocabularySize, long drumHits) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        static Counts rejectedOnly(int files, int rejected) {
            return new Counts(files, 0, rejected, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    public static Corpus processing(String id, String name, String fingerprint, List<String> uploadKeys,
                                    String encoding, Integer windowNotes, String labelSource, List<String> warnings,
                                    Instant now) {
        return new Corpus(id, name, CorpusStatus.PROCESSING, now, now, fingerprint, List.copyOf(uploadKeys),
                encoding, windowNotes, List.of(), List.of(), Counts.NONE, null, null, labelSource, List.of(),
                warnings);
    }

    public Corpus ready(List<AcceptedFile> accepted, List<RejectedFile> rejected, Counts counts, DatasetKeys keys,
                        String labelSource, List<LabelCount> labels, List<String> warnings, Instant now) {
        return new Corpus(id, name, CorpusStatus.READY, createdAt, now, fingerprint, uploadKeys, encoding,
                windowNotes, List.copyOf(accepted), List.copyOf(rejected), counts, keys, null, labelSource, labels,
                warnings);
    }

    public Corpus failed(List<RejectedFile> rejected, Counts counts, String failure, Instant now) {
        return new Corpus(id, name, CorpusStatus.FAILED, createdAt, now, fingerprint, uploadKeys, encoding,
                windowNotes, List.of(), List.copyOf(rejected), counts, null, failure, labelSource, List.of(),
                warnings);
    }
}
