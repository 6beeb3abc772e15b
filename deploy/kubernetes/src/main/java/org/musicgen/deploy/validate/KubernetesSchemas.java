package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.JSON;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates built-in Kubernetes objects against the Kubernetes 1.32 OpenAPI schema, offline: the models of the
 * official Java client ({@code io.kubernetes:client-java-api}) are generated from that schema and check a JSON
 * document strictly (a field the schema does not define, a missing required field, a list where an object
 * belongs); binding the document to the model then catches wrong scalar types (a string for an integer).
 */
public final class KubernetesSchemas {

    /** The kinds the manifests may use, with the one API version each is checked against. */
    static final Map<String, String> API_VERSIONS = Map.ofEntries(
            Map.entry("Namespace", "v1"), Map.entry("ConfigMap", "v1"), Map.entry("Secret", "v1"),
            Map.entry("Service", "v1"), Map.entry("ServiceAccount", "v1"), Map.entry("PersistentVolumeClaim", "v1"),
            Map.entry("Deployment", "apps/v1"), Map.entry("StatefulSet", "apps/v1"), Map.entry("DaemonSet", "apps/v1"),
            Map.entry("Job", "batch/v1"), Map.entry("CronJob", "batch/v1"),
            Map.entry("HorizontalPodAutoscaler", "autoscaling/v2"),
            Map.entry("PodDisruptionBudget", "policy/v1"),
            Map.entry("NetworkPolicy", "networking.k8s.io/v1"), Map.entry("Ingress", "networking.k8s.io/v1"),
            Map.entry("Role", "rbac.authorization.k8s.io/v1"), Map.entry("RoleBinding", "rbac.authorization.k8s.io/v1"));

    private KubernetesSchemas() {
    }

    public static boolean handles(JsonNode resource) {
        return API_VERSIONS.containsKey(resource.path("kind").asText())
                && !resource.path("apiVersion").asText().contains(".strimzi.io");
    }

    public static List<String> validate(JsonNode resource) {
        List<String> problems = new ArrayList<>();
        String kind = resource.path("kind").asText();
        String apiVersion = resource.path("apiVersion").asText();
        String id = Resources.id(resource);
        String expected = API_VERSIONS.get(kind);
        if (expected == null) {
            problems.add(id + ": no Kubernetes schema for kind " + kind);
            return problems;
        }
        if (!expected.equals(apiVersion)) {
            problems.add(id + ": " + kind + " must use apiVersion " + expected + ", not " + apiVersion);
            return problems;
        }
        String version = expected.substring(expected.indexOf('/') + 1);
        Class<?> model;
        try {
            model = Class.forName("io.kubernetes.client.openapi.models."
                    + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind);
        } catch (ClassNotFoundException e) {
            problems.add(id + ": no schema model for " + kind);
            return problems;
        }
        String json = resource.toString();
        JsonElement element = JsonParser.parseString(json);
        try {
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, element);
        } catch (InvocationTargetException e) {
            problems.add(id + ": " + shorten(e.getCause().getMessage()));
            return problems;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        try {
            JSON.deserialize(json, model);
        } catch (RuntimeException e) {
            problems.add(id + ": " + shorten(e.getMessage()));
        }
        return problems;
    }

    /** The client's messages append the whole offending JSON; keep the first part. */
    private static String shorten(String message) {
        if (message == null) {
            return "invalid";
        }
        int json = message.indexOf(". JSON: ");
        String m = json > 0 ? message.substring(0, json) : message;
        return m.length() > 400 ? m.substring(0, 400) + "..." : m;
    }
}
