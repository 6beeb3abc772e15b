package org.musicgen.trainer.run;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.musicgen.platform.events.EventIds;
import org.musicgen.platform.messaging.KeyedSend;
import org.musicgen.platform.rest.ProblemException;
import org.musicgen.trainer.messaging.RunCommands;
import org.musicgen.trainer.training.DatasetLoader;
import org.musicgen.trainer.training.DeviceSelector;
import org.musicgen.trainer.training.TrainingQueue;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Creating, listing and cancelling runs; the one place that checks a request before it is queued. */
@ApplicationScoped
public class TrainingRunService {

    private static final Logger LOG = Logger.getLogger(TrainingRunService.class);

    private final TrainingRunRepository runs;
    private final TrainingQueue queue;
    private final DatasetLoader datasets;
    private final RunCommands commands;
    private final Clock clock = Clock.systemUTC();

    public TrainingRunService(TrainingRunRepository runs, TrainingQueue queue, DatasetLoader datasets,
                              RunCommands commands) {
        this.runs = runs;
        this.queue = queue;
        this.datasets = datasets;
        this.commands = commands;
    }

    public record RunRequest(String corpusId, String model, String preset, Map<String, String> hyperParameters,
                             String device) {
    }

    /** Validates, stores and queues a run asked for over HTTP. */
    public TrainingRun create(RunRequest request) {
        TrainingRun run = store(request, null);
        try {
            queue.submit(run.id());
        } catch (KeyedSend.EventNotSentException e) {
            runs.save(run.failed("not queued, the broker did not take it: " + e.getMessage(), clock.instant()));
            throw new ProblemException(503, "Service Unavailable", "the run could not be queued because Kafka did "
                    + "not answer; try again when the broker is back", Map.of("Retry-After", "30"));
        }
        return run;
    }

    /**
     * Validates, stores and queues a run with a fixed id, idempotently (runs started by an event get an id derived
     * from the event, so a redelivered event finds its run instead of adding one). A stored run that has not ended
     * is queued again: a repeated {@code run.queued} is harmless, a missing one would strand the run.
     */
    public TrainingRun createOnce(RunRequest request, String fixedId) throws KeyedSend.EventNotSentException {
        TrainingRun run = store(request, fixedId);
        if (!run.status().isFinal()) {
            queue.submit(run.id());
        }
        return run;
    }

    private TrainingRun store(RunRequest request, String fixedId) {
        if (request.corpusId() == null || request.corpusId().isBlank()) {
            throw ProblemException.badRequest("corpusId is required: the id of a READY corpus from the ingest service");
        }
        RunSpec spec;
        Map<String, String> overrides = request.hyperParameters() == null ? Map.of() : request.hyperParameters();
        String device = request.device() == null || request.device().isBlank() ? "auto" : request.device();
        try {
            spec = RunSpec.parse(request.model(), request.preset(), overrides);
            DeviceSelector.validate(device);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        if (fixedId != null) {
            Optional<TrainingRun> existing = runs.find(fixedId);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        if (!datasets.exists(request.corpusId())) {
            throw ProblemException.notFound("no dataset for corpus '" + request.corpusId()
                    + "': submit it to the ingest service and wait until it is READY");
        }
        String id = fixedId != null ? fixedId : UUID.randomUUID().toString();
        String preset = request.preset() == null || request.preset().isBlank() ? "default" : request.preset().trim()
                .toLowerCase(java.util.Locale.ROOT);
        TrainingRun run = TrainingRun.queued(id, request.corpusId(), spec, preset, overrides, device, clock.instant());
        runs.save(run);
        return run;
    }

    /** The id of the default run of a model for a corpus, the same every time the corpus is announced. */
    public static String defaultRunId(String corpusId, ModelFamily kind) {
        return EventIds.of("default-run-" + kind.wireName(), corpusId);
    }

    public TrainingRun get(String id) {
        return runs.find(id).orElseThrow(() -> ProblemException.notFound("no training run with id '" + id + "'"));
    }

    public List<TrainingRun> list(String corpusId) {
        return runs.findAll().stream()
                .filter(run -> corpusId == null || corpusId.equals(run.corpusId()))
                .toList();
    }

    public TrainingRun cancel(String id) {
        TrainingRun run = get(id);
        if (run.status().isFinal()) {
            throw ProblemException.conflict("run " + id + " is already " + run.status() + "; nothing to cancel");
        }
        queue.cancel(id);
        try {
            commands.cancelled(id);
        } catch (KeyedSend.EventNotSentException e) {
            // The stored CANCELLED status still stops it: its owner reads the record before it starts or resumes it.
            LOG.warnf("cancellation of run %s not sent to the other trainers: %s", id, e.getMessage());
        }
        if (run.status() == RunStatus.QUEUED || !queue.isActive(id)) {
            TrainingRun cancelled = run.cancelled(clock.instant());
            runs.save(cancelled);
            return cancelled;
        }
        return run;
    }
}
