package org.musicgen.localstack;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: {@code @ExtendWith(LocalStackExtension.class)} starts a {@link LocalStack} on free
 * ports in a temporary directory once per test class, stops it (and deletes the directory) after the
 * class, and injects it into parameters of type {@link LocalStack} (test methods, constructors,
 * lifecycle methods).
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);
    private static final String KEY = "local-stack";

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return running(extensionContext);
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("cannot start the local stack: " + e.getMessage(), e);
        }
    }

    /** The stack of the innermost test class, started on first use. */
    private static LocalStack running(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        ExtensionContext.Store store = classContext.getStore(NAMESPACE);
        StackResource resource = store.getOrComputeIfAbsent(KEY, k -> StackResource.start(), StackResource.class);
        return resource.stack;
    }

    /** Stops the stack and removes its directory when the class's store is closed. */
    @SuppressWarnings("deprecation") // CloseableResource for JUnit before 5.13, AutoCloseable after
    static final class StackResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final LocalStack stack;
        final Path dir;

        private StackResource(LocalStack stack, Path dir) {
            this.stack = stack;
            this.dir = dir;
        }

        static StackResource start() {
            Path dir = TempDirs.create();
            LocalStack stack = LocalStack.builder().dataDir(dir).kafkaPort(0).s3Port(0).build();
            try {
                stack.start();
            } catch (RuntimeException e) {
                TempDirs.deleteQuietly(dir);
                throw e;
            }
            return new StackResource(stack, dir);
        }

        @Override
        public void close() {
            try {
                stack.stop();
            } finally {
                TempDirs.deleteQuietly(dir);
            }
        }
    }
}
