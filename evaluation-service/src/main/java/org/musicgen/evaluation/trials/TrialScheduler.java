package org.musicgen.evaluation.trials;

import org.musicgen.evaluation.StateLayout;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.samples.ModelKind;
import org.musicgen.evaluation.samples.Sample;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Balanced, randomised series of trials. Across all raters it keeps count of how often each model was planned in a
 * single trial, how often each pairing was planned and which model sat on the left, and how often each sample was
 * used. Each new single trial takes the least-heard model, then its least-heard sample; each new paired trial takes
 * the least-used pairing and puts on the left the model that was on the left less often. Ties are broken by a
 * random generator seeded per rater and series, and the series is shuffled with it. A rater never gets a sample
 * (or a pair) they already rated, nor the same one twice in a series.
 * <p>
 * When the rater is known, what is counted is each distinct assignment (rater and sample, or rater and pair: the
 * rating's storage key), whether it was seen as a plan or as a rating, here or on another replica. Counting a set
 * makes the counts independent of the order events arrive in, so every replica that saw the same plans and
 * ratings holds the same counts, and a rated trial that was planned counts once.
 */
public final class TrialScheduler {

    private final Map<ModelKind, Long> singleExposures = new EnumMap<>(ModelKind.class);
    private final Map<PairType, Long> pairExposures = new EnumMap<>(PairType.class);
    private final Map<PairType, Map<ModelKind, Long>> leftPlacements = new EnumMap<>(PairType.class);
    private final Map<String, Long> sampleSingles = new HashMap<>();
    private final Map<String, Long> samplePairs = new HashMap<>();
    private final Set<String> assignments = new HashSet<>();

    public TrialScheduler() {
        reset();
    }

    public synchronized void reset() {
        singleExposures.clear();
        pairExposures.clear();
        leftPlacements.clear();
        sampleSingles.clear();
        samplePairs.clear();
        assignments.clear();
        for (ModelKind kind : ModelKind.SOURCES) {
            singleExposures.put(kind, 0L);
        }
        for (PairType type : PairType.values()) {
            pairExposures.put(type, 0L);
            Map<ModelKind, Long> left = new EnumMap<>(ModelKind.class);
            left.put(type.first(), 0L);
            left.put(type.second(), 0L);
            leftPlacements.put(type, left);
        }
    }

    /** Counts a rating as heard, unless its assignment (planned or rated) was counted already. */
    public synchronized void recordRating(Rating rating) {
        ModelKind model = ModelKind.fromWire(rating.model()).orElse(null);
        ModelKind other = rating.isPair() ? ModelKind.fromWire(rating.pairedModel()).orElse(null) : null;
        if (model == null || (rating.isPair() && other == null)) {
            return;
        }
        if (!assignments.add(rating.storageKey())) {
            return;
        }
        count(model, rating.sampleId(), other, rating.pairedWith());
    }

    /** Counts trials planned for a rater (here or on another replica), each assignment once. */
    public synchronized void recordPlanned(String raterId, List<PlannedTrial> trials) {
        for (PlannedTrial trial : trials) {
            List<Sample> samples = trial.samples();
            if (assignments.add(assignmentKey(raterId, trial))) {
                if (trial.isPair()) {
                    count(samples.get(0).kind(), samples.get(0).sampleId(), samples.get(1).kind(),
                            samples.get(1).sampleId());
                } else {
                    count(samples.get(0).kind(), samples.get(0).sampleId(), null, null);
                }
            }
        }
    }

    /** The storage key a rating of this trial by this rater gets. */
    public static String assignmentKey(String raterId, PlannedTrial trial) {
        List<Sample> samples = trial.samples();
        return trial.isPair()
                ? StateLayout.pairRatingKey(raterId, samples.get(0).sampleId(), samples.get(1).sampleId())
                : StateLayout.singleRatingKey(raterId, samples.get(0).sampleId());
    }

    private void count(ModelKind model, String sampleId, ModelKind pairedModel, String pairedWith) {
        if (pairedModel == null) {
            singleExposures.merge(model, 1L, Long::sum);
            sampleSingles.merge(sampleId, 1L, Long::sum);
            return;
        }
        PairType type = PairType.of(model, pairedModel).orElse(null);
        if (type == null) {
            return;
        }
        pairExposures.merge(type, 1L, Long::sum);
        leftPlacements.get(type).merge(model, 1L, Long::sum);
        samplePairs.merge(sampleId, 1L, Long::sum);
        samplePairs.merge(pairedWith, 1L, Long::sum);
    }

    /** Plans a series without a known rater (every planned trial counts). */
    public List<PlannedTrial> plan(Collection<Sample> pool, Set<String> ratedSingles, Set<String> ratedPairs,
                                   int trials, double pairedShare, long seed) {
        return plan(null, pool, ratedSingles, ratedPairs, trials, pairedShare, seed);
    }

    /**
     * Plans a series for one rater and counts it as heard.
     *
     * @param raterId      the rater (assignments counted once), or null
     * @param pool         the samples of the listening test
     * @param ratedSingles samples the rater already rated alone
     * @param ratedPairs   pairs the rater already judged, as {@link #pairKey} values
     * @param seed         seed of this rater's series (ties and order)
     */
    public synchronized List<PlannedTrial> plan(String raterId, Collection<Sample> pool, Set<String> ratedSingles,
                                                Set<String> ratedPairs, int trials, double pairedShare, long seed) {
        Random random = new Random(seed);
        Map<ModelKind, List<Sample>> byModel = new EnumMap<>(ModelKind.class);
        for (ModelKind kind : ModelKind.SOURCES) {
            byModel.put(kind, new ArrayList<>());
        }
        // a stable order first, so that the seed alone decides the ties
        pool.stream().sorted(Comparator.comparing(Sample::sampleId))
                .forEach(sample -> byModel.get(sample.kind()).add(sample));

        List<PairType> pairTypes = new ArrayList<>();
        for (PairType type : PairType.values()) {
            if (!byModel.get(type.first()).isEmpty() && !byModel.get(type.second()).isEmpty()) {
                pairTypes.add(type);
            }
        }
        int pairs = pairTypes.isEmpty() ? 0 : (int) Math.round(trials * Math.max(0, Math.min(1, pairedShare)));
        int singles = trials - pairs;

        List<PlannedTrial> series = new ArrayList<>();
        Set<String> usedSingles = new HashSet<>(ratedSingles);
        for (int i = 0; i < singles; i++) {
            PlannedTrial trial = nextSingle(raterId, byModel, usedSingles, random);
            if (trial == null) {
                break;
            }
            series.add(trial);
        }
        Set<String> usedPairs = new HashSet<>(ratedPairs);
        for (int i = 0; i < pairs; i++) {
            PlannedTrial trial = nextPair(raterId, byModel, pairTypes, usedPairs, random);
            if (trial == null) {
                break;
            }
            series.add(trial);
        }
        Collections.shuffle(series, random);
        return series;
    }

    private PlannedTrial nextSingle(String raterId, Map<ModelKind, List<Sample>> byModel, Set<String> used,
                                    Random random) {
        List<ModelKind> models = new ArrayList<>();
        for (ModelKind kind : ModelKind.SOURCES) {
            if (byModel.get(kind).stream().anyMatch(s -> !used.contains(s.sampleId()))) {
                models.add(kind);
            }
        }
        if (models.isEmpty()) {
            return null;
        }
        ModelKind model = leastOf(models, singleExposures::get, random);
        List<Sample> candidates = byModel.get(model).stream().filter(s -> !used.contains(s.sampleId())).toList();
        Sample sample = leastOf(candidates, s -> sampleSingles.getOrDefault(s.sampleId(), 0L), random);
        used.add(sample.sampleId());
        PlannedTrial trial = new PlannedTrial(List.of(sample));
        if (raterId == null || assignments.add(assignmentKey(raterId, trial))) {
            count(model, sample.sampleId(), null, null);
        }
        return trial;
    }

    private PlannedTrial nextPair(String raterId, Map<ModelKind, List<Sample>> byModel, List<PairType> types,
                                  Set<String> used, Random random) {
        List<PairType> open = new ArrayList<>();
        for (PairType type : types) {
            if (hasOpenPair(byModel.get(type.first()), byModel.get(type.second()), used)) {
                open.add(type);
            }
        }
        if (open.isEmpty()) {
            return null;
        }
        PairType type = leastOf(open, pairExposures::get, random);
        Map<ModelKind, Long> left = leftPlacements.get(type);
        ModelKind leftModel = leastOf(List.of(type.first(), type.second()), left::get, random);
        ModelKind rightModel = leftModel == type.first() ? type.second() : type.first();

        List<Sample[]> combos = new ArrayList<>();
        for (Sample a : leastUsed(byModel.get(leftModel))) {
            for (Sample b : leastUsed(byModel.get(rightModel))) {
                if (!used.contains(pairKey(a.sampleId(), b.sampleId()))) {
                    combos.add(new Sample[]{a, b});
                }
            }
        }
        if (combos.isEmpty()) {
            // the least-used candidates are all taken by this rater: consider every combination
            for (Sample a : byModel.get(leftModel)) {
                for (Sample b : byModel.get(rightModel)) {
                    if (!used.contains(pairKey(a.sampleId(), b.sampleId()))) {
                        combos.add(new Sample[]{a, b});
                    }
                }
            }
        }
        Sample[] chosen = leastOf(combos, c -> samplePairs.getOrDefault(c[0].sampleId(), 0L)
                + samplePairs.getOrDefault(c[1].sampleId(), 0L), random);
        used.add(pairKey(chosen[0].sampleId(), chosen[1].sampleId()));
        PlannedTrial trial = new PlannedTrial(List.of(chosen[0], chosen[1]));
        if (raterId == null || assignments.add(assignmentKey(raterId, trial))) {
            count(leftModel, chosen[0].sampleId(), rightModel, chosen[1].sampleId());
        }
        return trial;
    }

    private static boolean hasOpenPair(List<Sample> as, List<Sample> bs, Set<String> used) {
        for (Sample a : as) {
            for (Sample b : bs) {
                if (!used.contains(pairKey(a.sampleId(), b.sampleId()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The 16 samples used least in pairs (all when fewer), to keep the combinations few. */
    private List<Sample> leastUsed(List<Sample> samples) {
        return samples.stream()
                .sorted(Comparator.comparingLong((Sample s) -> samplePairs.getOrDefault(s.sampleId(), 0L)))
                .limit(16)
                .toList();
    }

    /** The element with the smallest count; among equals, one chosen at random. */
    private static <T> T leastOf(List<T> items, ToLongFunction<T> count, Random random) {
        long min = Long.MAX_VALUE;
        List<T> best = new ArrayList<>();
        for (T item : items) {
            long c = count.applyAsLong(item);
            if (c < min) {
                min = c;
                best.clear();
                best.add(item);
            } else if (c == min) {
                best.add(item);
            }
        }
        return best.get(random.nextInt(best.size()));
    }

    /** Order-free key of a pair of samples. */
    public static String pairKey(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }

    public synchronized long singleExposures(ModelKind model) {
        return singleExposures.get(model);
    }

    public synchronized long pairExposures(PairType type) {
        return pairExposures.get(type);
    }

    public synchronized long leftPlacements(PairType type, ModelKind model) {
        return leftPlacements.get(type).getOrDefault(model, 0L);
    }

    public synchronized long sampleSingles(String sampleId) {
        return sampleSingles.getOrDefault(sampleId, 0L);
    }
}
