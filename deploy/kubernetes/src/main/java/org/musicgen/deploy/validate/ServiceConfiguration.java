package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration the manifests give a service is configuration the service reads. Every variable a container
 * of a musicgen image gets (the container is named after its service) maps to a property by the environment
 * variable rule (uppercase, any character other than a letter or digit as {@code _}) and must be one the service
 * can be given at run time, as the service itself declares them, or a JVM/native-library variable.
 */
public final class ServiceConfiguration {

    /** Environment variables that configure the JVM or native libraries, not the application. */
    public static final Set<String> RUNTIME_VARIABLES = Set.of("JAVA_OPTS", "JAVA_TOOL_OPTIONS", "TZ", "HOME",
            "OMP_NUM_THREADS", "MALLOC_ARENA_MAX", "LD_LIBRARY_PATH", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION",
            "PYTORCH_FLAVOR", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES");

    /** Per service, every property it can be given, with its phase (null or {@code RUN_TIME}: at run time). */
    private final Map<String, Map<String, String>> known;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    public ServiceConfiguration(Map<String, Map<String, String>> known) {
        this.known = known;
    }

    public List<String> check(List<? extends JsonNode> resources) {
        List<String> problems = new ArrayList<>();
        for (JsonNode r : resources) {
            JsonNode template = Resources.podTemplate(r);
            for (JsonNode c : template == null ? List.<JsonNode>of() : Resources.containers(template.path("spec"))) {
                String name = c.path("name").asText();
                if (!c.path("image").asText().matches("(.*/)?musicgen/[a-z-]+-service(:.*)?")) {
                    continue; // not one of the project's images
                }
                String where = Resources.id(r) + " container " + name;
                if (!known.containsKey(name)) {
                    problems.add(where + ": the manifests deploy " + name + ", but no service of that name "
                            + "(quarkus.application.name) is among those checked " + known.keySet());
                    continue;
                }
                Resources.environment(resources, c, Resources.namespace(r)).forEach((variable, v) -> {
                    String problem = checkVariable(name, variable);
                    if (problem != null) {
                        problems.add(where + ": " + variable + " (from " + v.source() + ") " + problem);
                    }
                });
            }
        }
        return problems;
    }

    /** Null when the service can be given the variable, else what is wrong with it. */
    public String checkVariable(String service, String variable) {
        if (RUNTIME_VARIABLES.contains(variable)) {
            return null;
        }
        boolean matched = false;
        for (Map.Entry<String, String> k : known.get(service).entrySet()) {
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
        Matcher m = Pattern.compile("\"[^\"]*\"|\\[\\*]|\\*").matcher(property);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(envName(property.substring(last, m.start()))));
            regex.append(m.group().equals("[*]") ? "_[0-9]+_" : "[A-Z0-9_]+");
            last = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(envName(property.substring(last)))).toString());
    }

    private static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }
}
