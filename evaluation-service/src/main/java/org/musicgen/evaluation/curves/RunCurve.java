package org.musicgen.evaluation.curves;

import java.time.Instant;
import java.util.List;

/**
 * The training curve of one run, one point per finished epoch, from {@code training.progress}.
 *
 * @param encoding  the corpus's encoding the run trains on ({@code performance}, {@code performance-drums},
 *                  {@code seed}); null until an event named it, and for runs reported before encodings existed
 * @param epochs    epochs the run was asked for (0 when unknown)
 * @param startedAt the earliest event of the run seen (null in curves stored before it was kept): which run of a
 *                  model is the latest
 * @param statusAt  when the event that set {@code status} occurred; older events do not overwrite it
 */
public record RunCurve(String runId, String corpusId, String model, String encoding, String status, int epochs,
                       Instant startedAt, Instant statusAt, List<Point> points) {

    public RunCurve {
        points = points == null ? List.of() : List.copyOf(points);
    }

    /** When the run began as far as its events tell; the status time for curves stored without a start. */
    Instant began() {
        return startedAt != null ? startedAt : statusAt != null ? statusAt : Instant.EPOCH;
    }

    /**
     * Losses after one epoch; fields a model does not have are null (the LSTM has no generator loss). The piano-roll
     * GAN adds its collapse watch: the diversity of a fixed batch of its phrases beside real phrases'.
     */
    public record Point(int epoch, Double trainLoss, Double validationLoss, Double validationPerplexity,
                        Double discriminatorLoss, Double generatorLoss, Double sampleDiversity, Double realDiversity) {
    }
}
