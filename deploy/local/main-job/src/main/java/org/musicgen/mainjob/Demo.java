package org.musicgen.mainjob;

import java.util.List;
import java.util.Map;

/**
 * What {@code ./run.sh} does without {@code --corpus}: the first thing a new user hears, in a few minutes on 2 cores.
 * A small corpus in two keys that share their notes (C major, A minor) and models sized for it, so that within those
 * minutes both models audibly learn it (measurements in BENCHMARKS.md, "The demo"). A corpus of one's own is trained
 * with the trainer's defaults instead, which are sized for real piano.
 */
final class Demo {

    static final int PIECES = 48;
    /** Relative keys: the models learn one set of pitch classes, not twelve transpositions of it, in the time. */
    static final List<String> KEYS = List.of("c-major", "a-minor");
    /** {@code --keys all}: each synthetic piece keeps its own key (the twelve in turn). */
    static final String ALL_KEYS = "all";

    /** The demo's clip length, in seconds. */
    static final double CLIP_SECONDS = 20;

    static final String DESCRIPTION = "with the demo's settings (LSTM: one layer of 128 in batches of 8; GAN in "
            + "batches of 32; at most 2 and 2.5 minutes)";

    /**
     * The services' settings for the demo corpus.
     * <ul>
     * <li>LSTM: one layer of 128 in batches of 8 makes 19 steps an epoch on this corpus and reaches its best epoch in
     * well under a minute; the default 2 x 192 in batches of 32 makes 5 steps an epoch here and each costs ten times
     * as much.</li>
     * <li>GAN: batches of 32 (twice the steps an epoch). Its discriminator leaves chance here (loss 0.2-1.1) at the
     * default learning rate, 2e-3; at the former 4e-4 it stayed at 2 ln 2.</li>
     * <li>Both runs train side by side (they take turns on the engine) and end by their patience, well within their
     * budgets.</li>
     * <li>Every listening clip (samples, the real excerpts beside them, their low anchors) is cut to 20 s: on 30 s the
     * small LSTM drifts between the two keys (pitch-class entropy 2.79-2.84 against the excerpts' 2.65-2.76).</li>
     * </ul>
     */
    static final Map<String, Map<String, String>> SERVICE_PROPERTIES = Map.of(LocalServices.GENERATOR,
            Map.of("musicgen.generator.clip-seconds", Double.toString(CLIP_SECONDS)),
            LocalServices.TRAINER, Map.ofEntries(
            Map.entry("musicgen.trainer.concurrency", "2"),
            Map.entry("musicgen.trainer.cpu-threads", "1"),
            Map.entry("musicgen.trainer.default-lstm-hyper-parameters.hiddenSize", "128"),
            Map.entry("musicgen.trainer.default-lstm-hyper-parameters.layers", "1"),
            Map.entry("musicgen.trainer.default-lstm-hyper-parameters.batchSize", "8"),
            Map.entry("musicgen.trainer.default-lstm-epochs", "40"),
            Map.entry("musicgen.trainer.default-lstm-max-minutes", "2"),
            Map.entry("musicgen.trainer.default-gan-hyper-parameters.batchSize", "32"),
            // matched to the density, the demo GAN's pitch-class entropy left its excerpts' range in DemoIT (2.846, 2.643-2.820)
            Map.entry("musicgen.trainer.default-gan-hyper-parameters.densityMatch", "false"),
            Map.entry("musicgen.trainer.default-gan-epochs", "40"),
            Map.entry("musicgen.trainer.default-gan-max-minutes", "2.5")));

    private Demo() {
    }
}
