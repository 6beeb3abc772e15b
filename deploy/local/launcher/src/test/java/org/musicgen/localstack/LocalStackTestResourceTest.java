package org.musicgen.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The Quarkus test resource outside Quarkus: config map, field injection, stop and clean-up. */
class LocalStackTestResourceTest {

    static class FakeTest {
        @InjectLocalStack
        LocalStack injected;
        LocalStack notAnnotated;
    }

    @Test
    void startsInjectsAndStops() throws Exception {
        LocalStackTestResource resource = new LocalStackTestResource();
        Map<String, String> config = resource.start();
        LocalStack stack = resource.stack();
        Path dir = stack.dataDir();
        try {
            assertEquals(stack.kafkaBootstrapServers(), config.get("kafka.bootstrap.servers"));
            assertEquals(stack.s3Endpoint(), config.get("musicgen.storage.endpoint"));
            assertEquals("minioadmin", config.get("musicgen.storage.access-key"));
            assertEquals("minioadmin", config.get("musicgen.storage.secret-key"));
            HttpResponse<Void> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(config.get("musicgen.storage.endpoint") + "/")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(403, answer.statusCode(), "anonymous request is refused");

            FakeTest test = new FakeTest();
            resource.inject((TestInjector) (value, predicate) -> inject(test, value, predicate));
            assertSame(stack, test.injected);
            assertNull(test.notAnnotated);
        } finally {
            resource.stop();
        }
        assertFalse(stack.isKafkaRunning());
        assertFalse(stack.isS3Running());
        assertFalse(Files.exists(dir), "temporary directory removed");
        assertTrue(resource.stack() == null);
    }

    private static void inject(Object target, Object value, Predicate<Field> predicate) {
        for (Field f : target.getClass().getDeclaredFields()) {
            if (predicate.test(f)) {
                try {
                    f.setAccessible(true);
                    f.set(target, value);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }
}
