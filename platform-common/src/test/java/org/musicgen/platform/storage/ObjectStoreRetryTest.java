package org.musicgen.platform.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A store whose first answer is garbled on the wire: reads try once more on a fresh connection, nothing else. */
class ObjectStoreRetryTest {

    @Test
    void aReadGarbledOnTheWireIsTriedOnceMore() throws Exception {
        byte[] body = "hello".getBytes(StandardCharsets.US_ASCII);
        try (FakeStore store = new FakeStore(List.of("-12-02T13:04:24Z\"}HTTP/1.1 200 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: application/octet-stream\r\n\r\nhello"))) {
            assertArrayEquals(body, store.client().get("ratings", "a.json").orElseThrow());
            assertEquals(2, store.connections.get(), "the second try ran on a new connection");
        }
    }

    @Test
    void aStoreThatKeepsFailingIsReportedUnavailableAfterTheSecondTry() throws Exception {
        String garbled = "garbled\r\n\r\n";
        try (FakeStore store = new FakeStore(List.of(garbled, garbled, garbled))) {
            assertThrows(ObjectStoreUnavailableException.class, () -> store.client().get("ratings", "a.json"));
            assertEquals(2, store.connections.get());
        }
    }

    /** Answers the n-th connection's request with the n-th canned answer and closes it. */
    private static final class FakeStore implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0);
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread thread;

        FakeStore(List<String> answers) throws IOException {
            thread = new Thread(() -> {
                for (String answer : answers) {
                    try (Socket socket = server.accept()) {
                        connections.incrementAndGet();
                        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                                StandardCharsets.US_ASCII));
                        String line;
                        while ((line = in.readLine()) != null && !line.isEmpty()) {
                            // the request's headers; a GET has no body
                        }
                        OutputStream out = socket.getOutputStream();
                        out.write(answer.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        ObjectStore client() {
            int port = server.getLocalPort();
            return new ObjectStore(new StorageConfig() {
                public String endpoint() {
                    return "http://127.0.0.1:" + port;
                }

                public String accessKey() {
                    return "test-access";
                }

                public String secretKey() {
                    return "test-secret-key";
                }

                public String region() {
                    return "us-east-1";
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
