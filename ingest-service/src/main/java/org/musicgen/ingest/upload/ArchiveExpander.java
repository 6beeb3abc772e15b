package org.musicgen.ingest.upload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Expands zip uploads into corpus entries, refusing archives that could harm the service: entries escaping the
 * archive ({@code ..}, absolute paths), archives nested deeper than one level inside the upload, a file larger
 * than a piano piece can be, and expansion beyond a byte or entry budget. Sizes are counted while inflating,
 * never taken from the (forgeable) zip headers, and inflation stops at the first byte over a limit.
 *
 * <p>Archives are streamed: {@link #forEach} holds one file at a time (at most {@code maxFileBytes}), nested
 * archives included, and {@link #check} holds none, so a zip bomb costs a buffer, never the heap.
 */
public final class ArchiveExpander {

    /** A zip inside the uploaded zip is accepted; a zip inside that one is not. */
    static final int MAX_NESTING = 1;
    private static final int BUFFER = 64 * 1024;

    private final long maxExpandedBytes;
    private final int maxEntries;
    private final long maxFileBytes;

    /**
     * @param maxExpandedBytes most bytes all archives of one upload may inflate to
     * @param maxEntries       most files all archives of one upload may hold
     * @param maxFileBytes     largest corpus file, inside an archive or not
     */
    public ArchiveExpander(long maxExpandedBytes, int maxEntries, long maxFileBytes) {
        if (maxExpandedBytes <= 0 || maxEntries <= 0 || maxFileBytes <= 0) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
        this.maxExpandedBytes = maxExpandedBytes;
        this.maxEntries = maxEntries;
        this.maxFileBytes = maxFileBytes;
    }

    /**
     * What an upload holds once expanded.
     *
     * @param files    candidate files, metadata files included
     * @param bytes    their expanded size
     * @param paths    the candidate files' paths, metadata files excepted, in upload order
     * @param metadata the per-piece metadata files ({@link CorpusEntry#isMetadata()}), with their content
     */
    public record Inventory(int files, long bytes, List<String> paths, List<CorpusEntry> metadata) {
        public Inventory {
            paths = List.copyOf(paths);
            metadata = List.copyOf(metadata);
        }
    }

    /**
     * Checks every limit of the uploads without keeping any content but the metadata files' (which must be read
     * before the pieces, to label them); throws what {@link #forEach} would.
     */
    public Inventory check(List<UploadedFile> uploads) throws UnsafeUploadException {
        Budget budget = walk(uploads, null);
        return new Inventory(budget.files, budget.bytes, budget.paths, budget.metadata);
    }

    /** Hands each candidate file of the uploads to {@code sink} in upload order, one in memory at a time. */
    public void forEach(List<UploadedFile> uploads, Consumer<CorpusEntry> sink) throws UnsafeUploadException {
        walk(uploads, sink);
    }

    /** All candidate files at once: for small uploads and tests; the service streams with {@link #forEach}. */
    public List<CorpusEntry> expand(List<UploadedFile> uploads) throws UnsafeUploadException {
        List<CorpusEntry> entries = new ArrayList<>();
        forEach(uploads, entries::add);
        return entries;
    }

    private Budget walk(List<UploadedFile> uploads, Consumer<CorpusEntry> sink) throws UnsafeUploadException {
        Budget budget = new Budget();
        for (UploadedFile upload : uploads) {
            if (upload.isArchive()) {
                try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(upload.content()))) {
                    expandArchive(upload.name(), zip, 0, budget, sink);
                } catch (IOException e) {
                    throw unreadable(upload.name(), e);
                }
            } else {
                if (upload.content().length > maxFileBytes) {
                    throw tooLargeFile(upload.name());
                }
                budget.files++;
                CorpusEntry entry = new CorpusEntry(upload.name(), upload.content());
                budget.record(entry);
                if (sink != null) {
                    sink.accept(entry);
                }
            }
        }
        return budget;
    }

    private void expandArchive(String archivePath, ZipInputStream zip, int depth, Budget budget,
                               Consumer<CorpusEntry> sink) throws UnsafeUploadException {
        int found = 0;
        try {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                checkPath(archivePath, name);
                found++;
                if (entry.isDirectory() || isSystemJunk(name)) {
                    continue;
                }
                String path = archivePath + "/" + name;
                if (name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
                    if (depth + 1 > MAX_NESTING) {
                        throw new UnsafeUploadException("archive '" + path + "' is nested more than " + MAX_NESTING
                                + " level deep; flatten the archive");
                    }
                    // the nested archive is read from the outer stream, never buffered whole
                    expandArchive(path, new ZipInputStream(new Unclosable(zip)), depth + 1, budget, sink);
                    continue;
                }
                if (++budget.files > maxEntries) {
                    throw new UploadTooLargeException("archive '" + archivePath + "' holds more than " + maxEntries
                            + " files; split the corpus into several uploads");
                }
                boolean metadata = CorpusEntry.isMetadata(path);
                byte[] content = inflate(zip, archivePath, path, budget, sink != null || metadata);
                CorpusEntry corpusEntry = new CorpusEntry(path, content);
                budget.record(corpusEntry);
                if (sink != null) {
                    sink.accept(corpusEntry);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable(archivePath, e);
        }
        if (found == 0) {
            throw new UnsafeUploadException("'" + archivePath + "' is not a zip archive or holds no files");
        }
    }

    /** The entry's bytes ({@code keep}) or only its count, stopping at the first byte over a limit. */
    private byte[] inflate(InputStream zip, String archivePath, String path, Budget budget, boolean keep)
            throws IOException, UnsafeUploadException {
        ByteArrayOutputStream content = keep ? new ByteArrayOutputStream() : null;
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        int read;
        while ((read = zip.read(buffer)) > 0) {
            size += read;
            budget.bytes += read;
            if (size > maxFileBytes) {
                throw tooLargeFile(path);
            }
            if (budget.bytes > maxExpandedBytes) {
                throw new UploadTooLargeException("archive '" + archivePath + "' expands beyond the limit of "
                        + maxExpandedBytes + " bytes (at '" + path + "'); upload a smaller corpus");
            }
            if (keep) {
                content.write(buffer, 0, read);
            }
        }
        return keep ? content.toByteArray() : null;
    }

    private UploadTooLargeException tooLargeFile(String path) {
        return new UploadTooLargeException("'" + path + "' is larger than the limit of " + maxFileBytes
                + " bytes for one MIDI file (a piano piece is far smaller); nothing was stored");
    }

    private static UnsafeUploadException unreadable(String archivePath, Exception e) {
        return new UnsafeUploadException("'" + archivePath + "' is not a readable zip archive: " + e.getMessage());
    }

    private static void checkPath(String archivePath, String name) throws UnsafeUploadException {
        String normalized = name.replace('\\', '/');
        boolean absolute = normalized.startsWith("/") || normalized.matches("^[A-Za-z]:.*");
        boolean escapes = List.of(normalized.split("/")).contains("..");
        if (absolute || escapes) {
            throw new UnsafeUploadException("archive '" + archivePath + "' has an entry with an unsafe path '" + name
                    + "' (absolute or containing '..'); nothing was stored");
        }
    }

    private static boolean isSystemJunk(String name) {
        return name.startsWith("__MACOSX/") || name.endsWith(".DS_Store");
    }

    private static final class Budget {
        long bytes;
        int files;
        final List<String> paths = new ArrayList<>();
        final List<CorpusEntry> metadata = new ArrayList<>();

        void record(CorpusEntry entry) {
            if (entry.isMetadata()) {
                metadata.add(entry);
            } else {
                paths.add(entry.path());
            }
        }
    }

    /** The outer archive's entry stream, which the nested archive's reader must not close. */
    private static final class Unclosable extends FilterInputStream {
        Unclosable(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the outer ZipInputStream moves on to its next entry
        }
    }
}
