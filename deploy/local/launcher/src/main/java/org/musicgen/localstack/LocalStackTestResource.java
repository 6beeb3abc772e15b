package org.musicgen.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource: {@code @QuarkusTestResource(LocalStackTestResource.class)} (or
 * {@code @WithTestResource}) starts a {@link LocalStack} on free ports in a temporary directory and
 * points the application at it through {@code kafka.bootstrap.servers},
 * {@code musicgen.storage.endpoint}, {@code musicgen.storage.access-key} and
 * {@code musicgen.storage.secret-key}. Fields of type {@link LocalStack} annotated with
 * {@link InjectLocalStack} receive the running stack.
 */
public final class LocalStackTestResource implements QuarkusTestResourceLifecycleManager {

    private LocalStack stack;
    private Path dir;

    @Override
    public Map<String, String> start() {
        dir = TempDirs.create();
        stack = LocalStack.builder().dataDir(dir).kafkaPort(0).s3Port(0).build();
        try {
            stack.start();
        } catch (RuntimeException e) {
            TempDirs.deleteQuietly(dir);
            throw e;
        }
        return Map.of(
                "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
                "musicgen.storage.endpoint", stack.s3Endpoint(),
                "musicgen.storage.access-key", stack.accessKey(),
                "musicgen.storage.secret-key", stack.secretKey());
    }

    @Override
    public void stop() {
        try {
            if (stack != null) {
                stack.stop();
            }
        } finally {
            TempDirs.deleteQuietly(dir);
            stack = null;
            dir = null;
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stack,
                new TestInjector.AnnotatedAndMatchesType(InjectLocalStack.class, LocalStack.class));
    }

    /** The running stack (null before start and after stop). */
    public LocalStack stack() {
        return stack;
    }
}
