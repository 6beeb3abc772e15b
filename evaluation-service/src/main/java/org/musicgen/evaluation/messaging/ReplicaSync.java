package org.musicgen.evaluation.messaging;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.musicgen.evaluation.config.EvaluationConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Read-your-writes across replicas. Each replica applies the shared topics ({@code trials.planned},
 * {@code ratings.submitted}) in its own consumer group and notes here how far it got; before planning, a replica
 * waits until it has applied everything the broker held when the request came in. So a plan or rating that another
 * replica finished (acknowledged by the broker) before this request began is always counted; only requests that
 * really overlap in time on two replicas can plan without seeing each other.
 */
@ApplicationScoped
public class ReplicaSync {

    private static final Logger LOG = Logger.getLogger(ReplicaSync.class);

    private final Admin admin;
    private final Duration timeout;
    private final Map<TopicPartition, Long> applied = new HashMap<>();
    private final Map<String, List<TopicPartition>> partitions = new HashMap<>();

    public ReplicaSync(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                       EvaluationConfig config) {
        this.timeout = config.syncTimeout();
        int millis = (int) Math.max(1, timeout.toMillis());
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis));
    }

    /** Notes that the record at this offset was applied (or could not be, and never will be). */
    public synchronized void applied(String topic, int partition, long offset) {
        applied.merge(new TopicPartition(topic, partition), offset, Math::max);
        notifyAll();
    }

    /**
     * Waits (at most {@code musicgen.evaluation.sync-timeout}) until every record the broker holds on these topics has
     * been applied here. Returns false when that could not be established in time (broker away, replica lagging):
     * the caller goes on with what it has.
     */
    public boolean awaitCaughtUp(List<String> topics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> ends;
        try {
            ends = endOffsets(topics);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("could not read the end offsets of %s: %s", topics, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        synchronized (this) {
            while (!caughtUp(ends)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.debugf("not caught up with %s within %s", topics, timeout);
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private boolean caughtUp(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (end.getValue() > 0 && applied.getOrDefault(end.getKey(), -1L) < end.getValue() - 1) {
                return false;
            }
        }
        return true;
    }

    private Map<TopicPartition, Long> endOffsets(List<String> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicPartition partition : partitionsOf(topics)) {
            request.put(partition, OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** Partitions of the topics that exist (a topic nobody wrote to yet has nothing to wait for). */
    private List<TopicPartition> partitionsOf(List<String> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<String> unknown;
        synchronized (this) {
            unknown = topics.stream().filter(t -> !partitions.containsKey(t)).toList();
        }
        if (!unknown.isEmpty()) {
            Map<String, TopicDescription> found = new HashMap<>();
            for (String topic : unknown) {
                try {
                    found.putAll(admin.describeTopics(List.of(topic)).allTopicNames()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                }
            }
            synchronized (this) {
                // cached once known: partitions are only ever added to a topic by hand, with a rollout
                found.forEach((topic, description) -> partitions.put(topic, description.partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList()));
            }
        }
        synchronized (this) {
            return topics.stream().flatMap(t -> partitions.getOrDefault(t, List.of()).stream()).toList();
        }
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
