package org.musicgen.ingest.upload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Expands zip uploads into corpus entries, refusing archives that could harm the service: entries
 * escaping the archive ({@code ..}, absolute paths), archives nested deeper than one level inside the
 * upload, and expansion beyond a byte or entry budget. Sizes are counted while inflating, never taken
 * from the (forgeable) zip headers.
 */
public final class ArchiveExpander {

    /** A zip inside the uploaded zip is accepted; a zip inside that one is not. */
    static final int MAX_NESTING = 1;

    private final long maxExpandedBytes;
    private final int maxEntries;

    public ArchiveExpander(long maxExpandedBytes, int maxEntries) {
        if (maxExpandedBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("archive limits must be positive");
        }
        this.maxExpandedBytes = maxExpandedBytes;
        this.maxEntries = maxEntries;
    }

    public List<CorpusEntry> expand(List<UploadedFile> uploads) throws UnsafeUploadException {
        Budget budget = new Budget();
        List<CorpusEntry> entries = new ArrayList<>();
        for (UploadedFile upload : uploads) {
            if (upload.isArchive()) {
                expandArchive(upload.name(), upload.content(), 0, budget, entries);
            } else {
                entries.add(new CorpusEntry(upload.name(), upload.content()));
            }
        }
        return entries;
    }

    private void expandArchive(String archivePath, byte[] archive, int depth, Budget budget, List<CorpusEntry> out)
            throws UnsafeUploadException {
        int found = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                checkPath(archivePath, name);
                found++;
                if (entry.isDirectory() || isMetadata(name)) {
                    continue;
                }
                if (++budget.entries > maxEntries) {
                    throw new UnsafeUploadException("archive '" + archivePath + "' holds more than " + maxEntries
                            + " files; split the corpus into several uploads");
                }
                byte[] content = inflate(zip, archivePath, budget);
                String path = archivePath + "/" + name;
                if (name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
                    if (depth + 1 > MAX_NESTING) {
                        throw new UnsafeUploadException("archive '" + path + "' is nested more than " + MAX_NESTING
                                + " level deep; flatten the archive");
                    }
                    expandArchive(path, content, depth + 1, budget, out);
                } else {
                    out.add(new CorpusEntry(path, content));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new UnsafeUploadException("'" + archivePath + "' is not a readable zip archive: " + e.getMessage());
        }
        if (found == 0) {
            throw new UnsafeUploadException("'" + archivePath + "' is not a zip archive or holds no files");
        }
    }

    private byte[] inflate(ZipInputStream zip, String archivePath, Budget budget)
            throws IOException, UnsafeUploadException {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = zip.read(buffer)) > 0) {
            budget.bytes += read;
            if (budget.bytes > maxExpandedBytes) {
                throw new UnsafeUploadException("archive '" + archivePath + "' expands beyond the limit of "
                        + maxExpandedBytes + " bytes; upload a smaller corpus");
            }
            content.write(buffer, 0, read);
        }
        return content.toByteArray();
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

    private static boolean isMetadata(String name) {
        return name.startsWith("__MACOSX/") || name.endsWith(".DS_Store");
    }

    private static final class Budget {
        long bytes;
        int entries;
    }
}
