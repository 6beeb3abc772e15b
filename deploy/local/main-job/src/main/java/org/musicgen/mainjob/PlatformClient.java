package org.musicgen.mainjob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What a user does with curl, in Java: the services' HTTP APIs as the main job and the end-to-end tests use them. */
public final class PlatformClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String ingest;
    private final String trainer;
    private final String generator;
    private final String evaluation;
    private final String apiKey;

    public PlatformClient(String ingest, String trainer, String generator, String evaluation, String apiKey) {
        this.ingest = ingest;
        this.trainer = trainer;
        this.generator = generator;
        this.evaluation = evaluation;
        this.apiKey = apiKey;
    }

    public static PlatformClient of(LocalServices platform, String apiKey) {
        return new PlatformClient(platform.service(LocalServices.INGEST).url(), platform.service(LocalServices.TRAINER).url(),
                platform.service(LocalServices.GENERATOR).url(), platform.service(LocalServices.EVALUATION).url(), apiKey);
    }

    public String evaluationUrl() {
        return evaluation;
    }

    /** Uploads MIDI files and zip archives as one corpus in the service's default encoding. */
    public Answer uploadCorpus(String name, List<Path> files) throws IOException {
        return uploadCorpus(name, null, files);
    }

    /**
     * Uploads MIDI files and zip archives as one corpus; returns the answer (status 202, or 200 for a repeat).
     *
     * @param encoding the upload's {@code encoding} field ({@code performance} or {@code seed}); null sends none
     */
    public Answer uploadCorpus(String name, String encoding, List<Path> files) throws IOException {
        String boundary = "musicgen-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "name", null, null, name.getBytes(StandardCharsets.UTF_8));
        if (encoding != null) {
            part(body, boundary, "encoding", null, null, encoding.getBytes(StandardCharsets.UTF_8));
        }
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String type = fileName.toLowerCase().endsWith(".zip") ? "application/zip" : "audio/midi";
            part(body, boundary, "files", fileName, type, Files.readAllBytes(file));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = withKey(HttpRequest.newBuilder(URI.create(ingest + "/api/corpora")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .timeout(Duration.ofMinutes(5))
                .build();
        return send(request);
    }

    public JsonNode corpus(String id) throws IOException {
        return get(ingest + "/api/corpora/" + id).requireOk();
    }

    public List<JsonNode> trainingRuns(String corpusId) throws IOException {
        return list(get(trainer + "/api/training-runs?corpusId=" + corpusId).requireOk());
    }

    public List<JsonNode> allSamples() throws IOException {
        return list(get(generator + "/api/samples").requireOk());
    }

    public List<JsonNode> samples(String runId) throws IOException {
        return list(get(generator + "/api/samples?runId=" + runId).requireOk());
    }

    /** The MIDI file of a generated sample. */
    public byte[] sampleMidi(String sampleId) throws IOException {
        Answer answer = get(generator + "/api/samples/" + sampleId + "/midi");
        if (answer.status() != 200) {
            throw new IOException(answer.request() + " answered " + answer.status() + ": " + answer.text());
        }
        return answer.body();
    }

    public Answer get(String url) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public Answer postJson(String url, String body, boolean withKey) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofMinutes(2));
        return send((withKey ? withKey(builder) : builder).build());
    }

    private HttpRequest.Builder withKey(HttpRequest.Builder builder) {
        return apiKey == null ? builder : builder.header("X-API-Key", apiKey);
    }

    private Answer send(HttpRequest request) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(request.method() + " " + request.uri(), response.statusCode(), response.body(), json);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + request.uri(), e);
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static void part(ByteArrayOutputStream body, String boundary, String field, String fileName, String type,
                             byte[] content) throws IOException {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(field).append('"');
        if (fileName != null) {
            head.append("; filename=\"").append(fileName.replace("\"", "")).append('"');
        }
        head.append("\r\n");
        if (type != null) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        head.append("\r\n");
        body.write(head.toString().getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** An HTTP answer: status and body. */
    public record Answer(String request, int status, byte[] body, ObjectMapper mapper) {

        public JsonNode json() throws IOException {
            return mapper.readTree(body);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode requireOk() throws IOException {
            if (status / 100 != 2) {
                throw new IOException(request + " answered " + status + ": " + text());
            }
            return json();
        }
    }
}
