package org.musicgen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.musicgen.deploy.kustomize.Kustomize;
import org.musicgen.deploy.kustomize.KustomizeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kustomize subset, feature by feature, and its refusals. */
class KustomizeTest {

    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: example/web:1.0
                      env:
                        - {name: A, value: "1"}
                        - {name: B, value: "2"}
                      ports:
                        - {name: http, containerPort: 8080}
                    - name: sidecar
                      image: example/sidecar:2.0
            ---
            # a comment-only document follows
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            """;

    private void write(String path, String text) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static JsonNode find(List<ObjectNode> rs, String kind) {
        return rs.stream().filter(r -> r.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void namespaceLabelsImagesReplicas() throws IOException {
        write("base/app.yaml", DEPLOYMENT);
        write("base/kustomization.yaml", "resources: [app.yaml]\n");
        write("o/kustomization.yaml", """
                resources: [../base]
                namespace: shop
                labels:
                  - pairs: {team: music}
                images:
                  - {name: example/web, newName: reg.example.com/web, newTag: "2.1"}
                  - {name: example/sidecar, digest: "sha256:abc"}
                replicas:
                  - {name: web, count: 3}
                """);
        List<ObjectNode> rs = Kustomize.build(dir.resolve("o"));
        assertEquals(2, rs.size(), "the comment-only document is skipped");
        JsonNode d = find(rs, "Deployment");
        assertEquals("shop", d.at("/metadata/namespace").asText());
        assertFalse(find(rs, "Namespace").path("metadata").has("namespace"), "cluster-scoped: no namespace");
        assertEquals("music", d.at("/metadata/labels/team").asText());
        assertEquals("music", find(rs, "Namespace").at("/metadata/labels/team").asText());
        assertFalse(d.at("/spec/selector/matchLabels").has("team"), "labels pairs leave selectors alone");
        assertFalse(d.at("/spec/template/metadata/labels").has("team"), "and templates");
        assertEquals("reg.example.com/web:2.1", d.at("/spec/template/spec/containers/0/image").asText());
        assertEquals("example/sidecar@sha256:abc", d.at("/spec/template/spec/containers/1/image").asText());
        assertEquals(3, d.at("/spec/replicas").asInt());
    }

    @Test
    void strategicMergePatchMergesListsByKeyAndReplacesOthers() throws IOException {
        write("app.yaml", DEPLOYMENT);
        write("patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      nodeSelector: {gpu: "true"}
                      tolerations: [{key: gpu, operator: Exists}]
                      containers:
                        - name: web
                          env:
                            - {name: B, value: "20"}
                            - {name: C, value: "3"}
                          resources: {limits: {cpu: "2"}}
                          ports: null
                """);
        write("kustomization.yaml", "resources: [app.yaml]\npatches:\n  - path: patch.yaml\n");
        JsonNode d = find(Kustomize.build(dir), "Deployment");
        JsonNode web = d.at("/spec/template/spec/containers/0");
        assertEquals("example/web:1.0", web.path("image").asText(), "fields the patch omits stay");
        assertEquals("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"20\"},{\"name\":\"C\",\"value\":\"3\"}]",
                web.path("env").toString(), "env merges by name");
        assertFalse(web.has("ports"), "null deletes");
        assertEquals("2", web.at("/resources/limits/cpu").asText());
        assertEquals("sidecar", d.at("/spec/template/spec/containers/1/name").asText(), "other containers stay");
        assertEquals("true", d.at("/spec/template/spec/nodeSelector/gpu").asText());
    }

    @Test
    void customResourcesGetJsonMergeSemantics() throws IOException {
        write("pool.yaml", """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaNodePool
                metadata: {name: pool}
                spec:
                  roles: [controller, broker]
                  storage: {type: jbod, volumes: [{id: 0, type: persistent-claim, size: 1Gi}]}
                """);
        write("patch.yaml", """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaNodePool
                metadata: {name: pool}
                spec:
                  roles: [broker]
                """);
        write("kustomization.yaml", "resources: [pool.yaml]\npatches:\n  - path: patch.yaml\n");
        JsonNode pool = Kustomize.build(dir).get(0);
        assertEquals("[\"broker\"]", pool.at("/spec/roles").toString());
        assertEquals("1Gi", pool.at("/spec/storage/volumes/0/size").asText());
    }

    @Test
    void jsonPatchesWithTargets() throws IOException {
        write("app.yaml", DEPLOYMENT);
        write("kustomization.yaml", """
                resources: [app.yaml]
                patches:
                  - target: {kind: Deployment, name: "w.*"}
                    patch: |-
                      - {op: replace, path: /spec/replicas, value: 5}
                      - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: D, value: "4"}}
                      - {op: remove, path: /spec/template/spec/containers/1}
                      - {op: add, path: /metadata/annotations, value: {a~b/c: x}}
                      - {op: test, path: /metadata/name, value: web}
                """);
        JsonNode d = find(Kustomize.build(dir), "Deployment");
        assertEquals(5, d.at("/spec/replicas").asInt());
        assertEquals("D", d.at("/spec/template/spec/containers/0/env/2/name").asText());
        assertEquals(1, d.at("/spec/template/spec/containers").size());
        assertEquals("x", d.at("/metadata/annotations/a~0b~1c").asText());
    }

    @Test
    void refusesWhatItDoesNotSupportOrCannotApply() throws IOException {
        write("app.yaml", DEPLOYMENT);
        String[] bad = {
                "resources: [app.yaml]\ncommonLabels: {a: b}\n",
                "resources: [app.yaml]\nconfigMapGenerator: [{name: x, literals: [A=1]}]\n",
                "resources: [app.yaml]\nlabels: [{pairs: {a: b}, includeSelectors: true}]\n",
                "resources: [app.yaml, missing.yaml]\n",
                "resources: [app.yaml, app.yaml]\n",
                "resources: [app.yaml]\nimages: [{name: nothing/uses-this, newTag: x}]\n",
                "resources: [app.yaml]\nreplicas: [{name: nope, count: 2}]\n",
                "resources: [app.yaml]\npatches:\n  - target: {kind: Service}\n    patch: '[{op: remove, path: /spec}]'\n",
                "resources: [app.yaml]\npatches:\n  - target: {kind: Deployment}\n    patch: '[{op: replace, path: /spec/nothing/here, value: 1}]'\n",
                "resources: [app.yaml]\npatches:\n  - target: {kind: Deployment, labelSelector: a=b}\n    patch: '[{op: remove, path: /spec}]'\n",
                "resources: [app.yaml]\npatches:\n  - patch: '{apiVersion: apps/v1, kind: Deployment, metadata: {name: other}, spec: {replicas: 2}}'\n",
        };
        for (String k : bad) {
            write("kustomization.yaml", k);
            KustomizeException e = assertThrows(KustomizeException.class, () -> Kustomize.build(dir), k);
            assertTrue(e.getMessage().length() > 10, e.getMessage());
        }
    }
}
