package org.musicgen.trainer.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.musicgen.platform.events.TrainingProgress;

/**
 * A training run as stored in the {@code checkpoints} bucket ({@code runs/<id>/run.json}), the only
 * state of the trainer: a restarted service rebuilds its queue from these records.
 *
 * @param hyperParameters the user's settings as sent: overrides of the preset by name, with the run's limits
 *                        ({@code maxMinutes}, {@code patience}, {@code minDelta}); shown, not read again
 * @param spec            what the run trains, as it was accepted: the model kind's hyper-parameters and the limits
 * @param encoding        the corpus's encoding, read from its dataset when the run starts (null before)
 * @param epoch           last completed epoch (0 before the first)
 * @param epochs          the most epochs the run trains; a time budget or early stopping may end it sooner
 * @param elapsedSeconds  time spent training so far (epochs, evaluation, checkpoints), summed over every start of
 *                        the run, so that a resumed run keeps to its time budget
 * @param etaSeconds      estimated seconds to the end when the record was written; null when unknown or ended
 * @param checkpointKeys  one per completed epoch, oldest first; the last one is where a resume starts
 * @param finalMetrics    set when COMPLETED (validation loss/perplexity and the baselines' for the LSTM)
 * @param stopReason      set when COMPLETED: why training stopped
 */
