package org.musicgen.core.dataset;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A label per piece of a corpus (a composer, or any style word), read from a {@code metadata.csv} shipped with the
 * upload or from the archive's top folder names. Immutable.
 *
 * <p>Files are matched by base name (case-sensitive), so a metadata row {@code a.mid} labels
 * {@code corpus.zip/chopin/a.mid}; a row naming a folder path ({@code chopin/a.mid}) also matches, and decides
 * between pieces that share a base name.
 */
public final class PieceLabels {

    /** Longest label kept: labels are shown in tables and used as model conditions, not free text. */
    public static final int MAX_LABEL_LENGTH = 64;
    /** The file name recognised as per-piece metadata inside an upload. */
    public static final String METADATA_FILE = "metadata.csv";

    private static final String FILE_COLUMN = "file";
    /** Label columns by preference: an explicit label, then the usual names of corpora's metadata. */
    private static final List<String> LABEL_COLUMNS = List.of("label", "composer", "style");
    private static final PieceLabels NONE = new PieceLabels(Map.of(), List.of());

    /** Normalised file path as written -> label, in source order. */
    private final Map<String, String> labels;
    /** Every file a source named, labelled or not: what {@link #unmatched} checks against the upload. */
    private final List<String> named;

    private PieceLabels(Map<String, String> labels, List<String> named) {
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        this.named = List.copyOf(named);
    }

    /** No labels: a corpus without metadata. */
    public static PieceLabels none() {
        return NONE;
    }

    /**
     * Labels from a CSV with a header row: column {@code file} names the piece, the label is column {@code label},
     * else {@code composer}, else {@code style}, else the other column of a two-column file. Column names are
     * matched ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the line, when the file has no header, no {@code file} or label
     *                                  column, a row with the wrong number of fields, or a label that cannot be one
     */
    public static PieceLabels fromMetadataCsv(byte[] csv) {
        List<Row> rows = Csv.parse(new String(csv, StandardCharsets.UTF_8));
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(METADATA_FILE + " has no header row; the first line must name the "
                    + "columns, e.g. 'file,composer'");
        }
        Row header = rows.get(0);
        List<String> columns = header.fields().stream().map(c -> c.strip().toLowerCase(Locale.ROOT)).toList();
        int fileColumn = columns.indexOf(FILE_COLUMN);
        if (fileColumn < 0) {
            throw new IllegalArgumentException(METADATA_FILE + " line " + header.line() + ": no 'file' column in the "
                    + "header " + header.fields() + "; name the column holding the MIDI file names 'file'");
        }
        int labelColumn = labelColumn(columns, fileColumn);
        if (labelColumn < 0) {
            throw new IllegalArgumentException(METADATA_FILE + " line " + header.line() + ": no label column in the "
                    + "header " + header.fields() + "; add a column named 'label', 'composer' or 'style'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        List<String> named = new ArrayList<>();
        for (Row row : rows.subList(1, rows.size())) {
            if (row.fields().size() != columns.size()) {
                throw new IllegalArgumentException(METADATA_FILE + " line " + row.line() + ": " + row.fields().size()
                        + " fields where the header has " + columns.size()
                        + "; quote fields that contain commas (\"a, b\")");
            }
            String file = normalise(row.fields().get(fileColumn));
            if (file.isEmpty()) {
                throw new IllegalArgumentException(METADATA_FILE + " line " + row.line() + ": the 'file' field is empty");
            }
            String label = checkLabel(row.fields().get(labelColumn), "line " + row.line());
            Integer earlier = firstLine.putIfAbsent(file, row.line());
            if (earlier != null) {
                throw new IllegalArgumentException(METADATA_FILE + " line " + row.line() + ": '" + file
                        + "' is already described on line " + earlier + "; keep one row per file");
            }
            named.add(file);
            if (label != null) {
                labels.put(file, label);
            }
        }
        return new PieceLabels(labels, named);
    }

    /**
     * Labels from the top-level folders of an archive's MIDI files, when they sit in at least two distinct folders
     * ({@code chopin/a.mid} is labelled {@code chopin}; a file at the root is not labelled). Folders that every path
     * shares ({@code corpus/chopin/a.mid} of a zipped {@code corpus} directory) are not labels and are skipped.
     *
     * @param paths the MIDI files' paths inside the archive
     * @throws IllegalArgumentException when a folder name cannot be a label (too long, {@code |}, control characters)
     */
    public static PieceLabels fromTopFolders(List<String> paths) {
        List<List<String>> split = paths.stream().map(p -> List.of(normalise(p).split("/"))).toList();
        int shared = sharedFolders(split);
        Map<String, String> folderOf = new LinkedHashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            List<String> parts = split.get(i);
            if (parts.size() - shared >= 2) {
                folderOf.put(normalise(paths.get(i)), parts.get(shared));
            }
        }
        if (new HashSet<>(folderOf.values()).size() < 2) {
            return NONE;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        folderOf.forEach((path, folder) -> {
            String label = checkLabel(folder, "folder '" + folder + "'");
            if (label != null) {
                labels.put(path, label);
            }
        });
        return new PieceLabels(labels, List.copyOf(labels.keySet()));
    }

    /** The label of the piece at {@code path} (a bare file name or one with folders), if the source gives one. */
    public Optional<String> labelOf(String path) {
        String wanted = normalise(path);
        String exact = labels.get(wanted);
        if (exact != null) {
            return Optional.of(exact);
        }
        Set<String> found = new LinkedHashSet<>();
        for (String file : matching(wanted)) {
            String label = labels.get(file);
            if (label != null) {
                found.add(label);
            }
        }
        // two rows for one base name with different labels, neither naming this path's folders: no guess
        return found.size() == 1 ? Optional.of(found.iterator().next()) : Optional.empty();
    }

    /** File path as the source wrote it -> label; files without a label are absent. */
    public Map<String, String> asMap() {
        return labels;
    }

    public boolean isEmpty() {
        return labels.isEmpty();
    }

    /** The files the source names that none of {@code paths} matches (metadata rows for absent pieces). */
    public List<String> unmatched(Collection<String> paths) {
        Set<String> baseNames = new HashSet<>();
        List<String> normalised = new ArrayList<>();
        for (String path : paths) {
            String p = normalise(path);
            normalised.add(p);
            baseNames.add(baseName(p));
        }
        List<String> missing = new ArrayList<>();
        for (String file : named) {
            boolean present = baseNames.contains(baseName(file))
                    && normalised.stream().anyMatch(p -> sameFile(file, p));
            if (!present) {
                missing.add(file);
            }
        }
        return missing;
    }

    /**
     * A label as stored: trimmed, {@code null} when blank.
     *
     * @param where what to name in the refusal ("line 4", "folder 'x'")
     * @throws IllegalArgumentException when it is longer than {@value #MAX_LABEL_LENGTH} characters or holds
     *                                  {@code |} (the manifest's separator) or a control character
     */
    public static String checkLabel(String raw, String where) {
        String label = raw == null ? "" : raw.strip();
        if (label.isEmpty()) {
            return null;
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException(where + ": label '" + label.substring(0, 20) + "...' is "
                    + label.length() + " characters long; at most " + MAX_LABEL_LENGTH + " are allowed");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c == '|' || Character.isISOControl(c)) {
                throw new IllegalArgumentException(where + ": label '" + label.replaceAll("\\p{Cntrl}", "?")
                        + "' contains " + (c == '|' ? "'|'" : "a control character")
                        + ", which a label may not hold");
            }
        }
        return label;
    }

