package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that the rendered resources fit together: every Service, PodDisruptionBudget and NetworkPolicy selects
 * pods that exist, every port a Service, probe or Ingress names exists, every ConfigMap, Secret and volume a pod
 * uses exists (or is made by create-secrets.sh, or by an operator), every workload with more than one pod has a
 * PodDisruptionBudget, every Kafka resource belongs to a Kafka cluster that can hold it, every topic of the
 * platform has a KafkaTopic, the setup creates every bucket, and every in-cluster address in the configuration
 * (Kafka bootstrap, object-store endpoint) points at a Service and port that exist.
 */
public final class CrossReferences {

    /** What the check needs to know beyond the resources. */
    public record Expectations(
            /** Secrets made by hand (create-secrets.sh), by name, with the keys each holds. */
            Map<String, Set<String>> documentedSecrets,
            /** Kafka topics the platform uses (each also needs its .dlq). */
            Set<String> topics,
            /** Object-store buckets the setup job must create. */
            Set<String> buckets) {
    }

    private record Pod(JsonNode owner, String namespace, Map<String, String> labels, JsonNode spec) {
    }

    private final List<? extends JsonNode> resources;
    private final Expectations expectations;
    private final List<Pod> pods = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private CrossReferences(List<? extends JsonNode> resources, Expectations expectations) {
        this.resources = resources;
        this.expectations = expectations;
        for (JsonNode r : resources) {
            JsonNode template = Resources.podTemplate(r);
            if (template != null) {
                pods.add(new Pod(r, Resources.namespace(r), Resources.strings(template.at("/metadata/labels")),
                        template.path("spec")));
            }
        }
    }

    public static List<String> check(List<? extends JsonNode> resources, Expectations expectations) {
        CrossReferences c = new CrossReferences(resources, expectations);
        c.pods.forEach(c::workload);
        c.services();
        c.budgetsAndAutoscalers();
        c.networkPolicies();
        c.ingresses();
        c.kafka();
        c.topicsAndBuckets();
        return c.problems;
    }

    private List<Pod> selected(String namespace, JsonNode selector) {
        return pods.stream().filter(p -> p.namespace().equals(namespace) && Resources.selects(selector, p.labels())).toList();
    }

    private JsonNode find(String kind, String namespace, String name) {
        return Resources.find(resources, kind, namespace, name);
    }

