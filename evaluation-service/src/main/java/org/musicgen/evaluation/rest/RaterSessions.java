package org.musicgen.evaluation.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.platform.rest.ProblemException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Anonymous raters. A rater is a random 256-bit token in an HttpOnly, SameSite=Strict cookie. What the service
 * stores and publishes is a pseudonym derived from it (the token cannot be recovered from it, so exports never
 * expose a cookie). The CSRF token is a second one-way hash of the same secret: only a page the service rendered
 * for this rater knows it, and it must come back in the {@value #CSRF_HEADER} header of every state-changing request.
 */
@ApplicationScoped
public class RaterSessions {

    public static final String COOKIE = "mg_rater";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecureRandom random = new SecureRandom();
    private final EvaluationConfig config;

    public RaterSessions(EvaluationConfig config) {
        this.config = config;
    }

    public Optional<String> valid(String cookieValue) {
        return cookieValue != null && TOKEN.matcher(cookieValue).matches() ? Optional.of(cookieValue) : Optional.empty();
    }

    public String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public NewCookie cookie(String token) {
        return new NewCookie.Builder(COOKIE)
                .value(token)
                .path("/")
                .httpOnly(true)
                .secure(config.secureCookie())
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge((int) Math.min(Integer.MAX_VALUE, config.raterCookieMaxAge().toSeconds()))
                .build();
    }

    /** The pseudonymous rater id of a token (32 hex characters). */
    public static String raterId(String token) {
        return HexFormat.of().formatHex(sha256("rater:" + token), 0, 16);
    }

    public static String csrfToken(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("csrf:" + token));
    }

    /** The rater of a request, or 403 when it carries no rater cookie. */
    public String requireRater(String cookieValue) {
        return raterId(valid(cookieValue).orElseThrow(() -> new ProblemException(403, "Forbidden",
                "No listening-test session: open the listening form first (it sets the anonymous rater cookie).")));
    }

    /** 403 unless the request carries this rater's CSRF token. */
    public void requireCsrf(String cookieValue, String csrfHeader) {
        String token = valid(cookieValue).orElseThrow(() -> new ProblemException(403, "Forbidden",
                "No listening-test session: open the listening form first (it sets the anonymous rater cookie)."));
        if (csrfHeader == null || !MessageDigest.isEqual(csrfToken(token).getBytes(StandardCharsets.US_ASCII),
                csrfHeader.getBytes(StandardCharsets.US_ASCII))) {
            throw new ProblemException(403, "Forbidden", "Missing or wrong " + CSRF_HEADER
                    + " header: submit ratings from the listening form (reload it if your cookies were cleared).");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
