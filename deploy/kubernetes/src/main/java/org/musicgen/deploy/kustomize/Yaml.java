package org.musicgen.deploy.kustomize;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Multi-document YAML in and out, as Jackson trees. */
public final class Yaml {

    public static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Yaml() {
    }

    /** Every non-empty document of the text (documents holding only comments are skipped). */
    public static List<JsonNode> readAll(String text, String origin) {
        List<JsonNode> documents = new ArrayList<>();
        // Document by document: MappingIterator would unwrap a document that is a list (a JSON patch).
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                JsonNode node = MAPPER.readTree(parser);
                boolean empty = node == null || node.isNull() || node.isMissingNode()
                        || (node.isTextual() && node.asText().isEmpty());
                if (!empty) {
                    documents.add(node);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new KustomizeException(origin + ": not valid YAML: " + e.getMessage(), e);
        }
        return documents;
    }

    public static List<JsonNode> readAll(Path file) {
        return readAll(read(file), file.toString());
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new KustomizeException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The resources as one multi-document YAML stream, separated by {@code ---}. */
    public static String writeAll(List<ObjectNode> resources) {
        StringBuilder out = new StringBuilder();
        for (ObjectNode resource : resources) {
            if (!out.isEmpty()) {
                out.append("---\n");
            }
            try {
                out.append(MAPPER.writeValueAsString(resource));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }
}
