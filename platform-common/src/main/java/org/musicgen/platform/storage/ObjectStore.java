package org.musicgen.platform.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Small, blocking facade over the MinIO client: the only place services talk to the object store. */
@ApplicationScoped
public class ObjectStore {

    private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchObject", "NoSuchBucket");

    private final MinioClient client;
    private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();

    public ObjectStore(StorageConfig config) {
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
    }

    /** Creates the bucket unless it exists; remembered so the check costs one round trip per bucket. */
    public void ensureBucket(String bucket) {
        if (knownBuckets.contains(bucket)) {
            return;
        }
        call("create bucket " + bucket, () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).region(null).build());
                } catch (ErrorResponseException e) {
                    String code = e.errorResponse().code();
                    if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                        throw e;
                    }
                }
            }
            return null;
        });
        knownBuckets.add(bucket);
    }

    public void put(String bucket, String key, byte[] content, String contentType) {
        ensureBucket(bucket);
        call("put " + bucket + "/" + key, () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(content), content.length, -1)
                .contentType(contentType)
                .build()));
    }

    public Optional<byte[]> get(String bucket, String key) {
        return read("get " + bucket + "/" + key, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return Optional.of(in.readAllBytes());
            } catch (ErrorResponseException e) {
                if (MISSING.contains(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    public boolean exists(String bucket, String key) {
        return read("stat " + bucket + "/" + key, () -> {
            try {
                client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
                return true;
            } catch (ErrorResponseException e) {
                if (MISSING.contains(e.errorResponse().code())) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Keys under a prefix, recursively, in the store's (lexicographic) order. */
    public List<String> list(String bucket, String prefix) {
        return read("list " + bucket + "/" + prefix, () -> {
            List<String> keys = new ArrayList<>();
            try {
                for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                        .bucket(bucket).prefix(prefix).recursive(true).build())) {
                    keys.add(result.get().objectName());
                }
            } catch (ErrorResponseException e) {
                if (!"NoSuchBucket".equals(e.errorResponse().code())) {
                    throw e;
                }
            }
            return keys;
        });
    }

    public void delete(String bucket, String key) {
        call("delete " + bucket + "/" + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    /** True when the store answers a cheap request; used by readiness checks. */
    public boolean isReachable() {
        try {
            client.bucketExists(BucketExistsArgs.builder().bucket(Buckets.CORPORA).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * A read, tried once more after a transport failure: a pooled connection left unusable by an earlier exchange
     * (an answer longer than it said) fails one request and is dropped, so the second try runs on a fresh one.
     */
    private <T> T read(String what, StoreCall<T> call) {
        try {
            return call(what, call);
        } catch (ObjectStoreUnavailableException e) {
            if (!(e.getCause() instanceof IOException)) {
                throw e;
            }
            return call(what, call);
        }
    }

    private <T> T call(String what, StoreCall<T> call) {
        try {
            return call.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ObjectStoreUnavailableException("object store: " + what + " failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        T run() throws Exception;
    }
}
