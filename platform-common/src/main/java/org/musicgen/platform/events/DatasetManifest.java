package org.musicgen.platform.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The parts of a dataset's manifest ({@link DatasetKeys#manifest()}) that another service than the writer reads,
 * named once so that the ingest service's writing and the trainer's reading cannot drift apart.
 */
public final class DatasetManifest {

    /** The accepted pieces, in source order (the order of the stored notes and of the windows' source index). */
    public static final String FILES = "files";
    /** A file's label (composer or style word); absent or null when the piece has none. */
    public static final String LABEL = "label";
    /** The corpus's labels with their piece counts ({@link LabelCount}), in label order. */
    public static final String LABELS = "labels";

    private DatasetManifest() {
    }

    /** A label and how many accepted pieces carry it. */
    public record LabelCount(String label, int pieces) {
    }

    /** Label counts as listed in a manifest and a corpus's status, from label -> pieces in the order wanted. */
    public static List<LabelCount> labelCounts(Map<String, Integer> piecesByLabel) {
        List<LabelCount> counts = new ArrayList<>();
        piecesByLabel.forEach((label, pieces) -> counts.add(new LabelCount(label, pieces)));
        return List.copyOf(counts);
    }

    /**
     * Each accepted piece's label in source order, null where a piece has none; every entry null for a manifest
     * written before labels existed, and an empty list for one that does not list its files.
     *
     * @throws IllegalArgumentException when the manifest is not JSON
     */
    public static List<String> pieceLabels(byte[] manifest, ObjectMapper json) {
        JsonNode root;
        try {
            root = json.readTree(manifest);
        } catch (IOException e) {
            throw new IllegalArgumentException("the dataset manifest is not readable JSON: " + e.getMessage(), e);
        }
        JsonNode files = root == null ? null : root.path(FILES);
        if (files == null || !files.isArray()) {
            return List.of();
        }
        List<String> labels = new ArrayList<>(files.size());
        for (JsonNode file : files) {
            JsonNode label = file.path(LABEL);
            labels.add(label.isTextual() && !label.asText().isBlank() ? label.asText() : null);
        }
        return Collections.unmodifiableList(labels);
    }
}
