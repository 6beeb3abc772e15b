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
import java.util.stream.Collectors;

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

    @Test
    void turingTrialsSetARealExcerptAgainstEachModelEquallyOftenOnEachSide() {
        List<Sample> pool = new ArrayList<>();
        pool.addAll(samples(ModelKind.LSTM, 7));
        pool.addAll(samples(ModelKind.GAN, 5));
        pool.addAll(samples(ModelKind.CORPUS, 4));
        TrialScheduler scheduler = new TrialScheduler();
        TrialScheduler.Shape shape = new TrialScheduler.Shape(12, 0.25, 0.25, 2);
        Set<Boolean> generatedFirstSeen = new HashSet<>();
        for (int rater = 0; rater < 40; rater++) {
            List<PlannedTrial> series = scheduler.plan("rater-" + rater, pool, TrialScheduler.Rated.of(List.of()),
                    shape, rater * 31L);
            assertEquals(12, series.size(), "no anchors in the pool: no catch trials");
            assertEquals(3, series.stream().filter(PlannedTrial::isTuring).count());
            assertEquals(3, series.stream().filter(PlannedTrial::isPair).count());
            assertEquals(6, series.stream().filter(t -> t.type() == TrialType.SINGLE).count());
            for (PlannedTrial trial : series.stream().filter(PlannedTrial::isTuring).toList()) {
                ModelKind left = trial.samples().get(0).kind();
                ModelKind right = trial.samples().get(1).kind();
                assertTrue((left == ModelKind.CORPUS) != (right == ModelKind.CORPUS)
                        && left != ModelKind.ANCHOR && right != ModelKind.ANCHOR, left + " vs " + right);
                generatedFirstSeen.add(left != ModelKind.CORPUS);
            }
            long lstm = scheduler.turingExposures(ModelKind.LSTM);
            long gan = scheduler.turingExposures(ModelKind.GAN);
            assertTrue(Math.abs(lstm - gan) <= 1, "after rater " + rater + ": LSTM " + lstm + ", GAN " + gan);
            for (ModelKind model : List.of(ModelKind.LSTM, ModelKind.GAN)) {
                long left = scheduler.turingGeneratedLeft(model);
                long right = scheduler.turingExposures(model) - left;
                assertTrue(Math.abs(left - right) <= 1, model + " clip on the left " + left + ", right " + right);
            }
        }
        assertEquals(60, scheduler.turingExposures(ModelKind.LSTM), "40 raters x 3 Turing trials, half each");
        assertEquals(Set.of(true, false), generatedFirstSeen);
        // a Turing answer counts as such, once, whether its plan or its rating comes first
        Sample real = pool.stream().filter(s -> s.kind() == ModelKind.CORPUS).findFirst().orElseThrow();
        Sample gan = pool.stream().filter(s -> s.kind() == ModelKind.GAN).findFirst().orElseThrow();
        TrialScheduler fresh = new TrialScheduler();
        Rating turing = new Rating("t", "r", gan.sampleId(), "gan", Map.of(), real.sampleId(), "corpus",
                real.sampleId(), Instant.now(), null, Rating.TURING, false, 1.0, 2);
        fresh.recordRating(turing);
        fresh.recordPlanned("r", List.of(new PlannedTrial("x", TrialType.TURING, false, List.of(gan, real))));
        assertEquals(1, fresh.turingExposures(ModelKind.GAN));
        assertEquals(1, fresh.turingGeneratedLeft(ModelKind.GAN));
        assertEquals(0, fresh.pairExposures(PairType.GAN_CORPUS), "a Turing trial is not a preference");
    }

    @Test
    void catchTrialsAreAHiddenReferenceAndItsAnchorPlacedApartAndSpreadOverTheReferences() {
        List<Sample> pool = new ArrayList<>();
        pool.addAll(samples(ModelKind.LSTM, 4));
        pool.addAll(samples(ModelKind.GAN, 4));
        List<Sample> real = samples(ModelKind.CORPUS, 5);
        pool.addAll(real);
        Map<String, String> anchorOf = new HashMap<>();
        for (Sample reference : real.subList(0, 3)) { // three excerpts have a low anchor, two do not
            Sample anchor = anchor(reference);
            pool.add(anchor);
            anchorOf.put(reference.sampleId(), anchor.sampleId());
        }
        TrialScheduler scheduler = new TrialScheduler();
        TrialScheduler.Shape shape = new TrialScheduler.Shape(12, 0.25, 0.25, 2);
        Set<Integer> firstPlaces = new HashSet<>();
        int gap = TrialScheduler.catchGap(16, 2);
        assertEquals(4, gap);
        for (int rater = 0; rater < 30; rater++) {
            List<PlannedTrial> series = scheduler.plan("rater-" + rater, pool, TrialScheduler.Rated.of(List.of()),
                    shape, 1000L + rater);
            assertEquals(16, series.size(), "12 trials and 2 catch trials of two items");
            Map<String, Integer> placeOf = new HashMap<>();
            for (int i = 0; i < series.size(); i++) {
                PlannedTrial trial = series.get(i);
                if (trial.catchTrial()) {
                    assertEquals(TrialType.SINGLE, trial.type());
                    placeOf.put(trial.first().sampleId(), i);
                } else {
                    assertTrue(trial.samples().stream().noneMatch(s -> s.kind() == ModelKind.ANCHOR),
                            "an anchor is never an ordinary trial");
                }
            }
            assertEquals(4, placeOf.size());
            for (Map.Entry<String, String> pair : anchorOf.entrySet()) {
                if (placeOf.containsKey(pair.getKey())) {
                    assertTrue(placeOf.containsKey(pair.getValue()), "the reference comes with its own anchor");
                    assertTrue(Math.abs(placeOf.get(pair.getKey()) - placeOf.get(pair.getValue())) >= gap,
                            "placed apart: " + placeOf);
                    assertTrue(series.stream().filter(t -> !t.catchTrial() && t.type() == TrialType.SINGLE)
                                    .noneMatch(t -> t.first().sampleId().equals(pair.getKey())),
                            "the hidden reference is not also an ordinary single trial of the series");
                }
            }
            firstPlaces.add(placeOf.values().stream().min(Integer::compare).orElseThrow());
            // the references are used evenly: within one across the three
            long[] uses = real.subList(0, 3).stream().mapToLong(s -> scheduler.catchUses(s.sampleId())).toArray();
            assertTrue(max(uses) - min(uses) <= 1, "catch uses per reference " + List.of(uses[0], uses[1], uses[2]));
        }
        assertTrue(firstPlaces.size() > 3, "the catch items' places vary: " + firstPlaces);

        // a rater who had a reference as a catch trial does not get it again; with none left, no catch trial
        List<Rating> answered = new ArrayList<>();
        for (Sample reference : real.subList(0, 3)) {
            answered.add(new Rating("c" + reference.sampleId(), "veteran", reference.sampleId(), "corpus",
                    Map.of("pleasing", 3, "humanlike", 3, "interesting", 3), null, null, null, Instant.now(), null,
                    Rating.SINGLE, true, null, null));
        }
        List<PlannedTrial> veteran = scheduler.plan("veteran", pool, TrialScheduler.Rated.of(answered.subList(0, 2)),
                shape, 5);
        assertEquals(Set.of(real.get(2).sampleId(), anchorOf.get(real.get(2).sampleId())), veteran.stream()
                .filter(PlannedTrial::catchTrial).map(t -> t.first().sampleId()).collect(Collectors.toSet()));
        assertEquals(12, scheduler.plan("veteran", pool, TrialScheduler.Rated.of(answered), shape, 6).size());
    }

    private static Sample anchor(Sample reference) {
        String id = UUID.randomUUID().toString();
        return new Sample(id, "anchors", "corpus", "anchor", "samples", id + "/sample.mid", id + "/sample.wav",
                id + "/pianoroll.png", id + "/sample.json", "performance", 100, 30, 10, Map.of(), Instant.now(),
                Instant.now(), null, reference.sampleId());
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
