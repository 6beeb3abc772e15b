package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration the manifests give a service is configuration the service reads. Each container of a
 * musicgen service (container name = module directory = artifactId) gets its environment from literal
 * {@code env} entries, Secret references and ConfigMaps ({@code envFrom}); every variable is mapped back to a
 * MicroProfile Config property with the environment-variable rule (uppercase, every character other than a
 * letter or digit as {@code _}: {@code MUSICGEN_STORAGE_ACCESS_KEY} is {@code musicgen.storage.access-key}) and
 * must be one the service knows:
 * <ul>
 *   <li>a key of its {@code src/main/resources/application.properties} (profiles stripped);</li>
 *   <li>a property of a {@code @ConfigMapping} interface in its sources or those of the project modules it depends
 *       on (methods in kebab-case, {@code @WithName}, {@code @WithParentName}, nested groups, maps);</li>
 *   <li>a {@code @ConfigProperty(name = ...)} in those sources;</li>
 *   <li>a {@code quarkus.*} property of the Quarkus config model that can be set at run time, or a
 *       {@code kafka.*} Kafka client property ({@link ConfigCatalog}).</li>
 * </ul>
 * Variables that are no configuration property (JVM and native-library settings) are allowed only from a
 * fixed list. A service in the manifests without a module directory is a failure.
 */
public final class ServiceConfiguration {

