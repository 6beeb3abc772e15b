package org.musicgen.evaluation;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the samples, curves and ratings are loaded from storage. */
@Readiness
@ApplicationScoped
public class EvaluationStateHealthCheck implements HealthCheck {

    private final StateRebuilder state;

    public EvaluationStateHealthCheck(StateRebuilder state) {
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("evaluation-state").status(state.isLoaded())
                .withData("samples", state.samples())
                .withData("ratings", state.ratings())
                .build();
    }
}
