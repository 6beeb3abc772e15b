package org.musicgen.ingest.upload;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.musicgen.ingest.corpus.IngestConfig;
import org.musicgen.platform.rest.ProblemException;

/**
 * Bounds the bytes of uploads held in memory at once across all requests, so that many concurrent uploads queue
 * for a moment or get 503, never an OutOfMemoryError. Each request holds a permit for its size from before it
 * reads its parts until its submission is stored.
 */
@ApplicationScoped
public class UploadGate {

    private static final long KIB = 1024;
    private static final int WAIT_SECONDS = 10;

    private final Semaphore kibibytes;
    private final long capacity;

    public UploadGate(IngestConfig config) {
        this.capacity = config.maxInflightUploadSize().asLongValue();
        long largest = config.maxUploadSize().asLongValue();
        if (capacity < largest) {
            throw new IllegalStateException("musicgen.ingest.max-inflight-upload-size (" + capacity + " bytes) must "
                    + "be at least musicgen.ingest.max-upload-size (" + largest + " bytes)");
        }
        this.kibibytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, capacity / KIB), true);
    }

    /** A held share of the capacity; closing it gives the share back. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds {@code bytes} of the capacity, waiting a few seconds for other uploads to finish.
     *
     * @throws ProblemException 503 with Retry-After when the service is still busy with other uploads
     */
    public Permit admit(long bytes) {
        int units = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (bytes + KIB - 1) / KIB));
        boolean admitted;
        try {
            admitted = kibibytes.tryAcquire(units, WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            throw new ProblemException(503, "Service Unavailable", "the service is busy storing other uploads ("
                    + capacity + " bytes at once); send this upload again in a few seconds",
                    Map.of("Retry-After", Integer.toString(WAIT_SECONDS)));
        }
        return () -> kibibytes.release(units);
    }
}
