package org.musicgen.trainer.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A training run as stored in the {@code checkpoints} bucket ({@code runs/<id>/run.json}), the only
 * state of the trainer: a restarted service rebuilds its queue from these records.
 *
 * @param hyperParameters the user's overrides of the preset, by name
 * @param epoch           last completed epoch (0 before the first)
 * @param checkpointKeys  one per completed epoch, oldest first; the last one is where a resume starts
 * @param finalMetrics    set when COMPLETED (validation loss/perplexity and the baselines' for the LSTM)
 */
public record TrainingRun(
        String id,
        String corpusId,
        ModelKind model,
        String preset,
        Map<String, String> hyperParameters,
        RunStatus status,
        String requestedDevice,
        String device,
        int epoch,
        int epochs,
        List<EpochMetrics> history,
        List<String> checkpointKeys,
        Map<String, Double> finalMetrics,
        String error,
        Instant createdAt,
        Instant updatedAt) {

    public static TrainingRun queued(String id, String corpusId, ModelKind model, String preset,
                                     Map<String, String> hyperParameters, String requestedDevice, int epochs,
                                     Instant now) {
        return new TrainingRun(id, corpusId, model, preset, Map.copyOf(hyperParameters), RunStatus.QUEUED,
                requestedDevice, null, 0, epochs, List.of(), List.of(), Map.of(), null, now, now);
    }

    public TrainingRun running(String actualDevice, Instant now) {
        return new TrainingRun(id, corpusId, model, preset, hyperParameters, RunStatus.RUNNING, requestedDevice,
                actualDevice, epoch, epochs, history, checkpointKeys, finalMetrics, null, createdAt, now);
    }

    public TrainingRun epochDone(EpochMetrics metrics, String checkpointKey, Instant now) {
        List<EpochMetrics> newHistory = new ArrayList<>(history);
        newHistory.add(metrics);
        List<String> newKeys = new ArrayList<>(checkpointKeys);
        newKeys.add(checkpointKey);
        return new TrainingRun(id, corpusId, model, preset, hyperParameters, status, requestedDevice, device,
                metrics.epoch(), epochs, List.copyOf(newHistory), List.copyOf(newKeys), finalMetrics, error,
                createdAt, now);
    }

    public TrainingRun completed(Map<String, Double> metrics, Instant now) {
        return withStatus(RunStatus.COMPLETED, Map.copyOf(metrics), null, now);
    }

    public TrainingRun failed(String reason, Instant now) {
        return withStatus(RunStatus.FAILED, finalMetrics, reason, now);
    }

    public TrainingRun cancelled(Instant now) {
        return withStatus(RunStatus.CANCELLED, finalMetrics, null, now);
    }

    public String latestCheckpointKey() {
        return checkpointKeys.isEmpty() ? null : checkpointKeys.get(checkpointKeys.size() - 1);
    }

    /**
     * The epoch whose checkpoint is the run's model: the best on the held-out measure (early stopping),
     * so a late collapse of the GAN or overfitting of the LSTM does not become the served model.
     */
    public EpochMetrics bestEpoch() {
        return history.stream().min(java.util.Comparator.comparingDouble(EpochMetrics::selectionScore)).orElse(null);
    }

    public String checkpointKeyOf(int epochNumber) {
        return checkpointKeys.get(epochNumber - 1);
    }

    private TrainingRun withStatus(RunStatus newStatus, Map<String, Double> metrics, String reason, Instant now) {
        return new TrainingRun(id, corpusId, model, preset, hyperParameters, newStatus, requestedDevice, device,
                epoch, epochs, history, checkpointKeys, metrics, reason, createdAt, now);
    }
}
