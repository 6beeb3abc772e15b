package org.musicgen.ingest.upload;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchiveExpanderTest {

    private final ArchiveExpander expander = new ArchiveExpander(1024, 3, 700);

    @Test
    void plainFilesPassThroughAndZipEntriesAreNamedByTheirArchive() throws Exception {
        List<CorpusEntry> entries = expander.expand(List.of(
                new UploadedFile("a.mid", new byte[]{1}),
                new UploadedFile("set.zip", zip("dir/", null, "dir/b.mid", new byte[]{2}, "__MACOSX/._b.mid", new byte[]{3}))));
        assertEquals(List.of("a.mid", "set.zip/dir/b.mid"), entries.stream().map(CorpusEntry::path).toList());
    }

    @Test
    void windowsStyleTraversalIsRefused() throws Exception {
        UnsafeUploadException e = assertThrows(UnsafeUploadException.class, () -> expander.expand(List.of(
                new UploadedFile("x.zip", zip("a\\..\\..\\evil.mid", new byte[]{1})))));
        assertTrue(e.getMessage().contains("unsafe path"));
        assertThrows(UnsafeUploadException.class, () -> expander.expand(List.of(
                new UploadedFile("x.zip", zip("C:/evil.mid", new byte[]{1})))));
    }

    @Test
    void budgetCountsInflatedBytesAcrossArchivesAndEntries() throws Exception {
        byte[] half = new byte[600];
        UnsafeUploadException bytes = assertThrows(UnsafeUploadException.class, () -> expander.expand(List.of(
                new UploadedFile("one.zip", zip("a.mid", half)),
                new UploadedFile("two.zip", zip("b.mid", half)))));
        assertTrue(bytes.getMessage().contains("expands beyond the limit of 1024 bytes"));

        UnsafeUploadException count = assertThrows(UnsafeUploadException.class, () -> expander.expand(List.of(
                new UploadedFile("many.zip", zip("1.mid", new byte[1], "2.mid", new byte[1], "3.mid", new byte[1],
                        "4.mid", new byte[1])))));
        assertTrue(count.getMessage().contains("more than 3 files"));
    }

    @Test
    void aFileOverTheFileLimitIsRefusedByNameInsideAnArchiveOrNot() throws Exception {
        UploadTooLargeException inside = assertThrows(UploadTooLargeException.class, () -> expander.check(List.of(
                new UploadedFile("set.zip", zip("ok.mid", new byte[600], "dir/big.mid", new byte[701])))));
        assertTrue(inside.getMessage().contains("'set.zip/dir/big.mid' is larger than the limit of 700 bytes"),
                inside.getMessage());
        UploadTooLargeException plain = assertThrows(UploadTooLargeException.class, () -> expander.expand(List.of(
                new UploadedFile("big.mid", new byte[701]))));
        assertTrue(plain.getMessage().contains("'big.mid'"), plain.getMessage());
    }

    @Test
    void nestedArchivesAreStreamedAndCheckCountsWhatForEachHandsOver() throws Exception {
        List<UploadedFile> uploads = List.of(new UploadedFile("outer.zip", zip(
                "a.mid", new byte[]{1, 2},
                "inner.zip", zip("b.mid", new byte[]{3}, "c.mid", new byte[]{4, 5, 6}),
                "d.mid", new byte[]{7})));
        ArchiveExpander roomy = new ArchiveExpander(1024, 10, 700);
        List<CorpusEntry> entries = roomy.expand(uploads);
        assertEquals(List.of("outer.zip/a.mid", "outer.zip/inner.zip/b.mid", "outer.zip/inner.zip/c.mid",
                "outer.zip/d.mid"), entries.stream().map(CorpusEntry::path).toList());
        assertEquals(3, entries.get(2).content().length);
        ArchiveExpander.Inventory inventory = roomy.check(uploads);
        assertEquals(4, inventory.files());
        assertEquals(7, inventory.bytes());
    }

    @Test
    void checkKeepsOnlyTheMetadataFilesContent() throws Exception {
        List<UploadedFile> uploads = List.of(new UploadedFile("up.zip", zip(
                "chopin/a.mid", new byte[]{1, 2},
                "META/Metadata.CSV", "file,composer\n".getBytes())), new UploadedFile("b.mid", new byte[]{3}));
        ArchiveExpander.Inventory inventory = new ArchiveExpander(1024, 10, 700).check(uploads);
        assertEquals(List.of("up.zip/chopin/a.mid", "b.mid"), inventory.paths());
        assertEquals(1, inventory.metadata().size());
        assertEquals("up.zip/META/Metadata.CSV", inventory.metadata().get(0).path());
        assertEquals("file,composer\n", new String(inventory.metadata().get(0).content()));
        assertEquals(3, inventory.files());
    }

    @Test
    void garbageNamedZipIsRefusedWithReason() {
        UnsafeUploadException e = assertThrows(UnsafeUploadException.class, () -> expander.expand(List.of(
                new UploadedFile("fake.zip", "not a zip".getBytes()))));
        assertTrue(e.getMessage().contains("fake.zip"));
    }

    /** Pairs of name and content; a null content makes a directory entry. */
    private static byte[] zip(Object... namesAndContents) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry((String) namesAndContents[i]));
                if (namesAndContents[i + 1] != null) {
                    zip.write((byte[]) namesAndContents[i + 1]);
                }
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
