package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.config.ConfigMappings;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration the manifests give a service is configuration the service reads, as the service itself
 * declares it: a service is a class-path root whose {@code application.properties} names it
 * ({@code quarkus.application.name}), and it knows the keys of that file (profiles stripped), the properties of
 * the {@code @ConfigMapping} interfaces in its classes and in the shared modules' (named by SmallRye Config
 * itself), the {@code @ConfigProperty} injection points there (read from the class files with Jandex), the
 * run-time {@code quarkus.*} properties and the Kafka client properties ({@link ConfigCatalog}). Every variable
 * a container of a musicgen image gets maps to a property by the environment-variable rule (uppercase, any other
 * character than a letter or digit as {@code _}) and must be one of those, or a JVM/native-library variable.
 */
public final class ServiceConfiguration {

    /** Environment variables that configure the JVM or native libraries, not the application. */
    public static final Set<String> RUNTIME_VARIABLES = Set.of("JAVA_OPTS", "JAVA_TOOL_OPTIONS", "TZ", "HOME",
            "OMP_NUM_THREADS", "MALLOC_ARENA_MAX", "LD_LIBRARY_PATH", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION",
            "PYTORCH_FLAVOR", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "NVIDIA_VISIBLE_DEVICES",
            "NVIDIA_DRIVER_CAPABILITIES");

    private static final DotName CONFIG_MAPPING = DotName.createSimple("io.smallrye.config.ConfigMapping");
    private static final DotName CONFIG_PROPERTY = DotName.createSimple("org.eclipse.microprofile.config.inject.ConfigProperty");

    /** A service: its name, its application.properties, and every property its own code and the shared code declare. */
    public record Service(String name, Properties applicationProperties, Set<String> declared) {
    }

    private final Map<String, Service> services;
    private final ConfigCatalog catalog;
    private final Map<String, Pattern> patterns = new java.util.concurrent.ConcurrentHashMap<>();

    public ServiceConfiguration(Map<String, Service> services, ConfigCatalog catalog) {
        this.services = services;
        this.catalog = catalog;
    }

