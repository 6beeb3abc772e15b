package org.musicgen.ingest.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.musicgen.ingest.corpus.IngestConfig;
import org.musicgen.platform.rest.Problem;

/**
 * Refuses an upload whose declared length exceeds the limit before its body is read, answering 413 as
 * problem+json (Quarkus' own body limit, set to the same size, still guards chunked uploads).
 */
@ApplicationScoped
public class UploadSizeLimit {

    private final long maxBytes;
    private final byte[] body;

    public UploadSizeLimit(IngestConfig config, ObjectMapper json) throws JsonProcessingException {
        this.maxBytes = config.maxUploadSize().asLongValue();
        this.body = json.writeValueAsBytes(Problem.of(413, "Content Too Large",
                "the upload is larger than the limit of " + maxBytes + " bytes; split the corpus into smaller uploads"));
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(-100).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && parse(length) > maxBytes) {
                ctx.response().setStatusCode(413)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(io.vertx.core.buffer.Buffer.buffer(body));
                return;
            }
            ctx.next();
        });
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
