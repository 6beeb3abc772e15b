package org.musicgen.evaluation;

import io.restassured.response.Response;
import org.musicgen.evaluation.rest.RaterSessions;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** An anonymous rater for API tests: the cookie the service set and the CSRF token it handed out. */
public record TestRater(String cookie, String csrf) {

    public static TestRater start() {
        Response session = given().when().get("/api/session");
        session.then().statusCode(200);
        return new TestRater(session.getCookie(RaterSessions.COOKIE), session.jsonPath().getString("csrfToken"));
    }

    /** The pseudonym the service stores for this rater. */
    public String raterId() {
        return RaterSessions.raterId(cookie);
    }

    public Response rate(String sampleId, int pleasing, int humanlike, int interesting) {
        return post(Map.of("sampleId", sampleId,
                "scores", Map.of("pleasing", pleasing, "humanlike", humanlike, "interesting", interesting)));
    }

    public Response prefer(String left, String right, String preferred) {
        return post(Map.of("sampleId", left, "pairedWith", right, "preferred", preferred));
    }

    /** The rater's current series ({@code GET /api/trials}). */
    public Response trials() {
        return given().cookie(RaterSessions.COOKIE, cookie).when().get("/api/trials");
    }

    /** Answers a single trial of the series (an ordinary one or a catch item: the page cannot tell). */
    public Response rateTrial(String trialId, String sampleId, int pleasing, int humanlike, int interesting) {
        return post(Map.of("trialId", trialId, "sampleId", sampleId,
                "scores", Map.of("pleasing", pleasing, "humanlike", humanlike, "interesting", interesting)));
    }

    /** A GET with the rater's cookie. */
    public Response get(String path) {
        return given().cookie(RaterSessions.COOKIE, cookie).when().get(path);
    }

    public Response post(Object body) {
        return given().cookie(RaterSessions.COOKIE, cookie).header(RaterSessions.CSRF_HEADER, csrf)
                .contentType("application/json").body(body)
                .when().post("/api/ratings");
    }
}
