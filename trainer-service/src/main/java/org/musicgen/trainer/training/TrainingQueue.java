package org.musicgen.trainer.training;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.musicgen.trainer.run.RunStatus;
import org.musicgen.trainer.run.TrainingRun;
import org.musicgen.trainer.run.TrainingRunRepository;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs training runs on a fixed number of workers so that one node is never oversubscribed; the rest
 * wait in order. At start the queue is rebuilt from the stored run records: QUEUED runs wait again and
 * RUNNING ones (interrupted by a crash or restart) resume from their last checkpoint.
 */
@ApplicationScoped
public class TrainingQueue {

    private static final Logger LOG = Logger.getLogger(TrainingQueue.class);

    private final TrainingRunner runner;
    private final TrainingRunRepository runs;
    private final ExecutorService workers;
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
                LOG.errorf(e, "run %s stopped unexpectedly; it resumes at the next start", runId);
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

    void resume(@Observes StartupEvent startup) {
        Thread resumer = new Thread(() -> {
            try {
                // Oldest first, so runs keep their order in the queue.
                List<TrainingRun> all = new ArrayList<>(runs.findAll());
                Collections.reverse(all);
                List<String> unfinished = all.stream()
                        .filter(run -> run.status() == RunStatus.QUEUED || run.status() == RunStatus.RUNNING)
                        .map(TrainingRun::id)
                        .toList();
                if (!unfinished.isEmpty()) {
                    LOG.infof("resuming %d unfinished run(s): %s", unfinished.size(), unfinished);
                }
                unfinished.forEach(this::submit);
            } catch (RuntimeException e) {
                LOG.warnf("could not list unfinished runs (object store down?); they resume at the next start: %s",
                        e.getMessage());
            }
        }, "training-resume");
        resumer.setDaemon(true);
        resumer.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
