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
 * pods that exist, every port a Service, probe or Ingress names exists, every ConfigMap, Secret and claim a pod
 * uses exists (or is documented as created by hand or provided by an operator), every Kafka resource belongs to
 * a Kafka cluster that can hold it, every topic of the platform has a KafkaTopic, and every in-cluster address
 * in the configuration (Kafka bootstrap, object-store endpoint) points at a Service and port that exist.
 */
public final class CrossReferences {

    /** What the check needs to know beyond the resources. */
    public record Expectations(
            /** Secrets created by hand (README.md), by name, with the keys each must hold. */
            Map<String, Set<String>> documentedSecrets,
            /** Kafka topics the platform uses (each also needs its .dlq). */
            Set<String> topics,
            /** Object-store buckets the setup job must create. */
            Set<String> buckets) {
    }

    private final List<? extends JsonNode> resources;
    private final Expectations expectations;
    private final List<String> problems = new ArrayList<>();

    private CrossReferences(List<? extends JsonNode> resources, Expectations expectations) {
        this.resources = resources;
        this.expectations = expectations;
    }

    public static List<String> check(List<? extends JsonNode> resources, Expectations expectations) {
        CrossReferences c = new CrossReferences(resources, expectations);
        c.workloads();
        c.services();
        c.selectorsOf("PodDisruptionBudget", "/spec/selector");
        c.selectorsOf("HorizontalPodAutoscaler", null);
        c.networkPolicies();
        c.ingresses();
        c.kafka();
        c.topics();
        c.buckets();
        return c.problems;
    }

    // ---- pods -------------------------------------------------------------------------------------------

    private record Pod(JsonNode owner, String namespace, Map<String, String> labels, JsonNode spec) {
    }

    private List<Pod> pods() {
        List<Pod> pods = new ArrayList<>();
        for (JsonNode r : resources) {
            JsonNode template = Resources.podTemplate(r);
            if (template != null) {
                pods.add(new Pod(r, Resources.namespace(r), Resources.strings(template.path("metadata").path("labels")),
                        template.path("spec")));
            }
        }
        return pods;
    }

