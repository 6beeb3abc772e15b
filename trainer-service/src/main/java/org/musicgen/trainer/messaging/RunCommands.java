package org.musicgen.trainer.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.musicgen.platform.events.Topics;
import org.musicgen.platform.messaging.KeyedSend;
import org.musicgen.trainer.training.TrainerConfig;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes {@code training.runs}: each run once as {@code run.queued}, dealt round-robin over the topic's partitions
 * so that runs spread evenly over the replicas that own them; a cancellation goes to every partition, because only
 * the replica that trains the run knows which partition it came from. Plain Kafka clients rather than a channel: the
 * partition is chosen here, and the consumer side ({@code TrainingQueue}) needs the rebalance callbacks.
 */
@ApplicationScoped
public class RunCommands {

    public static final String TOPIC = "training.runs";
    private static final Logger LOG = Logger.getLogger(RunCommands.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final TrainerConfig config;
    private final ObjectMapper json;
    private final KafkaProducer<String, String> producer;
    private final Clock clock = Clock.systemUTC();
    // A random start, so that replicas that each queue one run do not all pick partition 0.
    private final AtomicInteger next = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));

    public RunCommands(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, TrainerConfig config,
                       ObjectMapper json) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.json = json;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, ACK_TIMEOUT.toMillis(),
                ProducerConfig.CLIENT_ID_CONFIG, "trainer-runs-producer"),
                new StringSerializer(), new StringSerializer());
    }

    /** Hands a run to the fleet; returns once the broker has it. */
    public void queued(String runId) throws KeyedSend.EventNotSentException {
        int partitions = partitions(runId);
        send(new ProducerRecord<>(TOPIC, Math.floorMod(next.getAndIncrement(), partitions), runId,
                toJson(RunCommand.queued(runId, clock.instant()))));
    }

    /** Tells whichever replica trains the run to stop it. */
    public void cancelled(String runId) throws KeyedSend.EventNotSentException {
        String value = toJson(RunCommand.cancelled(runId, clock.instant()));
        for (int p = 0, n = partitions(runId); p < n; p++) {
            send(new ProducerRecord<>(TOPIC, p, runId, value));
        }
    }

    /** An unreadable record goes to {@code training.runs.dlq} with the error, never dropped silently. */
    public void deadLetter(String key, String value, String error) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.deadLetter(TOPIC), key, value);
        record.headers().add("dead-letter-reason", error.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                LOG.errorf("unreadable %s record %s not sent to %s either: %s", TOPIC, key, Topics.deadLetter(TOPIC),
                        e.getMessage());
            }
        });
    }

    public Optional<RunCommand> parse(String value) {
        try {
            RunCommand command = json.readValue(value, RunCommand.class);
            return command.runId() == null || command.type() == null ? Optional.empty() : Optional.of(command);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates the topic with {@code musicgen.trainer.run-partitions} partitions (and its dead-letter topic) where
     * the broker does not have it yet (the local stack); in Kubernetes both are declared as KafkaTopics.
     */
    public void ensureTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (NewTopic topic : List.of(new NewTopic(TOPIC, Optional.of(config.runPartitions()), Optional.empty()),
                    new NewTopic(Topics.deadLetter(TOPIC), Optional.of(1), Optional.empty()))) {
                try {
                    admin.createTopics(List.of(topic)).all().get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.infof("created topic %s with %d partition(s)", topic.name(), topic.numPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        LOG.warnf("could not create topic %s: %s", topic.name(), e.getCause().getMessage());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | RuntimeException e) {
            LOG.warnf("could not check topic %s: %s", TOPIC, e.getMessage());
        }
    }

    private int partitions(String runId) throws KeyedSend.EventNotSentException {
        try {
            return producer.partitionsFor(TOPIC).size();
        } catch (RuntimeException e) {
            throw new KeyedSend.EventNotSentException("no partitions of " + TOPIC + " for run " + runId + ": " + e, e);
        }
    }

    private void send(ProducerRecord<String, String> record) throws KeyedSend.EventNotSentException {
        try {
            producer.send(record).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyedSend.EventNotSentException("interrupted while queueing run " + record.key(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new KeyedSend.EventNotSentException("the broker did not take run " + record.key() + ": " + e, e);
        }
    }

    private String toJson(RunCommand command) {
        try {
            return json.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + command, e);
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        producer.close(Duration.ofSeconds(5));
    }
}
