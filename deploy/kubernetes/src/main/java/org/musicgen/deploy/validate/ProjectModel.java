package org.musicgen.deploy.validate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the checks read from the repository itself: modules, topics, buckets, the documented Secrets. */
public final class ProjectModel {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern STRING_CONSTANT = Pattern.compile("static\\s+final\\s+String\\s+\\w+\\s*=\\s*\"([^\"]+)\"");

    private final Path root;

    public ProjectModel(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Module directories of the root pom, by artifactId. */
    public Map<String, Path> modules() {
        Map<String, Path> modules = new LinkedHashMap<>();
        Matcher m = MODULE.matcher(read(root.resolve("pom.xml")));
        while (m.find()) {
            Path dir = root.resolve(m.group(1).trim());
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom)) {
                modules.put(artifactId(read(pom)), dir);
            }
        }
        return modules;
    }

    /** The artifactIds of org.musicgen modules a module depends on (any scope but test), transitively. */
    public Set<String> internalDependencies(String artifactId) {
        Map<String, Path> modules = modules();
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(List.of(artifactId));
        while (!todo.isEmpty()) {
            Path dir = modules.get(todo.remove(0));
            if (dir == null) {
                continue;
            }
            String pom = read(dir.resolve("pom.xml"));
            Matcher dep = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
            while (dep.find()) {
                String d = dep.group(1);
                if (d.contains("<groupId>org.musicgen</groupId>") && !d.contains("<scope>test</scope>")) {
                    String a = tag(d, "artifactId");
                    if (out.add(a)) {
                        todo.add(a);
                    }
                }
            }
        }
        return out;
    }

    /** Topic names: constants of platform-common's Topics, the topics in DESIGN.md when it is beside the repository. */
    public Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>(platformTopics());
        designTopics().ifPresent(topics::addAll);
        return topics;
    }

    /** Bucket names: constants of platform-common's Buckets, the buckets in DESIGN.md when it is there. */
    public Set<String> buckets() {
        Set<String> buckets = new LinkedHashSet<>(platformBuckets());
        designBuckets().ifPresent(buckets::addAll);
        return buckets;
    }

    /** The constants of platform-common's Topics. */
    public Set<String> platformTopics() {
        return constants("Topics.java");
    }

    /** The constants of platform-common's Buckets. */
    public Set<String> platformBuckets() {
        return constants("Buckets.java");
    }

    /** The Kafka topics DESIGN.md names; empty when DESIGN.md is not there (see {@link #design()}). */
    public Optional<Set<String>> designTopics() {
        return design().map(text -> backticked(text, "Kafka topics", "[a-z]+\\.[a-z]+"));
    }

    /** The object-store buckets DESIGN.md names; empty when DESIGN.md is not there. */
    public Optional<Set<String>> designBuckets() {
        return design().map(text -> backticked(text, "Object-store buckets", "[a-z]+"));
    }

    /** DESIGN.md, kept beside the repository (../shared/DESIGN.md) or inside it. */
    public Optional<String> design() {
        for (Path p : List.of(root.resolve("../shared/DESIGN.md"), root.resolve("shared/DESIGN.md"),
                root.resolve("DESIGN.md"))) {
            if (Files.isRegularFile(p)) {
                return Optional.of(read(p));
            }
        }
        return Optional.empty();
    }

    /**
     * Secrets the deployment guide tells people to create, with their keys: every
     * {@code kubectl create secret generic NAME ... --from-literal=KEY=...} command (continued lines included).
     */
    public Map<String, Set<String>> documentedSecrets(Path readme) {
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        String text = read(readme).replace("\\\n", " ");
        Matcher cmd = Pattern.compile("kubectl(?: -n \\S+)? create secret generic ([a-z0-9.-]+)([^\\n]*)").matcher(text);
        while (cmd.find()) {
            Set<String> keys = secrets.computeIfAbsent(cmd.group(1), k -> new LinkedHashSet<>());
            Matcher literal = Pattern.compile("--from-(?:literal|file)=([A-Za-z0-9._-]+)=").matcher(cmd.group(2));
            while (literal.find()) {
                keys.add(literal.group(1));
            }
        }
        return secrets;
    }

    /** The topics a service's application.properties names (channels and dead-letter topics). */
    public Set<String> configuredTopics(Path module) {
        Set<String> topics = new LinkedHashSet<>();
        Path props = module.resolve("src/main/resources/application.properties");
        if (Files.isRegularFile(props)) {
            for (String line : read(props).split("\n")) {
                Matcher m = Pattern.compile("^mp\\.messaging\\.[^=]*\\.topic\\s*=\\s*(\\S+)").matcher(line.trim());
                if (m.find()) {
                    topics.add(m.group(1));
                }
            }
        }
        return topics;
    }

    private Set<String> constants(String fileName) {
        Set<String> values = new LinkedHashSet<>();
        Path src = root.resolve("platform-common/src/main/java");
        if (!Files.isDirectory(src)) {
            return values;
        }
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals(fileName)).toList()) {
                Matcher m = STRING_CONSTANT.matcher(read(f));
                while (m.find()) {
                    values.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    /** Backticked names matching {@code pattern} in the paragraph that starts with {@code heading}. */
    private static Set<String> backticked(String text, String heading, String pattern) {
        Set<String> out = new LinkedHashSet<>();
        int start = text.indexOf(heading);
        if (start < 0) {
            return out;
        }
        int end = text.indexOf("\n\n", start);
        Matcher m = Pattern.compile("`(" + pattern + ")`").matcher(text.substring(start, end < 0 ? text.length() : end));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String artifactId(String pom) {
        int parentEnd = pom.indexOf("</parent>");
        return tag(parentEnd < 0 ? pom : pom.substring(parentEnd), "artifactId");
    }

    private static String tag(String xml, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">([^<]+)</" + tag + ">").matcher(xml);
        return m.find() ? m.group(1).trim() : "";
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
