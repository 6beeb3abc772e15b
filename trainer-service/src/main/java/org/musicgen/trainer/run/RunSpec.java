package org.musicgen.trainer.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.musicgen.core.model.ModelConfig;
import org.musicgen.core.model.gan.roll.RollGanConfig;
import org.musicgen.core.model.gan.token.TokenGanConfig;
import org.musicgen.core.model.kind.ModelKind;
import org.musicgen.core.model.lstm.LstmConfig;

import java.util.Map;

/**
 * What a run trains, one record per model kind: the kind's hyper-parameters and, apart from them, the run's limits.
 * Parsed and validated once, where a request comes in ({@code POST /api/training-runs} or a {@code corpora.ingested}
 * event), and stored typed with the run, so training reads it as it was accepted.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RunSpec.Lstm.class, name = "lstm"),
        @JsonSubTypes.Type(value = RunSpec.TokenGan.class, name = "token-gan"),
        @JsonSubTypes.Type(value = RunSpec.RollGan.class, name = "roll-gan")})
public sealed interface RunSpec permits RunSpec.Lstm, RunSpec.TokenGan, RunSpec.RollGan {

    /** The model's hyper-parameters; a sequence length in it is the default until the dataset's windows fix it. */
    ModelConfig model();

    RunLimits limits();

    @JsonIgnore
    default ModelKind kind() {
        return ModelKind.of(model());
    }

    @JsonIgnore
    default ModelFamily family() {
        return ModelFamily.parse(kind().family());
    }

    record Lstm(LstmConfig model, RunLimits limits) implements RunSpec {
    }

    record TokenGan(TokenGanConfig model, RunLimits limits) implements RunSpec {
    }

    record RollGan(RollGanConfig model, RunLimits limits) implements RunSpec {
    }

    /**
     * Reads a request: a model family or kind, a preset and settings by name, the model's hyper-parameters and the
     * run's limits together as a user gives them.
     *
     * @throws IllegalArgumentException naming the value at fault, with the names accepted for an unknown one
     */
    static RunSpec parse(String model, String preset, Map<String, String> settings) {
        RunLimits limits = RunLimits.of(settings);
        Map<String, String> hyperParameters = RunLimits.modelParameters(settings);
        if (hyperParameters.containsKey("sequenceLength")) {
            throw new IllegalArgumentException("sequenceLength is fixed by the corpus's dataset (the length of its "
                    + "training windows), not by a run");
        }
        ModelKind kind = ModelKind.requested(model, preset, hyperParameters);
        ModelConfig config;
        try {
            config = kind.configure(preset, kind.ownOverrides(hyperParameters));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("unknown ")) {
                throw new IllegalArgumentException(e.getMessage() + "; and for the run: "
                        + String.join(", ", RunLimits.KEYS.stream().sorted().toList()), e);
            }
            throw e;
        }
        if (config instanceof LstmConfig lstm) {
            return new Lstm(lstm, limits);
        }
        if (config instanceof TokenGanConfig tokenGan) {
            return new TokenGan(tokenGan, limits);
        }
        if (config instanceof RollGanConfig rollGan) {
            return new RollGan(rollGan, limits);
        }
        throw new IllegalStateException("no run specification for model kind " + kind.wireName());
    }
}
