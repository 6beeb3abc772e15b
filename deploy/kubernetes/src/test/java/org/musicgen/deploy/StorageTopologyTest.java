package org.musicgen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.musicgen.deploy.validate.Kubectl;
import org.musicgen.deploy.validate.Resources;
import org.musicgen.deploy.validate.StorageTopology;
import org.musicgen.platform.storage.Buckets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Production keeps every rating when a node goes; dev stays one small MinIO pod. */
class StorageTopologyTest {

    private static final List<String> MIRRORED = List.of(Buckets.RATINGS, Buckets.CHECKPOINTS);

    private static List<String> problems(List<? extends JsonNode> rs) {
        List<String> problems = new ArrayList<>(StorageTopology.check(rs, "musicgen", "minio"));
        problems.addAll(StorageTopology.protection(rs, Buckets.RATINGS, MIRRORED));
        return problems;
    }

    private static List<String> broken(Consumer<List<ObjectNode>> breakIt) {
        List<ObjectNode> rs = new ArrayList<>(Overlays.copy("production"));
        breakIt.accept(rs);
        return problems(rs);
    }

    private static ObjectNode get(List<ObjectNode> rs, String kind, String name) {
        return (ObjectNode) Resources.find(rs, kind, "musicgen", name);
    }

    private static void reported(List<String> problems, String fragment) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)), "expected '" + fragment + "' in " + problems);
    }

    @Test
    void productionRunsADistributedErasureCodedStoreWithVersionedRatingsAndABackup() {
        List<ObjectNode> rs = Overlays.render("production");
        assertEquals(List.of(), problems(rs));
        JsonNode minio = Resources.find(rs, "StatefulSet", "musicgen", "minio");
        assertEquals(4, minio.at("/spec/replicas").asInt());
        assertEquals("http://minio-{0...3}.minio-headless.musicgen.svc.cluster.local/data",
                minio.at("/spec/template/spec/containers/0/args/1").asText());
        assertEquals(4, StorageTopology.expansions(minio.at("/spec/template/spec/containers/0/args/1").asText()));
        assertEquals(1, Resources.find(rs, "PodDisruptionBudget", "musicgen", "minio").at("/spec/maxUnavailable").asInt());
        assertTrue(Resources.find(rs, "Service", "musicgen", "minio-headless").at("/spec/publishNotReadyAddresses").asBoolean(),
                "the pods find each other before they are ready");
        assertEquals("17 3 * * *", Resources.find(rs, "CronJob", "musicgen", "minio-backup").at("/spec/schedule").asText());
    }

    @Test
    void devStaysOneSmallPodWithVersionedRatings() {
        List<ObjectNode> rs = Overlays.render("dev");
        assertEquals(1, Resources.find(rs, "StatefulSet", "musicgen", "minio").at("/spec/replicas").asInt());
        assertEquals("5Gi", Resources.find(rs, "StatefulSet", "musicgen", "minio")
                .at("/spec/volumeClaimTemplates/0/spec/resources/requests/storage").asText());
        assertTrue(Resources.ofKind(rs, "CronJob").isEmpty(), "no backup job in dev");
        assertEquals(List.of("no CronJob mirrors " + MIRRORED + " to a second endpoint (mc mirror over its BACKUP_BUCKETS)"),
                StorageTopology.protection(rs, Buckets.RATINGS, MIRRORED));
    }

    /** Rendered by kubectl: the production overlay with MinIO patched down to one pod is refused. */
    @Test
    void aOnePodProductionStoreIsRefused() throws IOException {
        Path overlay = Overlays.manifests().resolve("target/one-pod-production");
        Files.createDirectories(overlay);
        Files.writeString(overlay.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../overlays/production
                replicas:
                  - name: minio
                    count: 1
                """);
        List<String> problems = problems(Kubectl.kustomize(overlay));
        reported(problems, "StatefulSet musicgen/minio runs 1 pod(s): a production store that survives a node needs at least 4");
        reported(problems, "must name its own 1 pods as minio-{0...0}.minio-headless.");
    }

    @Test
    void eachMissingSafeguardIsReported() {
        reported(broken(rs -> ((ObjectNode) get(rs, "StatefulSet", "minio").at("/spec/template/spec")).remove("affinity")),
                "no required pod anti-affinity on kubernetes.io/hostname");
        reported(broken(rs -> ((ObjectNode) get(rs, "StatefulSet", "minio").at("/spec/template/spec/affinity/podAntiAffinity"
                + "/requiredDuringSchedulingIgnoredDuringExecution/0")).put("topologyKey", "topology.kubernetes.io/zone")),
                "no required pod anti-affinity on kubernetes.io/hostname");
        reported(broken(rs -> rs.remove(get(rs, "PodDisruptionBudget", "minio"))), "no PodDisruptionBudget selects its pods");
        reported(broken(rs -> ((ObjectNode) get(rs, "PodDisruptionBudget", "minio").get("spec")).put("maxUnavailable", 2)),
                "must let exactly one pod of StatefulSet musicgen/minio go at a time");
        reported(broken(rs -> ((ArrayNode) get(rs, "StatefulSet", "minio").at("/spec/template/spec/containers/0/args"))
                .set(1, "/data")), "give an erasure set of 0 drive(s)");
        reported(broken(rs -> ((ObjectNode) get(rs, "StatefulSet", "minio").at("/spec/template/spec/containers/0/env/0"))
                .put("value", "EC:3")), "parity EC:3 does not fit an erasure set of 4 drives");
        reported(broken(rs -> ((ObjectNode) get(rs, "Job", "minio-setup").at("/spec/template/spec/containers/0/env/2"))
                .put("value", "samples")), "no Job versions bucket ratings");
        reported(broken(rs -> {
            ObjectNode setup = (ObjectNode) get(rs, "ConfigMap", "minio-setup").get("data");
            setup.put("setup.sh", setup.get("setup.sh").asText().replace("mc version enable", "echo"));
        }), "no Job versions bucket ratings");
        reported(broken(rs -> rs.remove(get(rs, "CronJob", "minio-backup"))), "no CronJob mirrors [ratings, checkpoints]");
        reported(broken(rs -> get(rs, "CronJob", "minio-backup").findParents("optional")
                .forEach(ref -> ((ObjectNode) ref).remove("optional"))), "must come from an optional Secret");
    }
}
