package org.musicgen.trainer.training;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

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

    /** Epochs of the runs started by {@code corpora.ingested}; requests may ask for others. */
    @WithDefault("40")
    int defaultLstmEpochs();

    @WithDefault("20")
    int defaultGanEpochs();

    /** How often unfinished runs that no worker holds are picked up again (after an outage, say). */
    @WithDefault("30s")
    Duration resumeInterval();

    /** Intra-op threads for CPU training (0: let the engine decide). */
    @WithDefault("0")
    int cpuThreads();
}
