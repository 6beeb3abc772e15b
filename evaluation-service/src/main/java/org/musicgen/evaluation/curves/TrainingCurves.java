package org.musicgen.evaluation.curves;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.platform.events.TrainingProgress;
import org.musicgen.platform.storage.JsonRecords;
import org.musicgen.platform.storage.ObjectStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Training curves of every run seen on {@code training.progress}, kept durably in the {@code ratings} bucket
 * ({@code catalogue/runs/<runId>.json}, rewritten when a point is added) and pushed to the results page.
 */
@ApplicationScoped
public class TrainingCurves {

    private final JsonRecords<RunCurve> records;
    private final LiveUpdates live;
    private final Map<String, RunCurve> curves = new ConcurrentHashMap<>();

    public TrainingCurves(ObjectStore store, ObjectMapper json, LiveUpdates live) {
        this.records = new JsonRecords<>(store, json, StateLayout.BUCKET, StateLayout.RUNS_PREFIX, StateLayout.JSON,
                RunCurve.class, RunCurve::runId);
        this.live = live;
    }

    public int reload() {
        records.findAll(Comparator.comparing(RunCurve::runId))
                .forEach(curve -> curves.putIfAbsent(curve.runId(), curve));
        return curves.size();
    }

    /**
     * Folds one progress event into its run's curve, stores the curve when it changed, then tells the results page.
     * Step updates (with {@code step} set) only carry status. Returns the curve. Synchronized: the shared and the
     * per-replica consumer fold the same events, and must not both read a curve before either stored it.
     */
    public synchronized RunCurve apply(TrainingProgress event) {
        if (event == null || event.runId() == null || event.runId().isBlank()) {
            throw new IllegalArgumentException("unreadable training.progress event: no runId");
        }
        RunCurve current = Optional.ofNullable(curves.get(event.runId()))
                .or(() -> records.find(event.runId()))
                .orElse(null);
        RunCurve next = merge(current, event);
        if (!next.equals(current)) {
            records.save(next);
            curves.put(next.runId(), next);
            live.curve(next, DrumsComparison.of(curves.values()));
        } else {
            curves.put(next.runId(), next);
        }
        return next;
    }

    static RunCurve merge(RunCurve current, TrainingProgress event) {
        Instant at = event.occurredAt() == null ? Instant.EPOCH : event.occurredAt();
        String status = current == null ? event.status() : current.status();
        Instant statusAt = current == null ? at : current.statusAt();
        if (current != null && event.status() != null && (statusAt == null || !at.isBefore(statusAt))) {
            status = event.status();
            statusAt = at;
        }
        List<RunCurve.Point> points = new ArrayList<>(current == null ? List.of() : current.points());
        boolean hasLosses = event.trainLoss() != null || event.validationLoss() != null
                || event.discriminatorLoss() != null || event.generatorLoss() != null;
        if (event.step() == null && event.epoch() > 0 && hasLosses) {
            RunCurve.Point point = new RunCurve.Point(event.epoch(), finite(event.trainLoss()),
                    finite(event.validationLoss()), finite(event.validationPerplexity()),
                    finite(event.discriminatorLoss()), finite(event.generatorLoss()), finite(event.sampleDiversity()),
                    finite(event.realDiversity()));
            points.removeIf(p -> p.epoch() == event.epoch());
            points.add(point);
            points.sort(Comparator.comparingInt(RunCurve.Point::epoch));
        }
        String corpusId = current != null && current.corpusId() != null ? current.corpusId() : event.corpusId();
        String model = current != null && current.model() != null ? current.model() : event.model();
        // every event of a run names the same corpus encoding (or none, before the run read its dataset)
        String encoding = current != null && current.encoding() != null ? current.encoding() : event.encoding();
        int epochs = Math.max(current == null ? 0 : current.epochs(), event.epochs());
        // the earliest event wins whatever the order of arrival, so every replica agrees on it
        Instant startedAt = current == null || current.startedAt() == null || at.isBefore(current.startedAt())
                ? at : current.startedAt();
        return new RunCurve(event.runId(), corpusId, model, encoding, status, epochs, startedAt, statusAt, points);
    }

    private static Double finite(Double value) {
        return value == null || !Double.isFinite(value) ? null : value;
    }

    /** Newest-first is not known for runs; sorted by model, then run id. */
    public List<RunCurve> all() {
        return curves.values().stream()
                .sorted(Comparator.comparing((RunCurve c) -> c.model() == null ? "" : c.model())
                        .thenComparing(RunCurve::runId))
                .toList();
    }
}
