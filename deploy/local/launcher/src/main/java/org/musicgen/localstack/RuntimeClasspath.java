package org.musicgen.localstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a server's runtime classpath from the resource written at build time by the
 * local-stack-*-runtime modules (maven-dependency-plugin build-classpath).
 */
final class RuntimeClasspath {

    static final String KAFKA = "org/musicgen/localstack/kafka.classpath";
    static final String S3PROXY = "org/musicgen/localstack/s3proxy.classpath";

    private RuntimeClasspath() {
    }

    static String load(String resource) {
        ClassLoader loader = RuntimeClasspath.class.getClassLoader();
        String text;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing: the launcher must have "
                        + "local-stack-kafka-runtime and local-stack-s3-runtime on its classpath "
                        + "(build with ./mvnw -pl deploy/local/launcher -am install)");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        List<String> missing = new ArrayList<>();
        for (String entry : text.split(File.pathSeparator)) {
            if (!entry.isBlank() && !Files.exists(Path.of(entry))) {
                missing.add(entry);
            }
        }
        if (text.isEmpty() || !missing.isEmpty()) {
            throw new IllegalStateException("the classpath recorded in " + resource + " refers to files that do "
                    + "not exist on this machine " + missing + "; rebuild the local stack modules "
                    + "(./mvnw -pl deploy/local/launcher -am install -DskipTests)");
        }
        return text;
    }
}
