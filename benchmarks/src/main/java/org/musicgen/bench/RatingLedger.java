package org.musicgen.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the simulated raters were told about their answers, to hold the export against: every rating answered 201
 * (by its rating id), and every answer whose submission got no answer and whose repetition was refused with 409
 * (the first attempt was stored, so it must be in the export too, under an id the rater never saw). Thread-safe.
 */
final class RatingLedger {

    /** A trial answered: the session (rater slot and session number) and the pieces, left first. */
    record Answer(String session, String sampleId, String pairedWith) {

        boolean sameTrial(JsonNode row) {
            Set<String> pieces = new HashSet<>();
            pieces.add(row.path("sampleId").asText(null));
            pieces.add(row.path("pairedWith").isNull() ? null : row.path("pairedWith").asText(null));
            Set<String> mine = new HashSet<>();
            mine.add(sampleId);
            mine.add(pairedWith);
            return pieces.equals(mine);
        }
    }

    /**
     * The export held against the ledger.
     *
     * @param rows        rows in the export
     * @param lost        ratings answered 201 (or confirmed by a 409) that are not in it
     * @param duplicated  rows beyond the first of one rating id, and further rating ids of one rater's one trial
     * @param unexpected  rating ids in it that no rater was told about
     * @param confirmed   answers confirmed by a 409 that were found
     * @param examples    a few of the rating ids lost or unexpected, to look them up in the logs
     */
    record Check(int rows, int lost, int duplicated, int unexpected, int confirmed, List<String> examples) {

        boolean clean() {
            return lost == 0 && duplicated == 0 && unexpected == 0;
        }
    }

    private final Map<String, Answer> accepted = new ConcurrentHashMap<>();
    private final List<Answer> storedBefore = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger repeated201 = new AtomicInteger();

    /** A 201 with this rating id. A second 201 for one id (the same trial accepted twice) is counted. */
    void accepted(String ratingId, Answer answer) {
        if (accepted.putIfAbsent(ratingId, answer) != null) {
            repeated201.incrementAndGet();
        }
    }

    /** A 409 to a repeated submission whose first attempt got no answer: that attempt was stored. */
    void storedBefore(Answer answer) {
        storedBefore.add(answer);
    }

    int accepted() {
        return accepted.size();
    }

    int storedBefore() {
        return storedBefore.size();
    }

    /** Times one rating id was answered 201 more than once (a trial accepted twice). */
    int repeated201() {
        return repeated201.get();
    }

    /** Holds an export ({@code GET /api/ratings/export.json}: an array of rows) against what the raters were told. */
    Check check(JsonNode export) {
        List<JsonNode> rows = new ArrayList<>();
        export.forEach(rows::add);
        Map<String, Integer> copies = new HashMap<>();
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            String id = row.path("ratingId").asText();
            copies.merge(id, 1, Integer::sum);
            byId.putIfAbsent(id, row);
        }
        int duplicated = copies.values().stream().mapToInt(c -> c - 1).sum() + repeated201.get();
        // one record per rater and trial: further ids of the same rater, trial type and pieces are duplicates too
        Map<String, Integer> idsPerTrial = new HashMap<>();
        for (JsonNode row : byId.values()) {
            String pieces = Objects.toString(row.path("sampleId").asText(null)) + "+"
                    + (row.path("pairedWith").isNull() ? "" : row.path("pairedWith").asText(""));
            String key = row.path("raterId").asText() + "|" + row.path("trialType").asText() + "|"
                    + row.path("catchTrial").asBoolean() + "|" + pieces;
            idsPerTrial.merge(key, 1, Integer::sum);
        }
        duplicated += idsPerTrial.values().stream().mapToInt(c -> c - 1).sum();

        List<String> examples = new ArrayList<>();
        int lost = 0;
        Map<String, String> raterIds = new HashMap<>();
        for (Map.Entry<String, Answer> entry : accepted.entrySet()) {
            JsonNode row = byId.get(entry.getKey());
            if (row == null) {
                lost++;
                example(examples, "lost " + entry.getKey());
            } else {
                raterIds.put(entry.getValue().session(), row.path("raterId").asText());
            }
        }
        // an answer confirmed by a 409 is found by its rater's pseudonym (learnt from their 201s) and its pieces
        Set<String> matched = new HashSet<>();
        int confirmed = 0;
        synchronized (storedBefore) {
            for (Answer answer : storedBefore) {
                String raterId = raterIds.get(answer.session());
                JsonNode row = raterId == null ? null : byId.values().stream()
                        .filter(r -> r.path("raterId").asText().equals(raterId) && answer.sameTrial(r)
                                && !accepted.containsKey(r.path("ratingId").asText())
                                && !matched.contains(r.path("ratingId").asText()))
                        .findFirst().orElse(null);
                if (row == null) {
                    lost++;
                    example(examples, "lost (confirmed by 409) " + answer);
                } else {
                    confirmed++;
                    matched.add(row.path("ratingId").asText());
                }
            }
        }
        int unexpected = 0;
        for (String id : byId.keySet()) {
            if (!accepted.containsKey(id) && !matched.contains(id)) {
                unexpected++;
                example(examples, "unexpected " + id);
            }
        }
        return new Check(rows.size(), lost, duplicated, unexpected, confirmed, List.copyOf(examples));
    }

    private static void example(List<String> examples, String what) {
        if (examples.size() < 5) {
            examples.add(what);
        }
    }
}