public record TrainingRun(
        String id,
        String corpusId,
        ModelFamily model,
        String preset,
        Map<String, String> hyperParameters,
        RunSpec spec,
        RunStatus status,
        String requestedDevice,
        String device,
        String encoding,
        int epoch,
        int epochs,
        double elapsedSeconds,
        Double etaSeconds,
        List<EpochMetrics> history,
        List<String> checkpointKeys,
        Map<String, Double> finalMetrics,
        StopReason stopReason,
        String error,
        Instant createdAt,
        Instant updatedAt) {

    public TrainingRun {
        // records stored before these fields existed read them as null
        history = history == null ? List.of() : history;
        checkpointKeys = checkpointKeys == null ? List.of() : checkpointKeys;
        finalMetrics = finalMetrics == null ? Map.of() : finalMetrics;
        hyperParameters = hyperParameters == null ? Map.of() : hyperParameters;
        if (spec == null && model != null) {
            spec = legacySpec(model, preset, hyperParameters);
        }
    }

    /**
     * The specification of a run stored before runs kept one, read from its settings as training read them then
     * (the dataset's sequence length was written over any the user gave).
     */
    private static RunSpec legacySpec(ModelFamily model, String preset, Map<String, String> hyperParameters) {
        Map<String, String> settings = new java.util.HashMap<>(hyperParameters);
        settings.remove("sequenceLength");
        try {
            return RunSpec.parse(model.wireName(), preset, settings);
        } catch (IllegalArgumentException e) {
            return null; // listed as it is; training it fails with requireSpec's reason
        }
    }

    /** What the run trains; a run stored before specifications whose settings no longer read cannot train. */
    public RunSpec requireSpec() {
        if (spec == null) {
            throw new IllegalStateException("run " + id + " was stored with settings this version no longer reads ("
                    + hyperParameters + "): start a new run");
        }
        return spec;
    }

    public static TrainingRun queued(String id, String corpusId, RunSpec spec, String preset,
                                     Map<String, String> hyperParameters, String requestedDevice, Instant now) {
        return new TrainingRun(id, corpusId, spec.family(), preset, Map.copyOf(hyperParameters), spec,
                RunStatus.QUEUED, requestedDevice, null, null, 0, spec.model().epochs(), 0, null, List.of(), List.of(),
                Map.of(), null, null, now, now);
    }

    public TrainingRun running(String actualDevice, String corpusEncoding, Double eta, Instant now) {
        return new TrainingRun(id, corpusId, model, preset, hyperParameters, spec, RunStatus.RUNNING, requestedDevice,
                actualDevice, corpusEncoding, epoch, epochs, elapsedSeconds, eta, history, checkpointKeys,
                finalMetrics, null, null, createdAt, now);
    }

    /**
     * @param elapsed the run's training time up to the end of this epoch, all starts together
     */
    public TrainingRun epochDone(EpochMetrics metrics, String checkpointKey, double elapsed, Double eta, Instant now) {
        List<EpochMetrics> newHistory = new ArrayList<>(history);
        newHistory.add(metrics);
        List<String> newKeys = new ArrayList<>(checkpointKeys);
        newKeys.add(checkpointKey);
        return new TrainingRun(id, corpusId, model, preset, hyperParameters, spec, status, requestedDevice, device,
                encoding, metrics.epoch(), epochs, elapsed, eta, List.copyOf(newHistory), List.copyOf(newKeys),
                finalMetrics, stopReason, error, createdAt, now);
    }

    public TrainingRun completed(Map<String, Double> metrics, StopReason reason, Instant now) {
        return new TrainingRun(id, corpusId, model, preset, hyperParameters, spec, RunStatus.COMPLETED, requestedDevice,
                device, encoding, epoch, epochs, elapsedSeconds, null, history, checkpointKeys, Map.copyOf(metrics),
                reason, null, createdAt, now);
    }

    public TrainingRun failed(String reason, Instant now) {
        return withStatus(RunStatus.FAILED, reason, now);
    }

    public TrainingRun cancelled(Instant now) {
        return withStatus(RunStatus.CANCELLED, null, now);
    }

    /**
     * The {@code training.progress} event of this run's state at {@code at}, with an epoch's metrics (null for a
     * status change without one) and an ETA.
     */
    public TrainingProgress progress(EpochMetrics metrics, Double eta, Instant at) {
        boolean has = metrics != null;
        return new TrainingProgress(UUID.randomUUID().toString(), TrainingProgress.TYPE, at, id, corpusId,
                model.wireName(), status.name(), epoch, epochs, null, null,
                has ? metrics.trainLoss() : null, has ? metrics.validationLoss() : null,
                has ? metrics.validationPerplexity() : null, has ? metrics.discriminatorLoss() : null,
                has ? metrics.generatorLoss() : null, has ? metrics.throughput() : null, eta, latestCheckpointKey(),
                encoding, has ? metrics.sampleDiversity() : null, has ? metrics.realDiversity() : null);
    }

    public String latestCheckpointKey() {
        return checkpointKeys.isEmpty() ? null : checkpointKeys.get(checkpointKeys.size() - 1);
    }

    /**
     * The epoch whose checkpoint is the run's model: the best on the held-out measure (early stopping),
     * so a late collapse of the GAN or overfitting of the LSTM does not become the served model.
     */
    public EpochMetrics bestEpoch() {
        return history.stream().min(Comparator.comparingDouble(EpochMetrics::selectionScore)).orElse(null);
    }

    /**
     * Epochs since the held-out measure last improved on its best by more than {@code minDelta}: what early
     * stopping counts. Read from the history, so that a resumed run counts on.
     */
    public int epochsWithoutImprovement(double minDelta) {
        double best = Double.POSITIVE_INFINITY;
        int since = 0;
        for (EpochMetrics m : history) {
            if (m.selectionScore() < best - minDelta) {
                best = m.selectionScore();
                since = 0;
            } else {
                since++;
            }
        }
        return since;
    }

    /** Mean seconds per epoch so far, evaluation and checkpoint included; NaN before the first. */
    public double secondsPerEpoch() {
        return history.isEmpty() ? Double.NaN : elapsedSeconds / history.size();
    }

    /** Mean seconds per epoch spent besides the training steps (evaluation, checkpoint); 0 before the first. */
    public double overheadPerEpoch() {
        if (history.isEmpty()) {
            return 0;
        }
        double training = history.stream().mapToDouble(EpochMetrics::seconds).sum();
        return Math.max(0, (elapsedSeconds - training) / history.size());
    }

    public String checkpointKeyOf(int epochNumber) {
        return checkpointKeys.get(epochNumber - 1);
    }

    private TrainingRun withStatus(RunStatus newStatus, String reason, Instant now) {
        return new TrainingRun(id, corpusId, model, preset, hyperParameters, spec, newStatus, requestedDevice, device,
                encoding, epoch, epochs, elapsedSeconds, null, history, checkpointKeys, finalMetrics, stopReason,
                reason, createdAt, now);
    }
}
