package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl: {@code kubectl kustomize} renders an overlay exactly as {@code kubectl apply -k} would, and
 * its output is read with a YAML parser. Without kubectl every check fails, saying how to install it: the
 * checks must not pass by checking nothing.
 */
public final class Kubectl {

    static final String MISSING = "kubectl is not on the PATH, and the manifests are rendered with the real "
            + "`kubectl kustomize`: install it (as root: apt-get install -y kubectl; Debian's package "
            + "kubernetes-client also brings it), then run the checks again";

    private Kubectl() {
    }

    /** The objects {@code kubectl kustomize dir} prints. */
    public static List<ObjectNode> kustomize(Path dir) {
        return readYaml(exec(List.of(executable(System.getenv().getOrDefault("PATH", "")).toString(), "kustomize",
                dir.toString())));
    }

    /** Runs a command, giving its standard output; fails with its error output if it fails or hangs. */
    public static String exec(List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("kubectl", ".out");
            err = Files.createTempFile("kubectl", ".err");
            // into files: a command that hangs cannot block on a full pipe
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            if (!done || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(command + (done ? " failed (" + p.exitValue() + "): "
                        : " did not finish within 120 s: ") + Files.readString(err));
            }
            return Files.readString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            for (Path f : new Path[] {out, err}) {
                if (f != null) {
                    f.toFile().delete();
                }
            }
        }
    }

    /** Every object of a multi-document YAML (or concatenated JSON) text; empty documents are skipped. */
    public static List<ObjectNode> readYaml(String text) {
        ObjectMapper mapper = text.stripLeading().startsWith("{") ? new ObjectMapper() : new YAMLMapper();
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<ObjectNode> docs = mapper.readerFor(ObjectNode.class).readValues(text)) {
            while (docs.hasNextValue()) {
                ObjectNode doc = docs.nextValue();
                if (doc != null && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    /** kubectl on the search path, or a failure that says how to install it. */
    public static Path executable(String searchPath) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(MISSING);
    }
}
