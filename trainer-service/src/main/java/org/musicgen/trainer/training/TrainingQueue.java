package org.musicgen.trainer.training;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.musicgen.trainer.run.RunStatus;
import org.musicgen.trainer.run.TrainingRun;
import org.musicgen.trainer.run.TrainingRunRepository;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs training runs on a fixed number of workers so that one node is never oversubscribed; the rest
 * wait in order. The queue is rebuilt from the stored run records at start and again every
 * {@code musicgen.trainer.resume-interval}: QUEUED runs wait again and RUNNING ones that no worker holds
 * (interrupted by a crash, a restart, or an object store or broker that went away) resume from their last
 * checkpoint.
 */
@ApplicationScoped
public class TrainingQueue {

    private static final Logger LOG = Logger.getLogger(TrainingQueue.class);

    private final TrainingRunner runner;
    private final TrainingRunRepository runs;
    private final ExecutorService workers;
    private final ScheduledExecutorService sweeper;
    private final Duration resumeInterval;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    public TrainingQueue(TrainingRunner runner, TrainingRunRepository runs, TrainerConfig config) {
        this.runner = runner;
        this.runs = runs;
        this.workers = Executors.newFixedThreadPool(Math.max(1, config.concurrency()), task -> {
            Thread thread = new Thread(task, "training-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "training-resume");
            thread.setDaemon(true);
            return thread;
        });
        this.resumeInterval = config.resumeInterval();
    }

    /** Queues a run unless it is already waiting or training here. */
    public void submit(String runId) {
        if (!queued.add(runId)) {
            return;
        }
        workers.submit(() -> {
            try {
                runner.run(runId, () -> cancelled.contains(runId));
            } catch (RuntimeException e) {
                LOG.warnf("run %s stopped (%s); it resumes within %s", runId, e.getMessage(), resumeInterval);
            } finally {
                queued.remove(runId);
                cancelled.remove(runId);
            }
        });
    }

    /** Marks a run cancelled; a training worker stops it at its next step. */
    public void cancel(String runId) {
        cancelled.add(runId);
    }

    public boolean isActive(String runId) {
        return queued.contains(runId);
    }

    void start(@Observes StartupEvent startup) {
        sweeper.scheduleWithFixedDelay(this::resumeUnfinished, 0, resumeInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void resumeUnfinished() {
        try {
            // Oldest first, so runs keep their order in the queue.
            List<TrainingRun> all = new ArrayList<>(runs.findAll());
            Collections.reverse(all);
            List<String> unfinished = all.stream()
                    .filter(run -> run.status() == RunStatus.QUEUED || run.status() == RunStatus.RUNNING)
                    .map(TrainingRun::id)
                    .filter(id -> !queued.contains(id))
                    .toList();
            if (!unfinished.isEmpty()) {
                LOG.infof("resuming %d unfinished run(s): %s", unfinished.size(), unfinished);
            }
            unfinished.forEach(this::submit);
        } catch (RuntimeException e) {
            LOG.warnf("could not list unfinished runs (object store down?); trying again in %s: %s", resumeInterval,
                    e.getMessage());
        }
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        sweeper.shutdownNow();
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
