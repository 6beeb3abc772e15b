package org.musicgen.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rater load test's verdict on an export: what it counts as lost, duplicated and unexpected. */
class RatingLedgerTest {

    private final RatingLedger ledger = new RatingLedger();

    RatingLedgerTest() {
        ledger.accepted("r1", new RatingLedger.Answer("0#1", "s1", null));
        ledger.accepted("r2", new RatingLedger.Answer("0#1", "s2", "s3"));
        // the first submission got no answer, the repetition a 409: stored under an id the rater never saw
        ledger.storedBefore(new RatingLedger.Answer("0#1", "s4", null));
    }

    @Test
    void anExportWithEveryToldRatingOnceIsClean() {
        RatingLedger.Check check = ledger.check(export(row("r1", "A", "single", "s1", null),
                row("r2", "A", "pair", "s2", "s3"), row("r9", "A", "single", "s4", null)));
        assertTrue(check.clean(), check.toString());
        assertEquals(3, check.rows());
        assertEquals(1, check.confirmed());
    }

    @Test
    void aRatingAnswered201ThatIsMissingIsLost() {
        RatingLedger.Check check = ledger.check(export(row("r1", "A", "single", "s1", null),
                row("r9", "A", "single", "s4", null)));
        assertEquals(1, check.lost());
        assertEquals(0, check.unexpected());
        assertFalse(check.clean());
    }

    @Test
    void aConfirmedAnswerThatIsMissingIsLostToo() {
        RatingLedger.Check check = ledger.check(export(row("r1", "A", "single", "s1", null),
                row("r2", "A", "pair", "s3", "s2")));
        assertEquals(1, check.lost());
        assertEquals(0, check.confirmed());
    }

    @Test
    void aRowTwiceOrTwoRecordsOfOneTrialAreDuplicates() {
        RatingLedger.Check twice = ledger.check(export(row("r1", "A", "single", "s1", null),
                row("r1", "A", "single", "s1", null), row("r2", "A", "pair", "s2", "s3"),
                row("r9", "A", "single", "s4", null)));
        assertEquals(1, twice.duplicated());
        assertEquals(0, twice.lost());

        RatingLedger.Check sameTrial = ledger.check(export(row("r1", "A", "single", "s1", null),
                row("r1b", "A", "single", "s1", null), row("r2", "A", "pair", "s2", "s3"),
                row("r9", "A", "single", "s4", null)));
        assertEquals(1, sameTrial.duplicated());
        assertEquals(1, sameTrial.unexpected());
    }

    @Test
    void aRatingNoRaterWasToldOfIsUnexpected() {
        RatingLedger.Check check = ledger.check(export(row("r1", "A", "single", "s1", null),
                row("r2", "A", "pair", "s2", "s3"), row("r9", "A", "single", "s4", null),
                row("r7", "B", "single", "s5", null)));
        assertEquals(1, check.unexpected());
        assertEquals(0, check.lost());
        assertEquals(0, check.duplicated());
    }

    @Test
    void aSecond201ForOneRatingIsADuplicate() {
        ledger.accepted("r1", new RatingLedger.Answer("0#1", "s1", null));
        RatingLedger.Check check = ledger.check(export(row("r1", "A", "single", "s1", null),
                row("r2", "A", "pair", "s2", "s3"), row("r9", "A", "single", "s4", null)));
        assertEquals(1, check.duplicated());
    }

    private static ArrayNode export(ObjectNode... rows) {
        ArrayNode array = Http.JSON.createArrayNode();
        for (ObjectNode row : rows) {
            array.add(row);
        }
        return array;
    }

    private static ObjectNode row(String ratingId, String raterId, String type, String sampleId, String pairedWith) {
        ObjectNode row = Http.JSON.createObjectNode();
        row.put("ratingId", ratingId);
        row.put("raterId", raterId);
        row.put("trialType", type);
        row.put("catchTrial", false);
        row.put("sampleId", sampleId);
        row.put("pairedWith", pairedWith);
        return row;
    }
}