    private List<Pod> selected(String namespace, JsonNode selector) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : pods()) {
            if (p.namespace().equals(namespace) && Resources.selects(selector, p.labels())) {
                out.add(p);
            }
        }
        return out;
    }

    private void workloads() {
        for (Pod pod : pods()) {
            JsonNode r = pod.owner();
            String id = Resources.id(r);
            JsonNode selector = r.path("spec").path("selector");
            if (!Resources.kind(r).equals("Job") && !Resources.kind(r).equals("CronJob")
                    && !Resources.selects(selector, pod.labels())) {
                problems.add(id + ": spec.selector does not select the labels of its own pod template");
            }
            if (Resources.kind(r).equals("StatefulSet")) {
                String governing = r.path("spec").path("serviceName").asText();
                if (!governing.isEmpty() && Resources.find(resources, "Service", pod.namespace(), governing) == null) {
                    problems.add(id + ": serviceName " + governing + " is not a Service");
                }
            }
            Set<String> claims = new LinkedHashSet<>();
            r.path("spec").path("volumeClaimTemplates").forEach(t -> claims.add(t.path("metadata").path("name").asText()));
            for (JsonNode volume : pod.spec().path("volumes")) {
                if (volume.has("configMap")) {
                    requireConfigMap(id, pod.namespace(), volume.path("configMap").path("name").asText(),
                            keys(volume.path("configMap").path("items")), volume.path("configMap").path("optional").asBoolean());
                }
                if (volume.has("secret")) {
                    requireSecret(id, pod.namespace(), volume.path("secret").path("secretName").asText(),
                            keys(volume.path("secret").path("items")), volume.path("secret").path("optional").asBoolean());
                }
                if (volume.has("persistentVolumeClaim")) {
                    String claim = volume.path("persistentVolumeClaim").path("claimName").asText();
                    if (Resources.find(resources, "PersistentVolumeClaim", pod.namespace(), claim) == null) {
                        problems.add(id + ": volume " + volume.path("name").asText() + " uses claim " + claim
                                + ", which does not exist");
                    }
                }
            }
            Set<String> volumeNames = new LinkedHashSet<>(claims);
            pod.spec().path("volumes").forEach(v -> volumeNames.add(v.path("name").asText()));
            for (JsonNode s : pod.spec().path("imagePullSecrets")) {
                requireSecret(id, pod.namespace(), s.path("name").asText(), Set.of(), false);
            }
            for (JsonNode c : Resources.containers(pod.spec())) {
                String where = id + " container " + c.path("name").asText();
                for (JsonNode from : c.path("envFrom")) {
                    if (from.has("configMapRef")) {
                        requireConfigMap(where, pod.namespace(), from.path("configMapRef").path("name").asText(), Set.of(),
                                from.path("configMapRef").path("optional").asBoolean());
                    }
                    if (from.has("secretRef")) {
                        requireSecret(where, pod.namespace(), from.path("secretRef").path("name").asText(), Set.of(),
                                from.path("secretRef").path("optional").asBoolean());
                    }
                }
                for (JsonNode env : c.path("env")) {
                    JsonNode cm = env.path("valueFrom").path("configMapKeyRef");
                    if (!cm.isMissingNode()) {
                        requireConfigMap(where, pod.namespace(), cm.path("name").asText(), Set.of(cm.path("key").asText()),
                                cm.path("optional").asBoolean());
                    }
                    JsonNode secret = env.path("valueFrom").path("secretKeyRef");
                    if (!secret.isMissingNode()) {
                        requireSecret(where, pod.namespace(), secret.path("name").asText(),
                                Set.of(secret.path("key").asText()), secret.path("optional").asBoolean());
                    }
                }
                for (JsonNode mount : c.path("volumeMounts")) {
                    if (!volumeNames.contains(mount.path("name").asText())) {
                        problems.add(where + ": mounts volume " + mount.path("name").asText() + ", which the pod does not have");
                    }
                }
                Set<String> portNames = new LinkedHashSet<>();
                c.path("ports").forEach(p -> portNames.add(p.path("name").asText()));
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    JsonNode port = c.path(probe).path("httpGet").path("port");
                    if (port.isTextual() && !portNames.contains(port.asText())) {
                        problems.add(where + ": " + probe + " uses port " + port.asText() + ", which the container does not name");
                    }
                }
                checkAddresses(where, pod.namespace(), envValues(c, pod.namespace()));
            }
        }
    }

    /** Literal env values and the values of the ConfigMaps the container reads, by variable name. */
    private Map<String, String> envValues(JsonNode container, String namespace) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            JsonNode cm = Resources.find(resources, "ConfigMap", namespace, from.path("configMapRef").path("name").asText());
            if (cm != null) {
                String prefix = from.path("prefix").asText("");
                Resources.strings(cm.path("data")).forEach((k, v) -> values.put(prefix + k, v));
            }
        }
        for (JsonNode env : container.path("env")) {
            if (env.has("value")) {
                values.put(env.path("name").asText(), env.path("value").asText());
            }
        }
        return values;
    }

    /** Kafka bootstrap lists and endpoint URLs must name a Service (or a Strimzi bootstrap) and one of its ports. */
    private void checkAddresses(String where, String namespace, Map<String, String> env) {
        env.forEach((name, value) -> {
            if (name.equals("KAFKA_BOOTSTRAP_SERVERS") || name.endsWith("_BOOTSTRAP_SERVERS")) {
                for (String server : value.split(",")) {
                    checkAddress(where, namespace, name, server.trim());
                }
            } else if (name.endsWith("_ENDPOINT") || name.endsWith("_URL")) {
                try {
                    URI uri = URI.create(value);
                    if (uri.getHost() != null) {
                        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
                        checkAddress(where, namespace, name, uri.getHost() + ":" + port);
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": " + name + " is not a URL: " + value);
                }
            }
        });
    }

    private void checkAddress(String where, String namespace, String variable, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            problems.add(where + ": " + variable + " needs host:port, got " + hostPort);
            return;
        }
        String host = hostPort.substring(0, colon);
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        String service = host.split("\\.")[0];
        String serviceNamespace = host.contains(".") ? host.split("\\.")[1] : namespace;
        if (host.contains(".") && !host.matches("[a-z0-9-]+\\.[a-z0-9-]+(\\.svc(\\.cluster\\.local)?)?")) {
            return; // outside the cluster: nothing to check here
        }
        if (service.endsWith("-kafka-bootstrap")) {
            String cluster = service.substring(0, service.length() - "-kafka-bootstrap".length());
            JsonNode kafka = Resources.find(resources, "Kafka", serviceNamespace, cluster);
            if (kafka == null) {
                problems.add(where + ": " + variable + " names the bootstrap of Kafka cluster " + cluster + ", which does not exist");
                return;
            }
            for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
                if (listener.path("port").asInt() == port && listener.path("type").asText().equals("internal")) {
                    return;
                }
            }
            problems.add(where + ": " + variable + ": Kafka cluster " + cluster + " has no internal listener on port " + port);
            return;
        }
        JsonNode svc = Resources.find(resources, "Service", serviceNamespace, service);
        if (svc == null) {
            problems.add(where + ": " + variable + " points at " + hostPort + ", but there is no Service " + service);
            return;
        }
        for (JsonNode p : svc.path("spec").path("ports")) {
            if (p.path("port").asInt() == port) {
                return;
            }
        }
        problems.add(where + ": " + variable + " points at " + hostPort + ", but Service " + service + " has no port " + port);
    }

    private static Set<String> keys(JsonNode items) {
        Set<String> keys = new LinkedHashSet<>();
        items.forEach(i -> keys.add(i.path("key").asText()));
        return keys;
    }

    private void requireConfigMap(String where, String namespace, String name, Set<String> keys, boolean optional) {
        JsonNode cm = Resources.find(resources, "ConfigMap", namespace, name);
        if (cm == null) {
            if (!optional) {
                problems.add(where + ": uses ConfigMap " + name + ", which does not exist");
            }
            return;
        }
        for (String key : keys) {
            if (!cm.path("data").has(key) && !cm.path("binaryData").has(key)) {
                problems.add(where + ": uses key " + key + " of ConfigMap " + name + ", which it does not hold");
            }
        }
    }

    private void requireSecret(String where, String namespace, String name, Set<String> keys, boolean optional) {
        JsonNode secret = Resources.find(resources, "Secret", namespace, name);
        if (secret != null) {
            for (String key : keys) {
                if (!secret.path("data").has(key) && !secret.path("stringData").has(key)) {
                    problems.add(where + ": uses key " + key + " of Secret " + name + ", which it does not hold");
                }
            }
            return;
        }
        Set<String> documented = expectations.documentedSecrets().get(name);
        if (documented == null) {
            if (!optional) {
                problems.add(where + ": uses Secret " + name + ", which is neither in the manifests nor documented"
                        + " (README.md: kubectl create secret generic " + name + " ...)");
            }
            return;
        }
        for (String key : keys) {
            if (!documented.contains(key)) {
                problems.add(where + ": uses key " + key + " of Secret " + name + ", but the documented command creates only "
                        + documented);
            }
        }
    }

    // ---- services, selectors, policies, ingress ----------------------------------------------------------

    private void services() {
        for (JsonNode svc : Resources.ofKind(resources, "Service")) {
            String id = Resources.id(svc);
            JsonNode selector = svc.path("spec").path("selector");
            if (!selector.isObject() || selector.size() == 0) {
                problems.add(id + ": has no selector");
                continue;
            }
            List<Pod> pods = selected(Resources.namespace(svc), selector);
            if (pods.isEmpty()) {
                problems.add(id + ": selector " + selector + " selects no pod");
                continue;
            }
            for (JsonNode port : svc.path("spec").path("ports")) {
                JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
                boolean found = false;
                for (Pod pod : pods) {
                    for (JsonNode c : pod.spec().path("containers")) {
                        for (JsonNode cp : c.path("ports")) {
                            if (target.isTextual() ? target.asText().equals(cp.path("name").asText())
                                    : target.asInt() == cp.path("containerPort").asInt()) {
                                found = true;
                            }
                        }
                    }
                }
                if (!found) {
                    problems.add(id + ": port " + port.path("name").asText(port.path("port").asText()) + " targets "
                            + target.asText() + ", which no selected container exposes");
                }
            }
        }
    }

    private void selectorsOf(String kind, String selectorPath) {
        for (JsonNode r : Resources.ofKind(resources, kind)) {
            if (kind.equals("HorizontalPodAutoscaler")) {
                JsonNode ref = r.path("spec").path("scaleTargetRef");
                JsonNode target = Resources.find(resources, ref.path("kind").asText(), Resources.namespace(r),
                        ref.path("name").asText());
                if (target == null || !target.path("apiVersion").asText().equals(ref.path("apiVersion").asText())) {
                    problems.add(Resources.id(r) + ": scaleTargetRef " + ref + " does not exist");
                }
                continue;
            }
            if (selected(Resources.namespace(r), r.at(selectorPath)).isEmpty()) {
                problems.add(Resources.id(r) + ": selector selects no pod");
            }
        }
    }

    private void networkPolicies() {
        Set<String> kafkaClusters = new LinkedHashSet<>();
        Resources.ofKind(resources, "Kafka").forEach(k -> kafkaClusters.add(Resources.name(k)));
        for (JsonNode np : Resources.ofKind(resources, "NetworkPolicy")) {
            String id = Resources.id(np);
            String ns = Resources.namespace(np);
            JsonNode selector = np.path("spec").path("podSelector");
            if (!Resources.isEmptySelector(selector) && selected(ns, selector).isEmpty()) {
                problems.add(id + ": podSelector selects no pod");
            }
            for (String direction : List.of("ingress", "egress")) {
                for (JsonNode rule : np.path("spec").path(direction)) {
                    for (JsonNode peer : rule.path(direction.equals("ingress") ? "from" : "to")) {
                        if (peer.has("namespaceSelector") || !peer.has("podSelector")) {
                            continue; // pods of other namespaces (DNS, ingress controller, Prometheus): not rendered here
                        }
                        JsonNode ps = peer.get("podSelector");
                        String cluster = ps.path("matchLabels").path("strimzi.io/cluster").asText(null);
                        if (cluster != null) {
                            if (!kafkaClusters.contains(cluster)) {
                                problems.add(id + ": peer selects pods of Kafka cluster " + cluster + ", which does not exist");
                            }
                            continue; // pods the Strimzi operator creates
                        }
                        if (!Resources.isEmptySelector(ps) && selected(ns, ps).isEmpty()) {
                            problems.add(id + ": " + direction + " peer " + ps + " selects no pod");
                        }
                    }
                }
            }
        }
        for (JsonNode kafka : Resources.ofKind(resources, "Kafka")) {
            for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
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
            for (JsonNode rule : ing.path("spec").path("rules")) {
                for (JsonNode path : rule.path("http").path("paths")) {
                    JsonNode backend = path.path("backend").path("service");
                    JsonNode svc = Resources.find(resources, "Service", Resources.namespace(ing), backend.path("name").asText());
                    if (svc == null) {
                        problems.add(id + ": path " + path.path("path").asText() + " goes to Service "
                                + backend.path("name").asText() + ", which does not exist");
                        continue;
                    }
                    JsonNode port = backend.path("port");
                    boolean found = false;
                    for (JsonNode p : svc.path("spec").path("ports")) {
                        if (port.has("name") ? port.get("name").asText().equals(p.path("name").asText())
                                : port.path("number").asInt() == p.path("port").asInt()) {
                            found = true;
                        }
                    }
                    if (!found) {
                        problems.add(id + ": path " + path.path("path").asText() + " uses port " + port
                                + ", which Service " + Resources.name(svc) + " does not have");
                    }
                }
            }
            boolean certManager = ing.path("metadata").path("annotations").has("cert-manager.io/cluster-issuer")
                    || ing.path("metadata").path("annotations").has("cert-manager.io/issuer");
            for (JsonNode tls : ing.path("spec").path("tls")) {
                String secret = tls.path("secretName").asText();
                if (!certManager && Resources.find(resources, "Secret", Resources.namespace(ing), secret) == null
                        && !expectations.documentedSecrets().containsKey(secret)) {
                    problems.add(id + ": TLS secret " + secret + " is neither provided by cert-manager nor documented");
                }
            }
        }
    }

    // ---- Kafka ------------------------------------------------------------------------------------------

    private void kafka() {
        for (JsonNode kafka : Resources.ofKind(resources, "Kafka")) {
            String name = Resources.name(kafka);
            int brokers = 0;
            int controllers = 0;
            for (JsonNode pool : Resources.ofKind(resources, "KafkaNodePool")) {
                if (name.equals(pool.path("metadata").path("labels").path("strimzi.io/cluster").asText())) {
                    List<String> roles = new ArrayList<>();
                    pool.path("spec").path("roles").forEach(r -> roles.add(r.asText()));
                    int replicas = pool.path("spec").path("replicas").asInt();
                    brokers += roles.contains("broker") ? replicas : 0;
                    controllers += roles.contains("controller") ? replicas : 0;
                }
            }
            String id = Resources.id(kafka);
            if (brokers == 0 || controllers == 0) {
                problems.add(id + ": needs node pools with broker and controller roles (brokers " + brokers
                        + ", controllers " + controllers + ")");
            }
            if (controllers % 2 == 0 && controllers > 0) {
                problems.add(id + ": an even number of controllers (" + controllers + ") tolerates no more failures than one fewer");
            }
            JsonNode config = kafka.path("spec").path("kafka").path("config");
            for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor")) {
                if (config.has(key) && config.get(key).asInt() > brokers) {
                    problems.add(id + ": " + key + " " + config.get(key).asInt() + " exceeds the " + brokers + " brokers");
                }
            }
            if (config.has("min.insync.replicas") && config.has("default.replication.factor")
                    && config.get("min.insync.replicas").asInt() > config.get("default.replication.factor").asInt()) {
                problems.add(id + ": min.insync.replicas exceeds default.replication.factor");
            }
            for (JsonNode topic : Resources.ofKind(resources, "KafkaTopic")) {
                if (!name.equals(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText())) {
                    continue;
                }
                int replicas = topic.path("spec").path("replicas").asInt(config.path("default.replication.factor").asInt(1));
                int minIsr = topic.path("spec").path("config").path("min.insync.replicas")
                        .asInt(config.path("min.insync.replicas").asInt(1));
                if (replicas > brokers) {
                    problems.add(Resources.id(topic) + ": " + replicas + " replicas but only " + brokers + " brokers");
                }
                if (minIsr > replicas) {
                    problems.add(Resources.id(topic) + ": min.insync.replicas " + minIsr + " exceeds its " + replicas + " replicas");
                }
            }
        }
        for (String kind : List.of("KafkaNodePool", "KafkaTopic")) {
            for (JsonNode r : Resources.ofKind(resources, kind)) {
                String cluster = r.path("metadata").path("labels").path("strimzi.io/cluster").asText("");
                if (Resources.find(resources, "Kafka", Resources.namespace(r), cluster) == null) {
                    problems.add(Resources.id(r) + ": label strimzi.io/cluster='" + cluster + "' names no Kafka cluster");
                }
            }
        }
    }

    private void topics() {
        Set<String> declared = new LinkedHashSet<>();
        for (JsonNode t : Resources.ofKind(resources, "KafkaTopic")) {
            String name = t.path("spec").path("topicName").asText(Resources.name(t));
            if (!declared.add(name)) {
                problems.add(Resources.id(t) + ": topic " + name + " is declared twice");
            }
        }
        for (String topic : expectations.topics()) {
            for (String required : List.of(topic, topic + ".dlq")) {
                if (!declared.contains(required)) {
                    problems.add("no KafkaTopic for topic " + required);
                }
            }
        }
    }

    private void buckets() {
        if (expectations.buckets().isEmpty()) {
            return;
        }
        String setup = null;
        for (JsonNode cm : Resources.ofKind(resources, "ConfigMap")) {
            for (String value : Resources.strings(cm.path("data")).values()) {
                if (value.contains("mc mb")) {
                    setup = value;
                }
            }
        }
        if (setup == null) {
            problems.add("no bucket setup (a ConfigMap script running 'mc mb') in the manifests");
            return;
        }
        for (String bucket : expectations.buckets()) {
            if (!java.util.regex.Pattern.compile("\\b" + bucket + "\\b").matcher(setup).find()) {
                problems.add("the bucket setup does not create bucket " + bucket);
            }
        }
    }
}
