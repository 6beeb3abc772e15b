package org.musicgen.evaluation.trials;

import org.junit.jupiter.api.Test;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.samples.ModelKind;
import org.musicgen.evaluation.samples.Sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrialSchedulerTest {

    @Test
    void modelsArePlannedEquallyOftenAcrossRatersAndPairsSitInBothPositions() {
        List<Sample> pool = new ArrayList<>();
        pool.addAll(samples(ModelKind.LSTM, 7));
        pool.addAll(samples(ModelKind.GAN, 5));
        pool.addAll(samples(ModelKind.CORPUS, 4));
        TrialScheduler scheduler = new TrialScheduler();
        Map<ModelKind, Integer> firstSeen = new HashMap<>();

        for (int rater = 0; rater < 40; rater++) {
            List<PlannedTrial> series = scheduler.plan(pool, Set.of(), Set.of(), 8, 0.25, rater * 7919L);
            assertEquals(8, series.size());
            assertEquals(2, series.stream().filter(PlannedTrial::isPair).count());

            Set<String> singles = new HashSet<>();
            for (PlannedTrial trial : series) {
                if (trial.isPair()) {
                    assertNotEquals(trial.samples().get(0).kind(), trial.samples().get(1).kind(),
                            "a pair compares two different sources");
                } else {
                    assertTrue(singles.add(trial.samples().get(0).sampleId()), "no sample twice in a series");
                }
            }
            firstSeen.merge(series.get(0).samples().get(0).kind(), 1, Integer::sum);

            // after every rater: the three sources were heard alone equally often (within one)
            long[] counts = {scheduler.singleExposures(ModelKind.LSTM), scheduler.singleExposures(ModelKind.GAN),
                    scheduler.singleExposures(ModelKind.CORPUS)};
            assertTrue(max(counts) - min(counts) <= 1, "single trials per model: " + List.of(counts[0], counts[1],
                    counts[2]));
            long[] pairs = {scheduler.pairExposures(PairType.LSTM_GAN), scheduler.pairExposures(PairType.LSTM_CORPUS),
                    scheduler.pairExposures(PairType.GAN_CORPUS)};
            assertTrue(max(pairs) - min(pairs) <= 1, "paired trials per pairing");
            for (PairType type : PairType.values()) {
                long left = scheduler.leftPlacements(type, type.first());
                long right = scheduler.leftPlacements(type, type.second());
                assertTrue(Math.abs(left - right) <= 1, type + ": each side on the left equally often");
            }
        }
        // 40 raters x 6 single trials = 240 = 80 per model; 40 x 2 pairs = 80 over 3 pairings
        assertEquals(80, scheduler.singleExposures(ModelKind.GAN));
        // samples within a model are used evenly too: 80 LSTM trials over 7 samples -> 11 or 12 each
        for (Sample sample : pool) {
            if (sample.kind() == ModelKind.LSTM) {
                long used = scheduler.sampleSingles(sample.sampleId());
                assertTrue(used == 11 || used == 12, "LSTM sample used " + used + " times");
            }
        }
        // the order is shuffled: the first trial is not always of the same source
        assertTrue(firstSeen.size() > 1, "first trials: " + firstSeen);
    }

    @Test
    void aRaterNeverGetsWhatTheyAlreadyRatedAndTheSeedFixesTheSeries() {
        List<Sample> pool = new ArrayList<>();
        pool.addAll(samples(ModelKind.LSTM, 2));
        pool.addAll(samples(ModelKind.GAN, 2));
        pool.addAll(samples(ModelKind.CORPUS, 2));
        Set<String> rated = Set.of(pool.get(0).sampleId(), pool.get(2).sampleId());
        String pair = TrialScheduler.pairKey(pool.get(1).sampleId(), pool.get(3).sampleId());

        List<PlannedTrial> series = new TrialScheduler().plan(pool, rated, Set.of(pair), 12, 0.25, 42);
        for (PlannedTrial trial : series) {
            if (trial.isPair()) {
                assertNotEquals(pair, TrialScheduler.pairKey(trial.samples().get(0).sampleId(),
                        trial.samples().get(1).sampleId()));
            } else {
                assertTrue(!rated.contains(trial.samples().get(0).sampleId()));
            }
        }
        // 4 samples left to rate alone, so only 4 single trials; 3 pairs (12 x 0.25)
        assertEquals(4, series.stream().filter(t -> !t.isPair()).count());
        assertEquals(3, series.stream().filter(PlannedTrial::isPair).count());

        List<PlannedTrial> again = new TrialScheduler().plan(pool, rated, Set.of(pair), 12, 0.25, 42);
        assertEquals(ids(series), ids(again), "same seed, same counts: same series");
    }

    @Test
    void storedRatingsRebuildTheCounts() {
        List<Sample> lstm = samples(ModelKind.LSTM, 1);
        List<Sample> gan = samples(ModelKind.GAN, 1);
        TrialScheduler scheduler = new TrialScheduler();
        scheduler.recordRating(new Rating("r1", "a", lstm.get(0).sampleId(), "lstm", Map.of("pleasing", 3), null,
                null, null, Instant.now(), null, null, false, null, null));
        scheduler.recordRating(new Rating("r2", "a", gan.get(0).sampleId(), "gan", Map.of(),
                lstm.get(0).sampleId(), "lstm", gan.get(0).sampleId(), Instant.now(), null, null, false, null, null));
        assertEquals(1, scheduler.singleExposures(ModelKind.LSTM));
        assertEquals(0, scheduler.singleExposures(ModelKind.GAN));
        assertEquals(1, scheduler.pairExposures(PairType.LSTM_GAN));
        assertEquals(1, scheduler.leftPlacements(PairType.LSTM_GAN, ModelKind.GAN));

        // the next rater hears the GAN alone first, and the LSTM on the left of the next LSTM-GAN pair
        List<PlannedTrial> next = scheduler.plan(List.of(lstm.get(0), gan.get(0)), Set.of(), Set.of(), 2, 0.5, 1);
        PlannedTrial single = next.stream().filter(t -> !t.isPair()).findFirst().orElseThrow();
        assertEquals(ModelKind.GAN, single.samples().get(0).kind());
        PlannedTrial paired = next.stream().filter(PlannedTrial::isPair).findFirst().orElseThrow();
        assertEquals(ModelKind.LSTM, paired.samples().get(0).kind());
    }

    @Test
    void plansAndRatingsSeenInAnyOrderOnAnyReplicaGiveTheSameCounts() {
        List<Sample> pool = new ArrayList<>();
        pool.addAll(samples(ModelKind.LSTM, 3));
        pool.addAll(samples(ModelKind.GAN, 3));
        pool.addAll(samples(ModelKind.CORPUS, 3));
        TrialScheduler planning = new TrialScheduler();
        List<PlannedTrial> series = planning.plan("rater-a", pool, Set.of(), Set.of(), 4, 0.25, 7);
        PlannedTrial single = series.stream().filter(t -> !t.isPair()).findFirst().orElseThrow();
        PlannedTrial pair = series.stream().filter(PlannedTrial::isPair).findFirst().orElseThrow();
        Sample rated = single.samples().get(0);
        Rating ratingOfPlanned = new Rating("r1", "rater-a", rated.sampleId(), rated.model(), Map.of("pleasing", 3),
                null, null, null, Instant.now(), null, null, false, null, null);
        Sample other = pool.stream().filter(s -> s.kind() == rated.kind() && !s.equals(rated)).findFirst()
                .orElseThrow();
        Rating unplanned = new Rating("r2", "rater-b", other.sampleId(), other.model(), Map.of("pleasing", 3), null,
                null, null, Instant.now(), null, null, false, null, null);

        // the planning replica: its plan, then the ratings (one of a planned trial: no second count)
        planning.recordRating(ratingOfPlanned);
        planning.recordRating(unplanned);
        planning.recordPlanned("rater-a", series); // its own plan coming back from the topic
        // another replica: the ratings first, then the plan
        TrialScheduler replica = new TrialScheduler();
        replica.recordRating(unplanned);
        replica.recordRating(ratingOfPlanned);
        replica.recordPlanned("rater-a", series);

        for (ModelKind kind : ModelKind.values()) {
            assertEquals(planning.singleExposures(kind), replica.singleExposures(kind), kind.toString());
        }
        assertEquals(4, planning.singleExposures(ModelKind.LSTM) + planning.singleExposures(ModelKind.GAN)
                + planning.singleExposures(ModelKind.CORPUS), "3 planned singles (one rated) and 1 unplanned rating");
        for (PairType type : PairType.values()) {
            assertEquals(planning.pairExposures(type), replica.pairExposures(type));
            assertEquals(planning.leftPlacements(type, type.first()), replica.leftPlacements(type, type.first()));
        }
        assertEquals(1, planning.sampleSingles(rated.sampleId()));
        assertEquals(1, replica.pairExposures(PairType.of(pair.samples().get(0).kind(),
                pair.samples().get(1).kind()).orElseThrow()), "the planned pair, counted once");
    }

    private static List<String> ids(List<PlannedTrial> series) {
        return series.stream().map(t -> t.samples().stream().map(Sample::sampleId).toList().toString()).toList();
    }

    static List<Sample> samples(ModelKind kind, int count) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            samples.add(new Sample(id, "run", "corpus", kind.wireName(), "samples", id + "/sample.mid",
                    id + "/sample.wav", id + "/pianoroll.png", id + "/sample.json", "performance", 100, 30, 10, Map.of(),
                    Instant.now(), Instant.now(), null, null));
        }
        return samples;
    }

    private static long max(long[] values) {
        long m = Long.MIN_VALUE;
        for (long v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static long min(long[] values) {
        long m = Long.MAX_VALUE;
        for (long v : values) {
            m = Math.min(m, v);
        }
        return m;
    }
}
