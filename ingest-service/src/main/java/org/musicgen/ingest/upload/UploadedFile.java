package org.musicgen.ingest.upload;

/** One file part of an upload, as received (name as the client sent it). */
public record UploadedFile(String name, byte[] content) {

    public boolean isArchive() {
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".zip");
    }
}
