package org.musicgen.testing;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import org.musicgen.localstack.LocalStack;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Direct access to the local stack's object store, for tests to plant and inspect objects. */
public final class TestObjects {

    private final MinioClient s3;

    private TestObjects(MinioClient s3) {
        this.s3 = s3;
    }

    public static TestObjects of(LocalStack stack) {
        return new TestObjects(MinioClient.builder().endpoint(stack.s3Endpoint())
                .credentials(stack.accessKey(), stack.secretKey()).build());
    }

    public void put(String bucket, String key, byte[] content) {
        try {
            if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            s3.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(content), content.length, -1).build());
        } catch (Exception e) {
            throw new IllegalStateException("could not put " + bucket + "/" + key, e);
        }
    }

    public byte[] get(String bucket, String key) {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException("could not get " + bucket + "/" + key, e);
        }
    }

    /** Keys under a prefix, recursively; empty when the bucket does not exist. */
    public List<String> list(String bucket, String prefix) {
        try {
            if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                return List.of();
            }
            List<String> keys = new ArrayList<>();
            for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                keys.add(item.get().objectName());
            }
            return keys;
        } catch (Exception e) {
            throw new IllegalStateException("could not list " + bucket + "/" + prefix, e);
        }
    }
}