    /** The services on the class path, each with the properties of its classes and of the shared roots. */
    public static Map<String, Service> services(ClassLoader loader, List<Path> sharedRoots) {
        Set<String> shared = new LinkedHashSet<>();
        sharedRoots.forEach(root -> shared.addAll(declared(root, loader)));
        Map<String, Service> services = new LinkedHashMap<>();
        try {
            for (URL url : Collections.list(loader.getResources("application.properties"))) {
                Properties props = new Properties();
                try (InputStream in = url.openStream()) {
                    props.load(in);
                }
                String name = props.getProperty("quarkus.application.name");
                if (name != null) {
                    Set<String> declared = new LinkedHashSet<>(declared(root(url), loader));
                    declared.addAll(shared);
                    services.put(name, new Service(name, props, declared));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return services;
    }

    /** The class-path root (a directory or a jar) a class comes from. */
    public static Path root(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(type.getName(), e);
        }
    }

    /** The class-path root that holds a resource at its top level. */
    private static Path root(URL topLevelResource) {
        try {
            String s = topLevelResource.toString();
            return s.startsWith("jar:") ? Path.of(new URL(s.substring(4, s.indexOf("!/"))).toURI())
                    : Path.of(topLevelResource.toURI()).getParent();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalArgumentException(topLevelResource.toString(), e);
        }
    }

    /** Properties declared in the classes of one root: every {@code @ConfigMapping} property and {@code @ConfigProperty}. */
    public static Set<String> declared(Path root, ClassLoader loader) {
        Index index = index(root);
        Set<String> out = new LinkedHashSet<>();
        for (AnnotationInstance mapping : index.getAnnotations(CONFIG_MAPPING)) {
            String type = mapping.target().asClass().name().toString();
            String prefix = mapping.value("prefix") == null ? "" : mapping.value("prefix").asString();
            try {
                Class<?> iface = Class.forName(type, false, loader);
                out.addAll(ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(iface, prefix)).keySet());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("cannot load the configuration mapping " + type, e);
            }
        }
        for (AnnotationInstance property : index.getAnnotations(CONFIG_PROPERTY)) {
            if (property.value("name") != null) {
                out.add(property.value("name").asString());
            }
        }
        return out;
    }

    private static Index index(Path root) {
        Indexer indexer = new Indexer();
        try {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                        try (InputStream in = Files.newInputStream(f)) {
                            indexer.index(in);
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    for (JarEntry e : Collections.list(jar.entries())) {
                        if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                indexer.index(in);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return indexer.complete();
    }

    public List<String> check(List<? extends JsonNode> resources) {
        List<String> problems = new ArrayList<>();
        for (JsonNode r : resources) {
            JsonNode template = Resources.podTemplate(r);
            if (template == null) {
                continue;
            }
            for (JsonNode c : Resources.containers(template.path("spec"))) {
                if (!isMusicgenService(c)) {
                    continue;
                }
                String name = c.path("name").asText();
                String where = Resources.id(r) + " container " + name;
                if (!services.containsKey(name)) {
                    problems.add(where + ": the manifests deploy " + name + ", but no service of that name "
                            + "(quarkus.application.name) is on the checks' class path " + services.keySet());
                    continue;
                }
                Map<String, String> known = knownProperties(name);
                variables(c, Resources.namespace(r), resources).forEach((variable, from) -> {
                    String problem = checkVariable(name, variable, known);
                    if (problem != null) {
                        problems.add(where + ": " + variable + " (from " + from + ") " + problem);
                    }
                });
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
            for (String kind : List.of("ConfigMap", "Secret")) {
                String name = from.path(kind.equals("Secret") ? "secretRef" : "configMapRef").path("name").asText();
                JsonNode source = Resources.find(resources, kind, namespace, name);
                if (source != null) {
                    for (String field : List.of("data", "stringData")) {
                        source.path(field).fieldNames().forEachRemaining(k -> vars.put(prefix + k, kind + " " + name));
                    }
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

    /** Every property the service can be given, with its phase (null: set at run time). */
    public Map<String, String> knownProperties(String service) {
        Map<String, String> known = new LinkedHashMap<>();
        Service s = services.get(service);
        for (String key : s.applicationProperties().stringPropertyNames()) {
            known.put(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key, null);
        }
        s.declared().forEach(p -> known.put(p, null));
        catalog.kafkaProperties().forEach(p -> known.put(p, null));
        // The Quarkus config model decides for quarkus.* names, also when application.properties sets them.
        catalog.quarkusProperties().forEach(known::put);
        return known;
    }

    /** Null when the variable is fine, else what is wrong with it. */
    public String checkVariable(String service, String variable, Map<String, String> known) {
        if (RUNTIME_VARIABLES.contains(variable)) {
            return null;
        }
        boolean matched = false;
        for (Map.Entry<String, String> k : known.entrySet()) {
            if (patterns.computeIfAbsent(k.getKey(), ServiceConfiguration::envPattern).matcher(variable).matches()) {
                if (k.getValue() != null && !k.getValue().equals("RUN_TIME")) {
                    return "maps to " + k.getKey() + ", which is fixed at build time (" + k.getValue()
                            + "): setting it at run time has no effect";
                }
                matched = true;
            }
        }
        return matched ? null : "is no configuration property " + service + " reads (nor a JVM/native runtime variable)";
    }

    /**
     * The environment variables that set a property: its name with every character other than a letter or digit
     * as {@code _}, uppercase; a map key ({@code *} or a Quarkus {@code "placeholder"}) stands for any name, a
     * list index ({@code [*]}) for a number.
     */
    static Pattern envPattern(String property) {
        StringBuilder regex = new StringBuilder();
        java.util.regex.Matcher m = Pattern.compile("\"[^\"]*\"|\\[\\*]|\\*").matcher(property);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(envName(property.substring(last, m.start()))));
            regex.append(m.group().equals("[*]") ? "_[0-9]+_" : "[A-Z0-9_]+");
            last = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(envName(property.substring(last)))).toString());
    }

    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }
}
