package org.musicgen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A plain HTTP/1.1 client for the benchmarks: every call answers, with status -1 and the error as body when no
 * HTTP answer came, and carries how long it took. Write requests send the API key when one is given.
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String apiKey;

    Http(String apiKey) {
        this.apiKey = apiKey;
    }

    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);

    /** An answer: status (-1: none), body, the time from sending to the whole body read, and the headers. */
    record Reply(int status, byte[] body, long nanos, HttpHeaders headers) {

        Reply(int status, byte[] body, long nanos) {
            this(status, body, nanos, NO_HEADERS);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (HTTP " + status + "): " + text(), e);
            }
        }

        double millis() {
            return nanos / 1e6;
        }
    }

    /** One part of a multipart upload. */
    record Part(String field, String fileName, String contentType, byte[] content) {
    }

    Reply get(String url, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET());
    }

    Reply postJson(String url, String body, Duration timeout) {
        return send(withKey(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    Reply postMultipart(String url, List<Part> parts, Duration timeout) {
        String boundary = "bench-" + UUID.randomUUID();
        byte[] body = multipart(boundary, parts);
        return send(withKey(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))));
    }

    private HttpRequest.Builder withKey(HttpRequest.Builder builder) {
        return apiKey == null ? builder : builder.header("X-API-Key", apiKey);
    }

    /** Any request (the API key is not added): for callers that set their own headers, e.g. a cookie. */
    Reply send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.body(), System.nanoTime() - t0, response.headers());
        } catch (IOException e) {
            return new Reply(-1, (e.getClass().getSimpleName() + ": " + e.getMessage())
                    .getBytes(StandardCharsets.UTF_8), System.nanoTime() - t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted".getBytes(StandardCharsets.UTF_8), System.nanoTime() - t0);
        }
    }

    static byte[] multipart(String boundary, List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(part.field()).append('"');
            if (part.fileName() != null) {
                head.append("; filename=\"").append(part.fileName()).append('"');
            }
            head.append("\r\n");
            if (part.contentType() != null) {
                head.append("Content-Type: ").append(part.contentType()).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(part.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