    @Override
    public String toString() {
        return "PieceLabels" + labels;
    }

    /** The source's files whose base name is the path's, narrowed to those naming its folders when several do. */
    private List<String> matching(String path) {
        String base = baseName(path);
        List<String> sameBase = labels.keySet().stream().filter(f -> baseName(f).equals(base)).toList();
        if (sameBase.size() <= 1) {
            return sameBase;
        }
        List<String> sameFolders = sameBase.stream().filter(f -> sameFile(f, path)).toList();
        return sameFolders.isEmpty() ? sameBase : sameFolders;
    }

    /** Whether a source's file and an upload's path are the same piece: one is the other with folders in front. */
    private static boolean sameFile(String file, String path) {
        return file.equals(path) || path.endsWith("/" + file) || file.endsWith("/" + path);
    }

    private static int labelColumn(List<String> columns, int fileColumn) {
        for (String name : LABEL_COLUMNS) {
            int index = columns.indexOf(name);
            if (index >= 0) {
                return index;
            }
        }
        return columns.size() == 2 ? 1 - fileColumn : -1;
    }

    /** Number of leading folders all paths share (and that each path has a file below). */
    private static int sharedFolders(List<List<String>> split) {
        if (split.size() < 2) {
            return 0;
        }
        int shared = 0;
        while (true) {
            String folder = null;
            for (List<String> parts : split) {
                if (parts.size() <= shared + 1) {
                    return shared;
                }
                String part = parts.get(shared);
                if (folder == null) {
                    folder = part;
                } else if (!folder.equals(part)) {
                    return shared;
                }
            }
            shared++;
        }
    }

    private static String normalise(String path) {
        String p = path == null ? "" : path.strip().replace('\\', '/');
        while (p.startsWith("./") || p.startsWith("/")) {
            p = p.substring(p.startsWith("./") ? 2 : 1);
        }
        return p;
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private record Row(int line, List<String> fields) {
    }

    /** An RFC 4180 reader: fields split by commas, {@code "} quotes fields holding commas, quotes or line breaks. */
    private static final class Csv {

        static List<Row> parse(String text) {
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1); // a byte-order mark some spreadsheets write
            }
            List<Row> rows = new ArrayList<>();
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int line = 1;
            int rowLine = 1;
            boolean quoted = false;
            boolean fieldWasQuoted = false;
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                    }
                } else if (c == '"') {
                    if (field.toString().isBlank() && !fieldWasQuoted) {
                        field.setLength(0);
                        quoted = true;
                        fieldWasQuoted = true;
                    } else {
                        throw new IllegalArgumentException(METADATA_FILE + " line " + line
                                + ": a quote inside an unquoted field; quote the whole field and double inner quotes");
                    }
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldWasQuoted = false;
                } else if (c == '\r' || c == '\n') {
                    if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    fields.add(field.toString());
                    addRow(rows, rowLine, fields);
                    fields = new ArrayList<>();
                    field.setLength(0);
                    fieldWasQuoted = false;
                    line++;
                    rowLine = line;
                } else if (fieldWasQuoted && c != ' ' && c != '\t') {
                    throw new IllegalArgumentException(METADATA_FILE + " line " + line
                            + ": text after a closing quote; double quotes inside a quoted field (\"\")");
                } else if (!fieldWasQuoted) {
                    field.append(c);
                }
                i++;
            }
            if (quoted) {
                throw new IllegalArgumentException(METADATA_FILE + " line " + rowLine
                        + ": a quoted field is not closed before the end of the file");
            }
            fields.add(field.toString());
            addRow(rows, rowLine, fields);
            return rows;
        }

        /** Blank lines (a trailing line break, spacing between blocks) are not rows. */
        private static void addRow(List<Row> rows, int line, List<String> fields) {
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                return;
            }
            rows.add(new Row(line, List.copyOf(fields)));
        }
    }
}
