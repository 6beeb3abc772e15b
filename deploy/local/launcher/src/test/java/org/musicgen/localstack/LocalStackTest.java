package org.musicgen.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real broker and real S3 server, started once for the class by the extension. */
@ExtendWith(LocalStackExtension.class)
class LocalStackTest {

    private final LocalStack stack;

    LocalStackTest(LocalStack stack) {
        this.stack = stack;
    }

    @Test
    void endpointsAreOnLoopbackAndDataDirIsLaidOut() {
        assertTrue(stack.kafkaBootstrapServers().startsWith("127.0.0.1:"), stack.kafkaBootstrapServers());
        assertTrue(stack.s3Endpoint().startsWith("http://127.0.0.1:"), stack.s3Endpoint());
        assertEquals("minioadmin", stack.accessKey());
        assertEquals("minioadmin", stack.secretKey());
        assertTrue(Files.exists(stack.dataDir().resolve("kafka/data/meta.properties")));
        assertTrue(Files.isDirectory(stack.dataDir().resolve("s3/data")));
        assertTrue(Files.exists(stack.dataDir().resolve("logs/kafka.log")));
        assertTrue(Files.exists(stack.dataDir().resolve("logs/s3.log")));
    }

    @Test
    void producesAndConsumesARecord() {
        String topic = "roundtrip-" + UUID.randomUUID();
        produce(topic, "k1", "hello");
        List<ConsumerRecord<String, String>> records = consumeAll(topic, 1);
        assertEquals(1, records.size());
        assertEquals("k1", records.get(0).key());
        assertEquals("hello", records.get(0).value());
    }

    @Test
    void storesAndListsObjects() throws Exception {
        MinioClient minio = minio();
        String bucket = "bucket-" + UUID.randomUUID().toString().substring(0, 8);
        minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        assertTrue(minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
        put(minio, bucket, "dir/a.txt", "alpha");
        put(minio, bucket, "dir/b.txt", "beta");
        assertEquals("alpha", get(minio, bucket, "dir/a.txt"));
        assertEquals(List.of("dir/a.txt", "dir/b.txt"), list(minio, bucket, "dir/"));
    }

    @Test
    void kafkaRestartKeepsMessages() {
        String topic = "restart-" + UUID.randomUUID();
        produce(topic, "before", "survives the restart");
        String bootstrap = stack.kafkaBootstrapServers();

        stack.stopKafka();
        assertFalse(stack.isKafkaRunning());
        stack.startKafka();

        assertEquals(bootstrap, stack.kafkaBootstrapServers());
        produce(topic, "after", "written after the restart");
        List<ConsumerRecord<String, String>> records = consumeAll(topic, 2);
        assertEquals(List.of("survives the restart", "written after the restart"),
                records.stream().map(ConsumerRecord::value).toList());
    }

    @Test
    void s3RestartKeepsObjects() throws Exception {
        MinioClient minio = minio();
        String bucket = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        put(minio, bucket, "kept.txt", "still here");

        stack.stopS3();
        assertFalse(stack.isS3Running());
        stack.startS3();

        MinioClient fresh = minio();
        assertEquals("still here", get(fresh, bucket, "kept.txt"));
        assertEquals(List.of("kept.txt"), list(fresh, bucket, ""));
    }

    // ------------------------------------------------------------------ helpers

    private void produce(String topic, String key, String value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("produce to " + topic + " failed", e);
        }
    }

    private List<ConsumerRecord<String, String>> consumeAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private MinioClient minio() {
        return MinioClient.builder()
                .endpoint(stack.s3Endpoint())
                .credentials(stack.accessKey(), stack.secretKey())
                .region("us-east-1")
                .build();
    }

    private static void put(MinioClient minio, String bucket, String name, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object(name)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                .contentType("text/plain")
                .userMetadata(Map.of("origin", "local-stack-test"))
                .build());
    }

    private static String get(MinioClient minio, String bucket, String name) throws Exception {
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(name).build())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> list(MinioClient minio, String bucket, String prefix) throws Exception {
        List<String> names = new ArrayList<>();
        for (Result<Item> r : minio.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                .recursive(true).build())) {
            names.add(r.get().objectName());
        }
        names.sort(String::compareTo);
        return names;
    }
}
