package org.musicgen.trainer.training;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.musicgen.platform.messaging.KeyedSend;
import org.musicgen.trainer.messaging.RunCommand;
import org.musicgen.trainer.messaging.RunCommands;
import org.musicgen.trainer.run.RunStatus;
import org.musicgen.trainer.run.TrainingRun;
import org.musicgen.trainer.run.TrainingRunRepository;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The runs this replica trains. Runs are records of {@code training.runs} (keyed by run id); the replicas share one
 * consumer group, so each partition, and with it each run, belongs to exactly one live replica. Kafka's group
 * membership is the lock: a replica that dies stops heart-beating and its partitions go to the others
 * ({@code musicgen.trainer.owner-timeout}), which read the unfinished runs again from the last committed offset and
 * resume them from their last checkpoint. A replica that gives a partition up (another replica joined, or it shuts
 * down) first stops that partition's runs, before the next owner is given it.
 *
 * <p>Held runs wait for one of {@code musicgen.trainer.concurrency} workers, oldest first. A partition's offset is
 * committed only past runs that have ended, so an unfinished run is never skipped. A run stopped by an outage of the
 * object store or the broker stays held and is started again within {@code musicgen.trainer.resume-interval}.
 */
@ApplicationScoped
public class TrainingQueue {

    private static final Logger LOG = Logger.getLogger(TrainingQueue.class);
    private static final String GROUP = "trainer-service-runs";
    private static final Duration POLL = Duration.ofMillis(500);

    private final TrainingRunner runner;
    private final TrainingRunRepository runs;
    private final RunCommands commands;
    private final TrainerConfig config;
    private final String bootstrapServers;
    private final ExecutorService workers;
    private final ScheduledExecutorService sweeper;
    private final Map<String, Slot> held = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private volatile boolean polling = true;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread poller;

    public TrainingQueue(TrainingRunner runner, TrainingRunRepository runs, RunCommands commands, TrainerConfig config,
                         @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.runner = runner;
        this.runs = runs;
        this.commands = commands;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
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
    }

    /** One run held by this replica: its record's place in the topic and whether a worker has it. */
    private static final class Slot {
        final String runId;
        final TopicPartition partition;
        final long offset;
        volatile boolean cancelled;
        volatile boolean admitted;
        private boolean submitted;
        private boolean running;
        private boolean released;

        Slot(String runId, TopicPartition partition, long offset) {
            this.runId = runId;
            this.partition = partition;
            this.offset = offset;
        }

        synchronized boolean submit() {
            if (submitted || released) {
                return false;
            }
            submitted = true;
            return true;
        }

        synchronized boolean start() {
            if (released) {
                submitted = false;
                return false;
            }
            running = true;
            return true;
        }

        synchronized void end() {
            running = false;
            submitted = false;
            notifyAll();
        }

        synchronized boolean isReleased() {
            return released;
        }

        /** Marks the slot given up; a worker that has it stops at its next check. */
        synchronized void release() {
            released = true;
        }

        synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
            while (running) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    /** Hands a stored run to the fleet: whichever replica owns the partition it lands on trains it. */
    public void submit(String runId) throws KeyedSend.EventNotSentException {
        commands.queued(runId);
    }

    /** Stops a run held here at its next step; other replicas hear of it through {@code training.runs}. */
    public void cancel(String runId) {
        Slot slot = held.get(runId);
        if (slot != null) {
            slot.cancelled = true;
        }
    }

    /** Whether this replica holds the run (waiting for a worker or training). */
    public boolean isActive(String runId) {
        return held.containsKey(runId);
    }