    private void workload(Pod pod) {
        JsonNode r = pod.owner();
        String id = Resources.id(r);
        String ns = pod.namespace();
        if (!Set.of("Job", "CronJob").contains(Resources.kind(r)) && !Resources.selects(r.at("/spec/selector"), pod.labels())) {
            problems.add(id + ": spec.selector does not select the labels of its own pod template");
        }
        String governing = r.at("/spec/serviceName").asText();
        if (!governing.isEmpty() && find("Service", ns, governing) == null) {
            problems.add(id + ": serviceName " + governing + " is not a Service");
        }
        Set<String> volumes = new LinkedHashSet<>(r.at("/spec/volumeClaimTemplates").findValuesAsText("name"));
        for (JsonNode v : pod.spec().path("volumes")) {
            volumes.add(v.path("name").asText());
            require(id, ns, "ConfigMap", v.at("/configMap/name"), null, v.at("/configMap/optional"));
            require(id, ns, "Secret", v.at("/secret/secretName"), null, v.at("/secret/optional"));
        }
        for (JsonNode c : Resources.containers(pod.spec())) {
            String where = id + " container " + c.path("name").asText();
            for (JsonNode from : c.path("envFrom")) {
                require(where, ns, "ConfigMap", from.at("/configMapRef/name"), null, from.at("/configMapRef/optional"));
                require(where, ns, "Secret", from.at("/secretRef/name"), null, from.at("/secretRef/optional"));
            }
            for (JsonNode env : c.path("env")) {
                for (String kind : List.of("ConfigMap", "Secret")) {
                    JsonNode ref = env.at("/valueFrom/" + (kind.equals("Secret") ? "secretKeyRef" : "configMapKeyRef"));
                    require(where, ns, kind, ref.path("name"), ref.path("key").asText(), ref.path("optional"));
                }
            }
            for (JsonNode mount : c.path("volumeMounts")) {
                if (!volumes.contains(mount.path("name").asText())) {
                    problems.add(where + ": mounts volume " + mount.path("name").asText() + ", which the pod does not have");
                }
            }
            List<String> ports = c.path("ports").findValuesAsText("name");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode port = c.path(probe).at("/httpGet/port");
                if (port.isTextual() && !ports.contains(port.asText())) {
                    problems.add(where + ": " + probe + " uses port " + port.asText() + ", which the container does not name");
                }
            }
            Resources.environment(resources, c, ns).forEach((variable, v) -> addresses(where, ns, variable, v.value()));
        }
    }

    /** A ConfigMap or Secret a pod uses (nothing when {@code name} is absent) exists and holds the key. */
    private void require(String where, String ns, String kind, JsonNode name, String key, JsonNode optional) {
        if (name.asText().isEmpty()) {
            return;
        }
        JsonNode source = find(kind, ns, name.asText());
        Set<String> held = new LinkedHashSet<>();
        if (source != null) {
            List.of("data", "binaryData", "stringData").forEach(f -> source.path(f).fieldNames().forEachRemaining(held::add));
        } else if (kind.equals("Secret") && expectations.documentedSecrets().containsKey(name.asText())) {
            held.addAll(expectations.documentedSecrets().get(name.asText()));
        } else {
            if (!optional.asBoolean()) {
                problems.add(where + ": uses " + kind + " " + name.asText() + ", which " + (kind.equals("Secret")
                        ? "is neither in the manifests nor created by create-secrets.sh" : "does not exist"));
            }
            return;
        }
        if (key != null && !held.contains(key)) {
            problems.add(where + ": uses key " + key + " of " + kind + " " + name.asText() + ", which holds only " + held);
        }
    }

    /** Kafka bootstrap lists and endpoint URLs in the cluster must name a Service (or a Strimzi bootstrap) and its port. */
    private void addresses(String where, String namespace, String variable, String value) {
        if (value == null || !variable.matches(".*(_BOOTSTRAP_SERVERS|_ENDPOINT|_URL)")) {
            return;
        }
        for (String address : value.split(",")) {
            URI uri;
            try {
                uri = URI.create(address.contains("://") ? address.trim() : "tcp://" + address.trim());
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + variable + " is not an address: " + value);
                continue;
            }
            String host = String.valueOf(uri.getHost());
            String port = String.valueOf(uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80);
            if (host.contains(".") && !host.matches("[a-z0-9-]+\\.[a-z0-9-]+(\\.svc(\\.cluster\\.local)?)?")) {
                continue; // outside the cluster: nothing to check here
            }
            String service = host.split("\\.")[0];
            String ns = host.contains(".") ? host.split("\\.")[1] : namespace;
            String cluster = service.replaceFirst("-kafka-bootstrap$", "");
            JsonNode svc = find(service.equals(cluster) ? "Service" : "Kafka", ns, cluster);
            if (svc == null) {
                problems.add(where + ": " + variable + " points at " + address + ", but there is no "
                        + (service.equals(cluster) ? "Service " + service : "Kafka cluster " + cluster));
            } else if (service.equals(cluster) ? !svc.at("/spec/ports").findValuesAsText("port").contains(port)
                    : svc.at("/spec/kafka/listeners").findParents("port").stream().noneMatch(l ->
                    l.path("port").asText().equals(port) && l.path("type").asText().equals("internal"))) {
                problems.add(where + ": " + variable + " points at " + address + ", but " + (service.equals(cluster)
                        ? "Service " + service + " has no port " + port : "Kafka cluster " + cluster + " has no internal listener on port " + port));
            }
        }
    }

    private void services() {
        for (JsonNode svc : Resources.ofKind(resources, "Service")) {
            JsonNode selector = svc.at("/spec/selector");
            List<Pod> selected = selected(Resources.namespace(svc), selector);
            if (selector.isEmpty() || selected.isEmpty()) {
                problems.add(Resources.id(svc) + ": selector " + selector + " selects no pod");
                continue;
            }
            List<JsonNode> exposed = Resources.elements(selected.stream()
                    .flatMap(p -> p.spec().path("containers").findValues("ports").stream()).toList());
            for (JsonNode port : svc.at("/spec/ports")) {
                JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
                if (exposed.stream().noneMatch(cp -> target.isTextual() ? target.asText().equals(cp.path("name").asText())
                        : target.asInt() == cp.path("containerPort").asInt())) {
                    problems.add(Resources.id(svc) + ": port " + port.path("name").asText(port.path("port").asText())
                            + " targets " + target.asText() + ", which no selected container exposes");
                }
            }
        }
    }

    /** Budgets and autoscalers find their pods; a Deployment or StatefulSet with more than one pod has a budget. */
    private void budgetsAndAutoscalers() {
        List<JsonNode> budgets = Resources.ofKind(resources, "PodDisruptionBudget");
        budgets.stream().filter(b -> selected(Resources.namespace(b), b.at("/spec/selector")).isEmpty())
                .forEach(b -> problems.add(Resources.id(b) + ": selector selects no pod"));
        Set<String> scaled = new LinkedHashSet<>();
        for (JsonNode hpa : Resources.ofKind(resources, "HorizontalPodAutoscaler")) {
            JsonNode ref = hpa.at("/spec/scaleTargetRef");
            JsonNode target = find(ref.path("kind").asText(), Resources.namespace(hpa), ref.path("name").asText());
            if (target == null || !target.path("apiVersion").asText().equals(ref.path("apiVersion").asText())) {
                problems.add(Resources.id(hpa) + ": scaleTargetRef " + ref + " does not exist");
            } else if (hpa.at("/spec/maxReplicas").asInt() > 1) {
                scaled.add(Resources.id(target));
            }
        }
        for (Pod pod : pods) {
            boolean several = pod.owner().at("/spec/replicas").asInt(1) > 1 || scaled.contains(Resources.id(pod.owner()));
            if (several && Set.of("Deployment", "StatefulSet").contains(Resources.kind(pod.owner()))
                    && budgets.stream().noneMatch(b -> Resources.namespace(b).equals(pod.namespace())
                    && Resources.selects(b.at("/spec/selector"), pod.labels()))) {
                problems.add(Resources.id(pod.owner()) + ": runs more than one pod but no PodDisruptionBudget selects them");
            }
        }
    }

    private void networkPolicies() {
        for (JsonNode np : Resources.ofKind(resources, "NetworkPolicy")) {
            String id = Resources.id(np);
            String ns = Resources.namespace(np);
            JsonNode selector = np.at("/spec/podSelector");
            if (!Resources.isEmptySelector(selector) && selected(ns, selector).isEmpty()) {
                problems.add(id + ": podSelector selects no pod");
            }
            for (String direction : List.of("ingress", "egress")) {
                for (JsonNode peers : np.at("/spec/" + direction).findValues(direction.equals("ingress") ? "from" : "to")) {
                    for (JsonNode peer : peers) {
                        JsonNode ps = peer.path("podSelector");
                        String cluster = ps.at("/matchLabels/strimzi.io~1cluster").asText("");
                        if (peer.has("namespaceSelector") || ps.isMissingNode()) {
                            continue; // pods of other namespaces (DNS, ingress controller, Prometheus): not rendered here
                        } else if (!cluster.isEmpty()) { // pods the Strimzi operator makes
                            if (find("Kafka", ns, cluster) == null) {
                                problems.add(id + ": peer selects pods of Kafka cluster " + cluster + ", which does not exist");
                            }
                        } else if (!Resources.isEmptySelector(ps) && selected(ns, ps).isEmpty()) {
                            problems.add(id + ": " + direction + " peer " + ps + " selects no pod");
                        }
                    }
                }
            }
        }
        for (JsonNode kafka : Resources.ofKind(resources, "Kafka")) {
            for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
                for (JsonNode peer : listener.path("networkPolicyPeers")) {
                    if (peer.has("podSelector") && !peer.has("namespaceSelector")
                            && selected(Resources.namespace(kafka), peer.get("podSelector")).isEmpty()) {
                        problems.add(Resources.id(kafka) + ": listener " + listener.path("name").asText()
                                + " admits " + peer.get("podSelector") + ", which selects no pod");
                    }
                }
            }
        }
    }

    private void ingresses() {
        for (JsonNode ing : Resources.ofKind(resources, "Ingress")) {
            String id = Resources.id(ing);
            for (JsonNode p : Resources.elements(ing.at("/spec/rules").findValues("paths"))) {
                JsonNode backend = p.at("/backend/service");
                JsonNode svc = find("Service", Resources.namespace(ing), backend.path("name").asText());
                JsonNode port = backend.path("port");
                if (svc == null) {
                    problems.add(id + ": path " + p.path("path").asText() + " goes to Service "
                            + backend.path("name").asText() + ", which does not exist");
                } else if (!svc.at("/spec/ports").findValuesAsText(port.has("name") ? "name" : "port")
                        .contains(port.path(port.has("name") ? "name" : "number").asText())) {
                    problems.add(id + ": path " + p.path("path").asText() + " uses port " + port
                            + ", which Service " + Resources.name(svc) + " does not have");
                }
            }
            JsonNode annotations = ing.at("/metadata/annotations");
            boolean certManager = annotations.has("cert-manager.io/cluster-issuer") || annotations.has("cert-manager.io/issuer");
            for (String secret : ing.at("/spec/tls").findValuesAsText("secretName")) {
                if (!certManager && find("Secret", Resources.namespace(ing), secret) == null
                        && !expectations.documentedSecrets().containsKey(secret)) {
                    problems.add(id + ": TLS secret " + secret + " is neither provided by cert-manager nor created by hand");
                }
            }
        }
    }

    private void kafka() {
        for (JsonNode kafka : Resources.ofKind(resources, "Kafka")) {
            int brokers = 0;
            int controllers = 0;
            for (JsonNode pool : Resources.ofKind(resources, "KafkaNodePool")) {
                if (Resources.name(kafka).equals(pool.at("/metadata/labels/strimzi.io~1cluster").asText())) {
                    String roles = pool.at("/spec/roles").toString();
                    brokers += roles.contains("\"broker\"") ? pool.at("/spec/replicas").asInt() : 0;
                    controllers += roles.contains("\"controller\"") ? pool.at("/spec/replicas").asInt() : 0;
                }
            }
            String id = Resources.id(kafka);
            if (brokers == 0 || controllers % 2 == 0) {
                problems.add(id + ": needs node pools with brokers and an odd number of controllers (brokers " + brokers
                        + ", controllers " + controllers + "; an even number tolerates no more failures than one fewer)");
            }
            JsonNode config = kafka.at("/spec/kafka/config");
            for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor")) {
                if (config.path(key).asInt() > brokers) {
                    problems.add(id + ": " + key + " " + config.get(key).asInt() + " exceeds the " + brokers + " brokers");
                }
            }
            for (JsonNode topic : Resources.ofKind(resources, "KafkaTopic")) {
                if (Resources.name(kafka).equals(topic.at("/metadata/labels/strimzi.io~1cluster").asText())) {
                    int replicas = topic.at("/spec/replicas").asInt(config.path("default.replication.factor").asInt(1));
                    int minIsr = topic.at("/spec/config/min.insync.replicas").asInt(config.path("min.insync.replicas").asInt(1));
                    if (replicas > brokers || minIsr > replicas) {
                        problems.add(Resources.id(topic) + ": " + (replicas > brokers ? replicas + " replicas but only "
                                + brokers + " brokers" : "min.insync.replicas " + minIsr + " exceeds its " + replicas + " replicas"));
                    }
                }
            }
        }
        for (JsonNode r : resources) {
            String cluster = r.at("/metadata/labels/strimzi.io~1cluster").asText("");
            if (Set.of("KafkaNodePool", "KafkaTopic").contains(Resources.kind(r)) && find("Kafka", Resources.namespace(r), cluster) == null) {
                problems.add(Resources.id(r) + ": label strimzi.io/cluster='" + cluster + "' names no Kafka cluster");
            }
        }
    }

    private void topicsAndBuckets() {
        Set<String> declared = new LinkedHashSet<>();
        for (JsonNode t : Resources.ofKind(resources, "KafkaTopic")) {
            if (!declared.add(t.at("/spec/topicName").asText(Resources.name(t)))) {
                problems.add(Resources.id(t) + ": topic " + t.at("/spec/topicName").asText(Resources.name(t)) + " is declared twice");
            }
        }
        expectations.topics().stream().flatMap(t -> List.of(t, t + ".dlq").stream()).filter(t -> !declared.contains(t))
                .forEach(t -> problems.add("no KafkaTopic for topic " + t));
        // The setup: a Job whose script makes the buckets its variable BUCKETS names.
        JsonNode setup = Resources.ofKind(resources, "Job").stream().filter(j -> !Resources.envWords(j, "BUCKETS").isEmpty()
                && Resources.mountedText(resources, j).contains("mc mb")).findFirst().orElse(null);
        if (setup == null) {
            problems.add("no bucket setup (a Job whose script runs 'mc mb' on the buckets of its variable BUCKETS)");
            return;
        }
        expectations.buckets().stream().filter(b -> !Resources.envWords(setup, "BUCKETS").contains(b))
                .forEach(b -> problems.add(Resources.id(setup) + ": the bucket setup does not create bucket " + b));
    }
}
