package org.musicgen.deploy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.musicgen.deploy.validate.CrossReferences;
import org.musicgen.deploy.validate.Kubectl;
import org.musicgen.deploy.validate.Resources;
import org.musicgen.deploy.validate.Schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks can fail: broken manifests, each with one defect, are reported with that defect. */
class NegativeValidationTest {

    private static List<String> schema(Consumer<List<ObjectNode>> breakIt) {
        List<ObjectNode> rs = new ArrayList<>(Overlays.copy("dev"));
        breakIt.accept(rs);
        return Schemas.validate(rs);
    }

    private static List<String> refs(Consumer<List<ObjectNode>> breakIt) {
        List<ObjectNode> rs = new ArrayList<>(Overlays.copy("dev"));
        breakIt.accept(rs);
        return CrossReferences.check(rs, Overlays.expectations());
    }

    private static ObjectNode get(List<ObjectNode> rs, String kind, String name) {
        return (ObjectNode) Resources.find(rs, kind, "musicgen", name);
    }

    private static void reported(List<String> problems, String... fragments) {
        assertTrue(problems.stream().anyMatch(p -> {
            for (String f : fragments) {
                if (!p.contains(f)) {
                    return false;
                }
            }
            return true;
        }), "expected a problem with " + List.of(fragments) + " in " + problems);
    }

    @Test
    void theFixtureOverlayWithDefectsIsReported() {
        // src/test/resources/broken-overlay, rendered by kubectl: the real base with an unknown field, a wrong
        // type, a Service selecting nothing, a missing ConfigMap, a dropped topic.
        List<ObjectNode> rs = Kubectl.kustomize(Overlays.manifests().resolve("src/test/resources/broken-overlay"));
        List<String> schema = Schemas.validate(rs);
        reported(schema, "Deployment musicgen/ingest-service", "imagePullPolcy");
        reported(schema, "KafkaTopic musicgen/ratings.submitted", "partitions");
        List<String> refs = CrossReferences.check(rs, Overlays.expectations());
        reported(refs, "Service musicgen/evaluation-service", "selects no pod");
        reported(refs, "trainer-service", "ConfigMap trainer-service-settings", "does not exist");
        reported(refs, "no KafkaTopic for topic samples.generated.dlq");
    }

    @Test
    void unknownFieldsAndWrongTypesInKubernetesObjects() {
        reported(schema(rs -> ((ObjectNode) get(rs, "Deployment", "trainer-service").at("/spec/template/spec"))
                .put("nodeSelectr", "x")), "trainer-service", "nodeSelectr");
        reported(schema(rs -> ((ObjectNode) get(rs, "Service", "minio").at("/spec/ports/0")).put("port", "nine")),
                "Service musicgen/minio");
        reported(schema(rs -> ((ObjectNode) get(rs, "Deployment", "ingest-service").at("/spec/template/spec"))
                .put("containers", "ingest")), "ingest-service", "containers");
        reported(schema(rs -> ((ObjectNode) get(rs, "Deployment", "ingest-service").at("/spec/template/spec/containers/0"))
                .remove("name")), "ingest-service", "name");
        reported(schema(rs -> get(rs, "NetworkPolicy", "minio").put("apiVersion", "v1")),
                "NetworkPolicy musicgen/minio", "networking.k8s.io/v1");
        reported(schema(rs -> rs.add((ObjectNode) get(rs, "ConfigMap", "musicgen-platform").deepCopy()
                .put("apiVersion", "monitoring.coreos.com/v1").put("kind", "ServiceMonitor"))), "no schema known");
    }

    @Test
    void unknownFieldsWrongTypesAndMissingFieldsInStrimziResources() {
        reported(schema(rs -> ((ObjectNode) get(rs, "Kafka", "musicgen").at("/spec/kafka/listeners/0"))
                .put("tsl", false)), "Kafka musicgen/musicgen", "unknown field spec.kafka.listeners[0].tsl");
        reported(schema(rs -> ((ObjectNode) get(rs, "KafkaTopic", "models.trained").at("/spec"))
                .put("replicas", "three")), "KafkaTopic musicgen/models.trained");
        reported(schema(rs -> ((ObjectNode) get(rs, "KafkaNodePool", "dual-role").at("/spec")).remove("roles")),
                "missing required field spec.roles");
        reported(schema(rs -> ((ObjectNode) get(rs, "KafkaNodePool", "dual-role").at("/spec/storage/volumes/0"))
                .put("type", "persistent-volume")), "KafkaNodePool musicgen/dual-role", "persistent-volume");
    }

