package org.musicgen.deploy.validate;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Every rendered resource against the schema of its kind: Kubernetes or Strimzi; any other kind is an error. */
public final class SchemaValidator {

    private SchemaValidator() {
    }

    public static List<String> validate(List<? extends JsonNode> resources) {
        List<String> problems = new ArrayList<>();
        for (JsonNode r : resources) {
            if (StrimziSchemas.handles(r)) {
                problems.addAll(StrimziSchemas.validate(r));
            } else if (KubernetesSchemas.handles(r)) {
                problems.addAll(KubernetesSchemas.validate(r));
            } else {
                problems.add(Resources.id(r) + ": no schema known for " + r.path("apiVersion").asText() + " "
                        + r.path("kind").asText() + " (add it to KubernetesSchemas or StrimziSchemas)");
            }
        }
        return problems;
    }
}