    /** Environment variables that configure the JVM or native libraries, not the application. */
    public static final Set<String> RUNTIME_VARIABLES = Set.of("JAVA_OPTS", "JAVA_TOOL_OPTIONS", "TZ", "HOME",
            "OMP_NUM_THREADS", "MALLOC_ARENA_MAX", "LD_LIBRARY_PATH", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION",
            "PYTORCH_FLAVOR", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "NVIDIA_VISIBLE_DEVICES",
            "NVIDIA_DRIVER_CAPABILITIES");

    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\s*\\(([^)]*)\\)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern METHOD = Pattern.compile(
            "((?:@[\\w.]+(?:\\s*\\([^)]*\\))?\\s*)*)([\\w.]+(?:\\s*<[\\w.<>?,\\s\\[\\]]*>)?(?:\\[\\])?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");

    private final ProjectModel project;
    private final ConfigCatalog catalog;
    public ServiceConfiguration(ProjectModel project, ConfigCatalog catalog) {
        this.project = project;
        this.catalog = catalog;
    }

    /**
     * A property the service knows, as a pattern over environment-variable names; {@code read} is false for a
     * property a {@code @ConfigMapping} declares but no code of the service calls for.
     */
    public record Known(String property, Pattern env, String phase, boolean read) {
        public Known(String property, Pattern env, String phase) {
            this(property, env, phase, true);
        }
    }

    public List<String> check(List<? extends JsonNode> resources) {
        List<String> problems = new ArrayList<>();
        Map<String, Path> modules = project.modules();
        for (JsonNode r : resources) {
            JsonNode template = Resources.podTemplate(r);
            if (template == null) {
                continue;
            }
            for (JsonNode c : Resources.containers(template.path("spec"))) {
                String service = c.path("name").asText();
                if (!isMusicgenService(c)) {
                    continue;
                }
                String where = Resources.id(r) + " container " + service;
                Path dir = modules.get(service);
                if (dir == null || !Files.isDirectory(dir.resolve("src/main"))) {
                    problems.add(where + ": the manifests deploy " + service + ", but the repository has no module "
                            + service + "/ (listed in the root pom.xml) whose configuration could be checked");
                    continue;
                }
                List<Known> known = knownProperties(service);
                for (Map.Entry<String, String> variable : variables(c, Resources.namespace(r), resources).entrySet()) {
                    String problem = checkVariable(service, variable.getKey(), known);
                    if (problem != null) {
                        problems.add(where + ": " + variable.getKey() + " (from " + variable.getValue() + ") " + problem);
                    }
                }
            }
        }
        return problems;
    }

    /** A container runs a musicgen service when its image is one of the project's. */
    public static boolean isMusicgenService(JsonNode container) {
        return container.path("image").asText().matches("(.*/)?musicgen/[a-z-]+-service(:.*)?");
    }

    /** Every environment variable the container gets, with where it comes from. */
    static Map<String, String> variables(JsonNode container, String namespace, List<? extends JsonNode> resources) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            if (from.has("configMapRef")) {
                String name = from.path("configMapRef").path("name").asText();
                JsonNode cm = Resources.find(resources, "ConfigMap", namespace, name);
                if (cm != null) {
                    cm.path("data").fieldNames().forEachRemaining(k -> vars.put(prefix + k, "ConfigMap " + name));
                }
            }
            if (from.has("secretRef")) {
                String name = from.path("secretRef").path("name").asText();
                JsonNode secret = Resources.find(resources, "Secret", namespace, name);
                if (secret != null) {
                    secret.path("data").fieldNames().forEachRemaining(k -> vars.put(prefix + k, "Secret " + name));
                    secret.path("stringData").fieldNames().forEachRemaining(k -> vars.put(prefix + k, "Secret " + name));
                }
            }
        }
        for (JsonNode env : container.path("env")) {
            JsonNode secret = env.path("valueFrom").path("secretKeyRef");
            JsonNode cm = env.path("valueFrom").path("configMapKeyRef");
            vars.put(env.path("name").asText(), !secret.isMissingNode() ? "Secret " + secret.path("name").asText()
                    : !cm.isMissingNode() ? "ConfigMap " + cm.path("name").asText() : "env");
        }
        return vars;
    }

    /** Visible for tests: null when the variable is fine, else what is wrong with it. */
    public String checkVariableForTest(String service, String variable, List<Known> known) {
        return checkVariable(service, variable, known);
    }

    String checkVariable(String service, String variable, List<Known> known) {
        if (RUNTIME_VARIABLES.contains(variable)) {
            return null;
        }
        List<Known> matches = known.stream().filter(k -> k.env().matcher(variable).matches()).toList();
        if (matches.isEmpty()) {
            return "is no configuration property " + service + " reads (nor a JVM/native runtime variable)";
        }
        if (matches.stream().noneMatch(Known::read)) {
            return "maps to " + matches.get(0).property() + ", which " + service + " declares but nothing in it "
                    + "reads: setting it has no effect";
        }
        for (Known k : matches) {
            // The Quarkus config model decides for quarkus.* names, also when application.properties sets them.
            if (k.phase() != null && !k.phase().equals("RUN_TIME")) {
                return "maps to " + k.property() + ", which is fixed at build time (" + k.phase()
                        + "): setting it at run time has no effect";
            }
        }
        return null;
    }

    /** Everything the service's configuration can hold, see the class comment. */
    public List<Known> knownProperties(String service) {
        Map<String, Path> modules = project.modules();
        List<Known> known = new ArrayList<>();
        Path dir = modules.get(service);
        Path props = dir.resolve("src/main/resources/application.properties");
        if (Files.isRegularFile(props)) {
            for (String line : ProjectModel.read(props).split("\n")) {
                String l = line.trim();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith("!") || !l.contains("=")) {
                    continue;
                }
                String key = l.substring(0, l.indexOf('=')).trim();
                if (key.startsWith("%")) {
                    key = key.substring(key.indexOf('.') + 1);
                }
                known.add(new Known(key, envPattern(key), null));
            }
        }
        List<Path> sourceRoots = new ArrayList<>();
        sourceRoots.add(dir.resolve("src/main/java"));
        for (String dep : project.internalDependencies(service)) {
            if (modules.containsKey(dep)) {
                sourceRoots.add(modules.get(dep).resolve("src/main/java"));
            }
        }
        Map<String, String> sources = read(sourceRoots);
        declarations(sources).forEach((property, accessor) -> known.add(new Known(property, envPattern(property),
                null, isRead(accessor, sources))));
        catalog.quarkusProperties().forEach((p, phase) -> known.add(new Known(p, envPattern(p), phase)));
        for (String p : catalog.kafkaProperties()) {
            known.add(new Known(p, envPattern(p), null));
        }
        return known;
    }

    /** Properties declared by {@code @ConfigMapping} interfaces and {@code @ConfigProperty} in the sources. */
    public static Set<String> sourceProperties(List<Path> sourceRoots) {
        return declarations(read(sourceRoots)).keySet();
    }

    /**
     * Properties of {@code @ConfigMapping} interfaces whose accessor no code of the sources calls (nor refers to
     * as {@code ::name}): declared, documented, settable, and without effect.
     */
    public static Set<String> unreadProperties(List<Path> sourceRoots) {
        Map<String, String> sources = read(sourceRoots);
        Set<String> unread = new LinkedHashSet<>();
        declarations(sources).forEach((property, accessor) -> {
            if (!isRead(accessor, sources)) {
                unread.add(property);
            }
        });
        return unread;
    }

    /** A {@code @ConfigProperty} (no accessor) is read where it is injected; a mapping's accessor where it is called. */
    private static boolean isRead(String accessor, Map<String, String> sources) {
        return accessor == null || isCalled(accessor, sources.values());
    }

    /** Whether {@code method} is called or referenced anywhere: not only declared ({@code Type method();}). */
    static boolean isCalled(String method, Iterable<String> sources) {
        Pattern reference = Pattern.compile("::\\s*" + method + "\\b");
        Pattern call = Pattern.compile("\\b" + method + "\\s*\\(");
        for (String text : sources) {
            if (reference.matcher(text).find()) {
                return true;
            }
            Matcher m = call.matcher(text);
            while (m.find()) {
                int i = m.start() - 1;
                while (i >= 0 && Character.isWhitespace(text.charAt(i))) {
                    i--;
                }
                if (i < 0) {
                    continue;
                }
                char before = text.charAt(i);
                if (Character.isJavaIdentifierPart(before)) {
                    int j = i;
                    while (j >= 0 && Character.isJavaIdentifierPart(text.charAt(j))) {
                        j--;
                    }
                    if (text.substring(j + 1, i + 1).equals("return")) {
                        return true;
                    }
                    continue; // a type before the name: a declaration
                }
                if (before != '>' && before != ']' && before != '@') {
                    return true; // after '.', '(', ',', '=', an operator...: a call
                }
            }
        }
        return false;
    }

    private static Map<String, String> read(List<Path> sourceRoots) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (Path root : sourceRoots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    sources.put(f.toString(), stripComments(ProjectModel.read(f)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /** Property name to the accessor method that reads it (null for {@code @ConfigProperty}). */
    private static Map<String, String> declarations(Map<String, String> sources) {
        // Top-level interfaces by simple name: groups a mapping may refer to.
        Map<String, String> interfaces = new LinkedHashMap<>();
        for (String text : sources.values()) {
            Matcher m = Pattern.compile("\\binterface\\s+(\\w+)[^{]*\\{").matcher(text);
            while (m.find()) {
                interfaces.putIfAbsent(m.group(1), body(text, m.end() - 1));
            }
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (String text : sources.values()) {
            Matcher mapping = CONFIG_MAPPING.matcher(text);
            while (mapping.find()) {
                Matcher prefix = Pattern.compile("prefix\\s*=\\s*\"([^\"]*)\"").matcher(mapping.group(1));
                String p = prefix.find() ? prefix.group(1) : "";
                Matcher iface = Pattern.compile("\\binterface\\s+(\\w+)[^{]*\\{").matcher(text);
                if (iface.find(mapping.end())) {
                    group(body(text, iface.end() - 1), p, interfaces, properties, 0);
                }
            }
            Matcher property = CONFIG_PROPERTY.matcher(text);
            while (property.find()) {
                properties.put(property.group(1), null);
            }
        }
        return properties;
    }

    private static void group(String body, String prefix, Map<String, String> interfaces, Map<String, String> out,
                              int depth) {
        if (depth > 10) {
            return;
        }
        Map<String, String> nested = new LinkedHashMap<>(interfaces);
        Matcher n = Pattern.compile("\\binterface\\s+(\\w+)[^{]*\\{").matcher(body);
        while (n.find()) {
            nested.put(n.group(1), body(body, n.end() - 1));
        }
        Matcher m = METHOD.matcher(topLevel(body));
        while (m.find()) {
            String annotations = m.group(1);
            String type = m.group(2).replaceAll("\\s+", "");
            String method = m.group(3);
            String name = kebab(method);
            Matcher withName = Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]+)\"").matcher(annotations);
            if (withName.find()) {
                name = withName.group(1);
            }
            if (annotations.contains("@WithParentName")) {
                name = "";
            }
            String full = name.isEmpty() ? prefix : prefix.isEmpty() ? name : prefix + "." + name;
            String element = type.replaceAll("^(java\\.util\\.)?(Optional|List|Set)<(.*)>$", "$3");
            if (element.startsWith("Map<") || element.startsWith("java.util.Map<")) {
                String value = element.substring(element.indexOf(',') + 1, element.length() - 1);
                full = full + ".*";
                element = value.replaceAll("^(Optional|List|Set)<(.*)>$", "$2");
            }
            String simple = element.substring(element.lastIndexOf('.') + 1);
            if (nested.containsKey(simple)) {
                group(nested.get(simple), full, interfaces, out, depth + 1);
            } else {
                out.put(full, method);
            }
        }
    }

    /** The text of a block without the contents of nested blocks (method bodies, nested types). */
    private static String topLevel(String body) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char ch : body.toCharArray()) {
            if (ch == '{') {
                if (depth++ == 0) {
                    out.append("{");
                }
            } else if (ch == '}') {
                if (--depth == 0) {
                    out.append("}");
                }
            } else if (depth == 0) {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** The contents of the block whose opening brace is at {@code open}. */
    private static String body(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '{') {
                depth++;
            } else if (ch == '}' && --depth == 0) {
                return text.substring(open + 1, i);
            }
        }
        return text.substring(open + 1);
    }

    private static String stripComments(String java) {
        return java.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z])([A-Z][a-z])", "$1-$2").toLowerCase();
    }

    /**
     * The environment variables that set a property: its name with every character other than a letter or digit
     * as {@code _}, uppercase; a map key ({@code *} or a Quarkus {@code "placeholder"}) stands for any name.
     */
    static Pattern envPattern(String property) {
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\"[^\"]*\"|\\*|\\[\\*\\]").matcher(property);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(envName(property.substring(last, m.start()))));
            regex.append(m.group().equals("[*]") ? "_[0-9]+_" : "[A-Z0-9_]+");
            last = m.end();
        }
        regex.append(Pattern.quote(envName(property.substring(last))));
        return Pattern.compile(regex.toString());
    }

    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }
}
