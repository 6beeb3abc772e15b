package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The production object store survives a node: the MinIO StatefulSet runs at least {@link #MIN_DRIVES} pods,
 * never two on one node (required anti-affinity on the host name), a PodDisruptionBudget lets at most one go at
 * a time, and its server list names exactly its own pods through its governing Service, so that they form an
 * erasure set of at least {@link #MIN_DRIVES} drives with a parity they can hold. The ratings bucket is
 * versioned by the setup script, and a backup CronJob copies ratings and checkpoints off the cluster, off
 * (optional) when its Secret is absent.
 */
public final class StorageTopology {

    /** The smallest erasure set that keeps reading with two drives lost and writing with one. */
    public static final int MIN_DRIVES = 4;

    private static final Pattern ELLIPSIS = Pattern.compile("\\{(\\d+)\\.\\.\\.(\\d+)}");

    private StorageTopology() {
    }

    public static List<String> check(List<? extends JsonNode> resources, String namespace, String name) {
        List<String> problems = new ArrayList<>();
        JsonNode sts = Resources.find(resources, "StatefulSet", namespace, name);
        if (sts == null) {
            problems.add("no StatefulSet " + namespace + "/" + name + " (the object store)");
            return problems;
        }
        String id = Resources.id(sts);
        int replicas = sts.at("/spec/replicas").asInt(1);
        Map<String, String> labels = Resources.strings(sts.at("/spec/template/metadata/labels"));
        if (replicas < MIN_DRIVES) {
            problems.add(id + " runs " + replicas + " pod(s): a production store that survives a node needs at least "
                    + MIN_DRIVES + ", one drive each, on different nodes");
        }
        if (Resources.elements(List.of(sts.at("/spec/template/spec/affinity/podAntiAffinity"
                + "/requiredDuringSchedulingIgnoredDuringExecution"))).stream().noneMatch(term -> Resources.selects(
                term.path("labelSelector"), labels) && term.path("topologyKey").asText().equals("kubernetes.io/hostname"))) {
            problems.add(id + ": no required pod anti-affinity on kubernetes.io/hostname selecting its own pods: "
                    + "two of them may share a node, and losing it loses two drives");
        }
        budget(resources, namespace, id, replicas, labels, problems);
        erasureSet(sts, id, replicas, problems);
        return problems;
    }

    private static void budget(List<? extends JsonNode> resources, String namespace, String id, int replicas,
                               Map<String, String> labels, List<String> problems) {
        for (JsonNode pdb : Resources.ofKind(resources, "PodDisruptionBudget")) {
            JsonNode spec = pdb.path("spec");
            if (Resources.namespace(pdb).equals(namespace) && Resources.selects(spec.path("selector"), labels)) {
                if (!(spec.has("maxUnavailable") ? spec.path("maxUnavailable").asText().equals("1")
                        : spec.path("minAvailable").asText().equals(String.valueOf(replicas - 1)))) {
                    problems.add(Resources.id(pdb) + " must let exactly one pod of " + id + " go at a time "
                            + "(maxUnavailable: 1 or minAvailable: " + (replicas - 1) + "), not " + spec);
                }
                return;
            }
        }
        problems.add(id + ": no PodDisruptionBudget selects its pods: a drain may take several drives at once");
    }

    /** The server arguments: every endpoint one of the StatefulSet's own pods, together one erasure set. */
    private static void erasureSet(JsonNode sts, String id, int replicas, List<String> problems) {
        JsonNode container = sts.at("/spec/template/spec/containers/0");
        String pods = Resources.name(sts) + "-{0..." + (replicas - 1) + "}." + sts.at("/spec/serviceName").asText() + ".";
        int drives = 0;
        boolean server = false;
        for (JsonNode arg : container.path("args")) {
            String a = arg.asText();
            server |= a.equals("server");
            if (a.startsWith("http://") || a.startsWith("https://")) {
                if (!a.substring(a.indexOf("//") + 2).startsWith(pods)) {
                    problems.add(id + ": server endpoint " + a + " must name its own " + replicas + " pods as "
                            + pods + "..., or pods are missing from the erasure set or do not exist");
                }
                drives += expansions(a);
            }
        }
        if (!server || drives < MIN_DRIVES) {
            problems.add(id + ": the server arguments " + container.path("args") + " give an erasure set of "
                    + drives + " drive(s) across pods; at least " + MIN_DRIVES + " are needed");
            return;
        }
        for (JsonNode env : container.path("env")) {
            Matcher parity = Pattern.compile("EC:(\\d+)").matcher(env.path("value").asText());
            if (env.path("name").asText().equals("MINIO_STORAGE_CLASS_STANDARD") && parity.matches()
                    && (Integer.parseInt(parity.group(1)) < 1 || Integer.parseInt(parity.group(1)) > drives / 2)) {
                problems.add(id + ": parity " + parity.group() + " does not fit an erasure set of " + drives
                        + " drives (1 to " + drives / 2 + ")");
            }
        }
    }

    /**
     * The bucket that cannot be made again is versioned by a Job's script ({@code mc version enable} over its
     * variable {@code VERSIONED_BUCKETS}), and a CronJob mirrors the given buckets ({@code mc mirror} over its
     * {@code BACKUP_BUCKETS}) to an endpoint from a Secret it may do without.
     */
    public static List<String> protection(List<? extends JsonNode> resources, String versioned, List<String> mirrored) {
        List<String> problems = new ArrayList<>();
        if (Resources.ofKind(resources, "Job").stream().noneMatch(j -> Resources.envWords(j, "VERSIONED_BUCKETS")
                .contains(versioned) && Resources.mountedText(resources, j).contains("mc version enable"))) {
            problems.add("no Job versions bucket " + versioned + " (mc version enable over its VERSIONED_BUCKETS): "
                    + "an overwrite or delete could not be undone");
        }
        List<JsonNode> backups = Resources.ofKind(resources, "CronJob").stream().filter(c -> Resources.envWords(c,
                "BACKUP_BUCKETS").containsAll(mirrored) && Resources.mountedText(resources, c).contains("mc mirror")).toList();
        if (backups.isEmpty()) {
            problems.add("no CronJob mirrors " + mirrored + " to a second endpoint (mc mirror over its BACKUP_BUCKETS)");
        }
        for (JsonNode cron : backups) {
            if (cron.findValues("secretKeyRef").stream().noneMatch(r -> r.path("optional").asBoolean())
                    && cron.findValues("secretRef").stream().noneMatch(r -> r.path("optional").asBoolean())) {
                problems.add(Resources.id(cron) + ": the backup's endpoint must come from an optional Secret, so the "
                        + "job is off (and says so) where none is given");
            }
        }
        return problems;
    }

    /** How many endpoints a MinIO argument stands for: the product of its {@code {a...b}} ranges. */
    public static int expansions(String argument) {
        int count = 1;
        Matcher m = ELLIPSIS.matcher(argument);
        while (m.find()) {
            count *= Integer.parseInt(m.group(2)) - Integer.parseInt(m.group(1)) + 1;
        }
        return count;
    }
}