    void start(@Observes StartupEvent startup) {
        commands.ensureTopics();
        poller = new Thread(this::poll, "training-runs-consumer");
        poller.setDaemon(true);
        poller.start();
        long interval = config.resumeInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::resumeStopped, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Cooperative: a replica joining or leaving moves only the partitions that must move, so the runs of the
        // others keep training.
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.ownerTimeout().toMillis());
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) config.ownerTimeout().toMillis() / 3);
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        try {
            consumer.subscribe(List.of(RunCommands.TOPIC), new Rebalance());
            while (polling) {
                try {
                    List<Slot> admitted = new ArrayList<>();
                    for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                        handle(record).ifPresent(admitted::add);
                    }
                    if (!admitted.isEmpty()) {
                        sweeper.execute(() -> admit(admitted));
                    }
                    commit();
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warnf("reading %s failed, trying again: %s", RunCommands.TOPIC, e.getMessage());
                    pause();
                }
            }
        } catch (WakeupException stopping) {
            // shutdown
        } finally {
            // Leaves the group: the revocation callback first stops this replica's runs, then the others take them.
            consumer.close(config.releaseTimeout().plusSeconds(5));
        }
    }

    private Optional<Slot> handle(ConsumerRecord<String, String> record) {
        Optional<RunCommand> command = record.value() == null ? Optional.empty() : commands.parse(record.value());
        if (command.isEmpty()) {
            commands.deadLetter(record.key(), record.value(), "not a run command of " + RunCommands.TOPIC);
            return Optional.empty();
        }
        String runId = command.get().runId();
        if (RunCommand.CANCELLED.equals(command.get().type())) {
            cancel(runId);
            return Optional.empty();
        }
        if (held.containsKey(runId)) {
            return Optional.empty();
        }
        Slot slot = new Slot(runId, new TopicPartition(record.topic(), record.partition()), record.offset());
        held.put(runId, slot);
        return Optional.of(slot);
    }

    /** Newly held runs: ended ones are let go, the others wait for a worker, oldest first. */
    private void admit(List<Slot> admitted) {
        List<String> resuming = new ArrayList<>();
        List<Slot> toTrain = new ArrayList<>();
        for (Slot slot : admitted) {
            slot.admitted = true;
            try {
                Optional<TrainingRun> run = runs.find(slot.runId);
                if (run.isEmpty() || run.get().status().isFinal()) {
                    held.remove(slot.runId, slot);
                    continue;
                }
                if (run.get().epoch() > 0 || run.get().status() == RunStatus.RUNNING) {
                    resuming.add(slot.runId);
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not read run %s (object store down?); the runner tries: %s", slot.runId,
                        e.getMessage());
            }
            toTrain.add(slot);
        }
        if (!resuming.isEmpty()) {
            LOG.infof("resuming %d unfinished run(s) from their last checkpoint: %s", resuming.size(), resuming);
        }
        toTrain.forEach(this::dispatch);
    }

    private void dispatch(Slot slot) {
        if (slot.submit()) {
            workers.submit(() -> work(slot));
        }
    }

    private void work(Slot slot) {
        if (!slot.start()) {
            return;
        }
        try {
            runner.run(slot.runId, runId -> {
                if (slot.isReleased()) {
                    throw new RunReleasedException(runId);
                }
                if (slot.cancelled) {
                    throw new RunCancelledException(runId);
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("run %s stopped (%s); it resumes within %s", slot.runId, e.getMessage(), config.resumeInterval());
        } finally {
            slot.end();
        }
        if (!slot.isReleased()) {
            letGoIfEnded(slot);
        }
    }

    /** A run that ended (or whose record is gone) no longer holds back its partition's offset. */
    private void letGoIfEnded(Slot slot) {
        try {
            Optional<TrainingRun> run = runs.find(slot.runId);
            if (run.isEmpty() || run.get().status().isFinal()) {
                held.remove(slot.runId, slot);
            }
        } catch (RuntimeException e) {
            LOG.debugf("run %s: record not readable now (%s); the next sweep looks again", slot.runId, e.getMessage());
        }
    }

    /** Runs held here that no worker has (stopped by an outage) start again from their last checkpoint. */
    void resumeStopped() {
        for (Slot slot : held.values()) {
            synchronized (slot) {
                if (!slot.admitted || slot.submitted || slot.released) {
                    continue;
                }
            }
            letGoIfEnded(slot);
            if (held.get(slot.runId) == slot) {
                LOG.infof("resuming run %s, stopped earlier, from its last checkpoint", slot.runId);
                dispatch(slot);
            }
        }
    }

    /** Commits, per owned partition, the offset of its oldest unfinished run (or its end when none is left). */
    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            long offset = held.values().stream().filter(slot -> slot.partition.equals(partition))
                    .mapToLong(slot -> slot.offset).min().orElse(consumer.position(partition));
            if (!Long.valueOf(offset).equals(committed.get(partition))) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
            offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
        }
    }

    /**
     * Stops the runs of partitions this replica no longer owns and waits for their workers (bounded by
     * {@code musicgen.trainer.release-timeout}), so that the next owner never trains beside this one.
     */
    private void release(Collection<TopicPartition> partitions, String why) {
        List<Slot> released = held.values().stream().filter(slot -> partitions.contains(slot.partition)).toList();
        released.forEach(Slot::release);
        long deadline = System.nanoTime() + config.releaseTimeout().toNanos();
        try {
            for (Slot slot : released) {
                if (!slot.awaitIdle(deadline)) {
                    LOG.warnf("run %s did not stop within %s", slot.runId, config.releaseTimeout());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        released.forEach(slot -> held.remove(slot.runId, slot));
        partitions.forEach(committed::remove);
        if (!released.isEmpty()) {
            LOG.infof("%s: released %d run(s) to the other trainers: %s", why, released.size(),
                    released.stream().map(slot -> slot.runId).toList());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.infof("this trainer now also owns %s; it owns %d partition(s) of %s", partitions,
                        consumer.assignment().size(), RunCommands.TOPIC);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                commit();
            } catch (RuntimeException e) {
                LOG.warnf("could not commit before giving up %s: %s", partitions, e.getMessage());
            }
            release(partitions, "partitions " + partitions + " moved");
            LOG.infof("this trainer gave up %s; it owns %d partition(s) of %s", partitions,
                    consumer.assignment().size() - partitions.size(), RunCommands.TOPIC);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions, "partitions " + partitions + " lost (this trainer was out of the group)");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        polling = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (poller != null) {
            poller.join(config.releaseTimeout().plusSeconds(10).toMillis());
        }
        sweeper.shutdownNow();
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
