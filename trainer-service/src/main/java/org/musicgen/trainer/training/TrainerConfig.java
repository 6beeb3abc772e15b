package org.musicgen.trainer.training;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "musicgen.trainer")
public interface TrainerConfig {

    /** Runs trained at the same time on this node; the rest wait in the queue. */
    @WithDefault("1")
    int concurrency();

    /** {@code auto} (GPU when DJL sees one, all of them in data parallel), {@code cpu} or {@code gpu}. */
    @WithDefault("auto")
    String device();

    /** Share of a corpus's pieces held out for validation. */
    @WithDefault("0.15")
    double validationFraction();

    /** Start one default LSTM and one default GAN run for every {@code corpora.ingested}. */
    @WithDefault("true")
    boolean trainOnIngest();

    /**
     * Limits of the runs started by {@code corpora.ingested} (requests may ask for others): the most epochs, a time
     * budget in minutes, and early stopping after {@code patience} epochs without an improvement of the held-out
     * measure by more than {@code min-delta}. Whichever comes first ends the run; see the README for the choice.
     */
    @WithDefault("40")
    int defaultLstmEpochs();

    @WithDefault("20")
    int defaultGanEpochs();

    @WithDefault("12")
    double defaultLstmMaxMinutes();

    @WithDefault("8")
    double defaultGanMaxMinutes();

    @WithDefault("5")
    int defaultLstmPatience();

    @WithDefault("8")
    int defaultGanPatience();

    /** In nats per event for the LSTM's validation loss, in share of notes for the GAN's pitch-class distance. */
    @WithDefault("0.001")
    double defaultMinDelta();

    /**
     * Hyper-parameters of the runs started by {@code corpora.ingested} over the default preset's, by name
     * ({@code musicgen.trainer.default-lstm-hyper-parameters.batchSize=8}): a deployment's choice for its corpora,
     * or the demo's for its small one. Empty by default; an invalid one fails the run with its message.
     */
    Map<String, String> defaultLstmHyperParameters();

    Map<String, String> defaultGanHyperParameters();

    /**
     * Partitions of {@code training.runs} when this service creates the topic (the local stack; Kubernetes declares
     * it): the most replicas that can share the work. Fixed once: more partitions later would move runs.
     */
    @WithDefault("12")
    int runPartitions();

    /**
     * How long a replica may be silent (dead, or cut off from the broker) before its runs go to the others: the
     * consumer session timeout of {@code training.runs} (at least the broker's 6 s minimum).
     */
    @WithDefault("10s")
    Duration ownerTimeout();

    /** The longest a replica waits for its runs to stop when it hands them over (a step, or an epoch's end). */
    @WithDefault("60s")
    Duration releaseTimeout();

    /** How often unfinished runs held here that no worker has are started again (after an outage, say). */
    @WithDefault("30s")
    Duration resumeInterval();

    /** How often a running epoch sends a step update (loss, throughput, ETA) to the SSE streams. */
    @WithDefault("2s")
    Duration stepEventInterval();

    /** Intra-op threads for CPU training (0: let the engine decide). */
    @WithDefault("0")
    int cpuThreads();
}
