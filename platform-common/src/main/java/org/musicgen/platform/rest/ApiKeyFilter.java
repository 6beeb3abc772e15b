package org.musicgen.platform.rest;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * Write requests under {@code /api/} need the API key of {@code musicgen.api.key}, sent as {@code X-API-Key} or as
 * a bearer token. Without a configured key, writes are open (the local default) and a warning says so at start.
 * The key itself is never logged.
 */
@Singleton
public class ApiKeyFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    public static final String HEADER = "X-API-Key";
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final byte[] key;
    private final String applicationName;

    public ApiKeyFilter(@ConfigProperty(name = "musicgen.api.key") Optional<String> key,
                        @ConfigProperty(name = "quarkus.application.name", defaultValue = "service") String name) {
        this.key = key.filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.applicationName = name;
    }

    void onStart(@Observes StartupEvent event) {
        if (key == null) {
            LOG.warnf("%s: musicgen.api.key is not set, so its write endpoints are open to anyone who can reach "
                    + "them; set it (MUSICGEN_API_KEY) wherever the service is reachable by others", applicationName);
        } else {
            LOG.infof("%s: write endpoints require the API key", applicationName);
        }
    }

    @ServerRequestFilter
    public Optional<Response> requireKey(ContainerRequestContext request) {
        if (key == null || !WRITES.contains(request.getMethod())
                || !request.getUriInfo().getPath().startsWith("/api/")) {
            return Optional.empty();
        }
        String presented = request.getHeaderString(HEADER);
        String authorization = request.getHeaderString("Authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented != null && MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        String detail = presented == null
                ? "this endpoint needs the API key: send it in the " + HEADER + " header or as a bearer token"
                : "the API key is not valid";
        return Optional.of(ProblemMappers.respond(Problem.of(401, "Unauthorized", detail))
                .header("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"")
                .build());
    }
}
