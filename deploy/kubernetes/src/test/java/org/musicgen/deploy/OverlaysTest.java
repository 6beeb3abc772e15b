package org.musicgen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.musicgen.deploy.validate.CrossReferences;
import org.musicgen.deploy.validate.Resources;
import org.musicgen.deploy.validate.Schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every overlay renders, matches the schemas, fits together, and has what the issue asks of it. */
class OverlaysTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void rendersAndMatchesTheKubernetesAndStrimziSchemas(String overlay) {
        List<ObjectNode> resources = Overlays.render(overlay);
        assertTrue(resources.size() > 40, "kubectl kustomize rendered " + resources.size() + " objects");
        assertEquals(List.of(), Schemas.validate(resources));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void crossReferencesHold(String overlay) {
        assertEquals(List.of(), CrossReferences.check(Overlays.render(overlay), Overlays.expectations()));
    }

    @Test
    void expectationsComeFromTheRepository() {
        CrossReferences.Expectations e = Overlays.expectations();
        assertTrue(e.topics().containsAll(Set.of("corpora.ingested", "training.progress", "models.trained",
                "samples.generated", "ratings.submitted")), e.topics().toString());
        assertTrue(e.topics().containsAll(Set.of("trials.planned")), "named by evaluation-service's configuration");
        assertEquals(Set.of("corpora", "datasets", "checkpoints", "samples", "ratings"), e.buckets());
        assertEquals(Map.of("minio-root", Set.of("root-user", "root-password"),
                "musicgen-storage", Set.of("access-key", "secret-key"),
                "musicgen-api", Set.of("api-key")), e.documentedSecrets());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyServiceHasProbesResourcesMetricsBudgetPolicyAndService(String overlay) {
        List<ObjectNode> rs = Overlays.render(overlay);
        List<String> problems = new ArrayList<>();
        for (String service : Overlays.SERVICES) {
            JsonNode d = Resources.find(rs, "Deployment", "musicgen", service);
            assertNotNull(d, service + " Deployment");
            JsonNode pod = d.at("/spec/template");
            JsonNode c = pod.at("/spec/containers/0");
            assertEquals(service, c.path("name").asText());
            int port = c.at("/ports/0/containerPort").asInt();
            Map<String, String> probes = Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                    "readinessProbe", "/q/health/ready");
            probes.forEach((probe, path) -> {
                if (!path.equals(c.path(probe).at("/httpGet/path").asText())) {
                    problems.add(service + ": " + probe + " must GET " + path);
                }
            });
            for (String r : List.of("requests", "limits")) {
                for (String kind : List.of("cpu", "memory")) {
                    if (!c.path("resources").path(r).has(kind)) {
                        problems.add(service + ": no " + r + "." + kind);
                    }
                }
            }
            JsonNode ann = pod.at("/metadata/annotations");
            if (!ann.path("prometheus.io/scrape").asText().equals("true")
                    || !ann.path("prometheus.io/path").asText().equals("/q/metrics")
                    || ann.path("prometheus.io/port").asInt() != port) {
                problems.add(service + ": Prometheus annotations must point at /q/metrics on " + port);
            }
            Map<String, String> labels = Resources.strings(pod.at("/metadata/labels"));
            for (String kind : List.of("PodDisruptionBudget", "NetworkPolicy")) {
                boolean covered = Resources.ofKind(rs, kind).stream().anyMatch(r -> Resources.selects(
                        r.at(kind.equals("NetworkPolicy") ? "/spec/podSelector" : "/spec/selector"), labels)
                        && !Resources.isEmptySelector(r.at(kind.equals("NetworkPolicy") ? "/spec/podSelector" : "/spec/selector")));
                if (!covered) {
                    problems.add(service + ": no " + kind + " of its own");
                }
            }
            boolean hasService = Resources.ofKind(rs, "Service").stream()
                    .anyMatch(s -> Resources.selects(s.at("/spec/selector"), labels));
            if (!hasService) {
                problems.add(service + ": no Service");
            }
            for (JsonNode container : Resources.containers(pod.path("spec"))) {
                String image = container.path("image").asText();
                if (!image.matches(".+:[A-Za-z0-9._-]+") || image.endsWith(":latest")) {
                    problems.add(service + ": image " + image + " needs a fixed tag");
                }
            }
        }
        assertEquals(List.of(), problems);
        JsonNode hpa = Resources.find(rs, "HorizontalPodAutoscaler", "musicgen", "generator-service");
        assertNotNull(hpa, "generator-service scales with an HPA");
        assertFalse(Resources.find(rs, "Deployment", "musicgen", "generator-service").path("spec").has("replicas"),
                "the HPA owns the generator's replica count");
        assertTrue(Resources.ofKind(rs, "NetworkPolicy").stream()
                .anyMatch(np -> Resources.isEmptySelector(np.at("/spec/podSelector"))
                        && np.at("/spec/policyTypes").toString().contains("Ingress")
                        && !np.path("spec").has("ingress")), "a default deny for ingress");
        JsonNode ingress = Resources.find(rs, "Ingress", "musicgen", "musicgen");
        String routes = ingress.at("/spec/rules").toString();
        assertTrue(routes.contains("evaluation-service") && routes.contains("ingest-service"), routes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void trainersRollWithoutASpareGpuAndMinioKeepsItsData(String overlay) {
        List<ObjectNode> rs = Overlays.render(overlay);
        JsonNode trainer = Resources.find(rs, "Deployment", "musicgen", "trainer-service");
        assertEquals(overlay.equals("production") ? 2 : 1, trainer.at("/spec/replicas").asInt());
        assertEquals("RollingUpdate", trainer.at("/spec/strategy/type").asText());
        assertEquals(0, trainer.at("/spec/strategy/rollingUpdate/maxSurge").asInt());
        assertNotNull(Resources.find(rs, "KafkaTopic", "musicgen", "training.runs"), "the trainers' work list");
        JsonNode minio = Resources.find(rs, "StatefulSet", "musicgen", "minio");
        assertEquals("data", minio.at("/spec/volumeClaimTemplates/0/metadata/name").asText());
        assertTrue(minio.at("/spec/template/spec/containers/0/volumeMounts").toString().contains("\"/data\""));
        JsonNode job = Resources.find(rs, "Job", "musicgen", "minio-setup");
        assertNotNull(job, "the bucket setup job");
    }

    @Test
    void devTrainsOnTheCpu() {
        List<ObjectNode> rs = Overlays.render("dev");
        JsonNode trainer = Resources.find(rs, "Deployment", "musicgen", "trainer-service");
        assertFalse(trainer.toString().contains("nvidia.com/gpu"));
        assertEquals("cpu", Resources.find(rs, "ConfigMap", "musicgen", "trainer-service-config")
                .at("/data/MUSICGEN_TRAINER_DEVICE").asText());
        assertEquals(1, Resources.find(rs, "KafkaNodePool", "musicgen", "dual-role").at("/spec/replicas").asInt());
    }

    @Test
    void productionTrainsOnAGpuNodeAndServesHttps() {
        List<ObjectNode> rs = Overlays.render("production");
        JsonNode pod = Resources.find(rs, "Deployment", "musicgen", "trainer-service").at("/spec/template/spec");
        assertEquals(1, pod.at("/containers/0/resources/limits/nvidia.com~1gpu").asInt());
        assertEquals("true", pod.at("/nodeSelector/nvidia.com~1gpu.present").asText());
        assertEquals("nvidia.com/gpu", pod.at("/tolerations/0/key").asText());
        assertEquals("kubernetes.io/hostname", pod.at("/affinity/podAntiAffinity/"
                + "preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm/topologyKey").asText());
        assertTrue(pod.at("/containers/0/image").asText().endsWith("-gpu"), "the CUDA image");
        assertEquals("gpu", Resources.find(rs, "ConfigMap", "musicgen", "trainer-service-config")
                .at("/data/MUSICGEN_TRAINER_DEVICE").asText());
        JsonNode ingress = Resources.find(rs, "Ingress", "musicgen", "musicgen");
        assertEquals("musicgen-tls", ingress.at("/spec/tls/0/secretName").asText());
        assertTrue(ingress.at("/metadata/annotations").has("cert-manager.io/cluster-issuer"));
        assertEquals(2, Resources.find(rs, "Deployment", "musicgen", "ingest-service").at("/spec/replicas").asInt());
        assertEquals(3, Resources.find(rs, "KafkaNodePool", "musicgen", "dual-role").at("/spec/replicas").asInt());
        for (JsonNode t : Resources.ofKind(rs, "KafkaTopic")) {
            assertEquals(3, t.at("/spec/replicas").asInt(), Resources.id(t));
            assertEquals(2, t.at("/spec/config/min.insync.replicas").asInt(), Resources.id(t));
        }
    }

    @Test
    void dockerfilesPackageTheFastJarAndTheGpuVariantBringsCudaLibtorch() throws IOException {
        for (String service : Overlays.SERVICES) {
            String df = Files.readString(Overlays.manifests().resolve("images/" + service + "/Dockerfile"));
            assertTrue(df.contains("COPY --chown=185:185 " + service + "/target/quarkus-app/lib/"), service);
            assertTrue(df.contains("quarkus-run.jar"), service);
        }
        String gpu = Files.readString(Overlays.manifests().resolve("images/trainer-service/Dockerfile.gpu"));
        for (String expected : List.of("ARG LIBTORCH_URL=", "PYTORCH_LIBRARY_PATH=/opt/libtorch/lib",
                "PYTORCH_VERSION=2.7.1", "PYTORCH_FLAVOR=cu128", "-Dai.djl.offline=true",
                "trainer-service/target/quarkus-app/")) {
            assertTrue(gpu.contains(expected), expected);
        }
    }
}