    @Test
    void brokenReferencesAreReported() {
        reported(refs(rs -> ((ObjectNode) get(rs, "Service", "ingest-service").at("/spec/selector"))
                .put("app.kubernetes.io/name", "ingest")), "Service musicgen/ingest-service", "selects no pod");
        reported(refs(rs -> ((ObjectNode) get(rs, "Service", "minio").at("/spec/ports/0")).put("targetPort", "api")),
                "Service musicgen/minio", "targets api");
        reported(refs(rs -> rs.remove(get(rs, "ConfigMap", "musicgen-platform"))),
                "ConfigMap musicgen-platform", "does not exist");
        reported(refs(rs -> ((ObjectNode) get(rs, "Deployment", "generator-service")
                .at("/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef")).put("key", "accesskey")),
                "generator-service", "key accesskey of Secret musicgen-storage");
        reported(refs(rs -> ((ObjectNode) get(rs, "Deployment", "generator-service")
                .at("/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef")).put("name", "storage-creds")),
                "Secret storage-creds", "neither in the manifests nor created by create-secrets.sh");
        reported(refs(rs -> rs.remove(get(rs, "KafkaTopic", "models.trained"))), "no KafkaTopic for topic models.trained");
        reported(refs(rs -> ((ObjectNode) get(rs, "ConfigMap", "musicgen-platform").get("data"))
                .put("KAFKA_BOOTSTRAP_SERVERS", "musicgen-kafka-bootstrap:9093")), "no internal listener on port 9093");
        reported(refs(rs -> ((ObjectNode) get(rs, "ConfigMap", "musicgen-platform").get("data"))
                .put("MUSICGEN_STORAGE_ENDPOINT", "http://minio:9999")), "Service minio has no port 9999");
        reported(refs(rs -> ((ObjectNode) get(rs, "KafkaTopic", "ratings.submitted").get("spec")).put("replicas", 3)),
                "ratings.submitted", "3 replicas but only 1 brokers");
        reported(refs(rs -> ((ObjectNode) get(rs, "KafkaTopic", "ratings.submitted").get("metadata").get("labels"))
                .put("strimzi.io/cluster", "other")), "names no Kafka cluster");
        reported(refs(rs -> ((ObjectNode) get(rs, "Ingress", "musicgen").at("/spec/rules/0/http/paths/0/backend/service"))
                .put("name", "upload-service")), "Service upload-service, which does not exist");
        reported(refs(rs -> ((ObjectNode) get(rs, "HorizontalPodAutoscaler", "generator-service").at("/spec/scaleTargetRef"))
                .put("name", "generator")), "scaleTargetRef");
        reported(refs(rs -> ((ObjectNode) get(rs, "PodDisruptionBudget", "trainer-service").at("/spec/selector/matchLabels"))
                .put("app.kubernetes.io/name", "trainer")), "PodDisruptionBudget musicgen/trainer-service", "selects no pod");
        reported(refs(rs -> ((ObjectNode) get(rs, "NetworkPolicy", "minio").at("/spec/podSelector/matchLabels"))
                .put("app.kubernetes.io/name", "mini0")), "NetworkPolicy musicgen/minio", "selects no pod");
        reported(refs(rs -> ((ObjectNode) get(rs, "Deployment", "trainer-service").at("/spec/template/spec/containers/0/livenessProbe/httpGet"))
                .put("port", "management")), "livenessProbe uses port management");
        reported(refs(rs -> ((ObjectNode) get(rs, "Job", "minio-setup").at("/spec/template/spec/containers/0/env/1"))
                .put("value", "corpora datasets checkpoints samples")), "does not create bucket ratings");
        reported(refs(rs -> ((ArrayNode) get(rs, "StatefulSet", "minio").at("/spec/template/spec/volumes")).removeAll()),
                "mounts volume tmp");
    }

    @Test
    void aReplicatedWorkloadWithoutADisruptionBudgetIsReported() {
        List<ObjectNode> rs = new ArrayList<>(Overlays.copy("production"));
        rs.remove(get(rs, "PodDisruptionBudget", "evaluation-service"));
        reported(CrossReferences.check(rs, Overlays.expectations()), "Deployment musicgen/evaluation-service",
                "runs more than one pod but no PodDisruptionBudget selects them");
    }

    @Test
    void withoutKubectlTheChecksFailAndSayHowToInstallIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kubectl.executable("/nonexistent"));
        assertTrue(e.getMessage().contains("apt-get install -y kubectl"), e.getMessage());
    }
}
