package org.musicgen.platform.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Connection to the S3-compatible object store (MinIO in Kubernetes, the local stack's server otherwise). */
@ConfigMapping(prefix = "musicgen.storage")
public interface StorageConfig {

    /** Endpoint URL, e.g. {@code http://127.0.0.1:9000}. */
    @WithDefault("http://127.0.0.1:9000")
    String endpoint();

    /** Access key; in Kubernetes it comes from a Secret. */
    String accessKey();

    /** Secret key; in Kubernetes it comes from a Secret. Never logged. */
    String secretKey();

    @WithDefault("us-east-1")
    String region();
}
