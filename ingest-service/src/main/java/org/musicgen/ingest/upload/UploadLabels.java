package org.musicgen.ingest.upload;

import org.musicgen.core.dataset.PieceLabels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels of an upload's pieces: from its {@value PieceLabels#METADATA_FILE} when it has one, else from each
 * archive's top folders ({@link PieceLabels#fromTopFolders}), else none. Read from an {@link ArchiveExpander#check}
 * inventory, so that a malformed metadata file refuses the upload before anything is stored.
 */
public final class UploadLabels {

    /** Where the labels came from, as reported on the corpus. */
    public static final String FROM_METADATA = "metadata";
    public static final String FROM_FOLDERS = "folders";
    public static final String FROM_NONE = "none";
    /** Warnings listed one by one; beyond, one line counts the rest (a whole corpus's metadata for a part of it). */
    static final int MAX_LISTED_WARNINGS = 20;

    private final String source;
    private final PieceLabels metadata;
    /** Each archive's folder labels, by the archive's upload name. */
    private final Map<String, PieceLabels> folders;
    private final List<String> warnings;

    private UploadLabels(String source, PieceLabels metadata, Map<String, PieceLabels> folders, List<String> warnings) {
        this.source = source;
        this.metadata = metadata;
        this.folders = Map.copyOf(folders);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * @throws InvalidMetadataException naming the file and line, when the metadata is malformed, when there is more
     *                                  than one metadata file, or when a folder name cannot be a label
     */
    public static UploadLabels of(ArchiveExpander.Inventory inventory) throws InvalidMetadataException {
        List<String> pieces = inventory.paths().stream()
                .filter(path -> new CorpusEntry(path, null).hasMidiExtension()).toList();
        List<CorpusEntry> files = inventory.metadata();
        if (files.size() > 1) {
            throw new InvalidMetadataException("the upload holds " + files.size() + " " + PieceLabels.METADATA_FILE
                    + " files (" + String.join(", ", files.stream().map(CorpusEntry::path).toList())
                    + "); keep one for the whole corpus; nothing was stored");
        }
        if (files.size() == 1) {
            CorpusEntry file = files.get(0);
            PieceLabels labels;
            try {
                labels = PieceLabels.fromMetadataCsv(file.content());
            } catch (IllegalArgumentException e) {
                throw new InvalidMetadataException("'" + file.path() + "' is malformed: " + e.getMessage()
                        + "; nothing was stored");
            }
            List<String> warnings = new ArrayList<>();
            List<String> absent = labels.unmatched(pieces);
            for (String missing : absent.subList(0, Math.min(absent.size(), MAX_LISTED_WARNINGS))) {
                warnings.add(PieceLabels.METADATA_FILE + " names '" + missing + "', which is not in the upload");
            }
            if (absent.size() > MAX_LISTED_WARNINGS) {
                warnings.add(PieceLabels.METADATA_FILE + " names " + (absent.size() - MAX_LISTED_WARNINGS)
                        + " more files that are not in the upload");
            }
            return new UploadLabels(FROM_METADATA, labels, Map.of(), warnings);
        }
        Map<String, List<String>> insideArchive = new LinkedHashMap<>();
        for (String path : pieces) {
            int slash = path.indexOf('/');
            if (slash > 0) { // a plain upload's name has no folder (CorpusRepository.safeName)
                insideArchive.computeIfAbsent(path.substring(0, slash), a -> new ArrayList<>())
                        .add(path.substring(slash + 1));
            }
        }
        Map<String, PieceLabels> folders = new LinkedHashMap<>();
        for (var archive : insideArchive.entrySet()) {
            try {
                PieceLabels labels = PieceLabels.fromTopFolders(archive.getValue());
                if (!labels.isEmpty()) {
                    folders.put(archive.getKey(), labels);
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidMetadataException("archive '" + archive.getKey() + "': " + e.getMessage()
                        + " (folder names label the pieces when there is no " + PieceLabels.METADATA_FILE
                        + "); rename the folder; nothing was stored");
            }
        }
        return new UploadLabels(folders.isEmpty() ? FROM_NONE : FROM_FOLDERS, PieceLabels.none(), folders, List.of());
    }

    /** The label of the piece at an expanded path ({@code upload.zip/chopin/a.mid}); null when none. */
    public String labelOf(String path) {
        if (FROM_METADATA.equals(source)) {
            return metadata.labelOf(path).orElse(null);
        }
        int slash = path.indexOf('/');
        PieceLabels archive = slash > 0 ? folders.get(path.substring(0, slash)) : null;
        return archive == null ? null : archive.labelOf(path.substring(slash + 1)).orElse(null);
    }

    /** {@value #FROM_METADATA}, {@value #FROM_FOLDERS} or {@value #FROM_NONE}. */
    public String source() {
        return source;
    }

    /** What the uploader may want to fix but that refuses nothing: metadata rows for files not in the upload. */
    public List<String> warnings() {
        return warnings;
    }
}
