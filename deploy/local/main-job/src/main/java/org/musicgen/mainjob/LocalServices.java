package org.musicgen.mainjob;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The four services as separate processes on one machine, wired to one Kafka and one object store. */
public final class LocalServices implements AutoCloseable {

    public static final String INGEST = "ingest-service";
    public static final String TRAINER = "trainer-service";
    public static final String GENERATOR = "generator-service";
    public static final String EVALUATION = "evaluation-service";
    /** Start order: consumers before the producers that feed them. */
    public static final List<String> SERVICES = List.of(EVALUATION, GENERATOR, TRAINER, INGEST);

    /**
     * @param ports       HTTP port per service
     * @param properties  extra configuration per service (system properties), e.g. shorter training
     */
    public record Settings(Path root, Path logDir, String kafkaBootstrapServers, String s3Endpoint, String accessKey,
                           String secretKey, String apiKey, Map<String, Integer> ports,
                           Map<String, Map<String, String>> properties) {

        public static Map<String, Integer> defaultPorts() {
            return Map.of(EVALUATION, 8080, INGEST, 8081, TRAINER, 8082, GENERATOR, 8083);
        }
    }

    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    public LocalServices(Settings settings) {
        for (String name : SERVICES) {
            Map<String, String> properties = new HashMap<>();
            properties.put("kafka.bootstrap.servers", settings.kafkaBootstrapServers());
            properties.put("musicgen.storage.endpoint", settings.s3Endpoint());
            properties.put("musicgen.storage.access-key", settings.accessKey());
            properties.putAll(settings.properties().getOrDefault(name, Map.of()));
            Map<String, String> environment = new HashMap<>();
            environment.put("MUSICGEN_STORAGE_SECRET_KEY", settings.secretKey());
            if (settings.apiKey() != null && !name.equals(EVALUATION)) {
                environment.put("MUSICGEN_API_KEY", settings.apiKey());
            }
            List<String> jvm = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xss1m",
                    name.equals(TRAINER) || name.equals(GENERATOR) ? "-Xmx1g" : "-Xmx384m",
                    "-Djava.awt.headless=true", "-Dai.djl.offline=true"));
            if (name.equals(GENERATOR)) {
                // Lets the audio renderer drive the synthesizer with an installed General MIDI soundfont.
                jvm.add("--add-exports=java.desktop/com.sun.media.sound=ALL-UNNAMED");
                // Beside the trainer on the same cores, one PyTorch thread keeps generation from spinning against
                // it (measured: 3 s instead of over a minute per 500-token sample; BENCHMARKS.md).
                jvm.add("-Dai.djl.pytorch.num_threads=1");
            }
            Path jar = settings.root().resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
            services.put(name, new ServiceProcess(name, jar, settings.ports().get(name), jvm, properties, environment,
                    settings.logDir().resolve(name + ".log")));
        }
    }

    public ServiceProcess service(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name);
        }
        return service;
    }

    /** Starts every service, then waits until all are ready. */
    public void start(Duration timeout) {
        services.values().forEach(ServiceProcess::start);
        for (ServiceProcess service : services.values()) {
            service.awaitReady(timeout);
        }
    }

    /** Stops every service, producers first. */
    @Override
    public void close() {
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(ServiceProcess::stop);
    }
}
