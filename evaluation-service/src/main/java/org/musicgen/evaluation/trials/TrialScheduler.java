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
 * the least-used pairing and puts on the left the model that was on the left less often. A Turing trial (a real
 * excerpt against a generated clip) takes the least-used model of the two, puts the generated clip on the side it
 * sat on less often for that model, and takes the least-used samples. Ties are broken by a random generator seeded
 * per rater and series, and the series is shuffled with it. A rater never gets a sample (or a pair) they already
 * rated, nor the same one twice in a series.
 * <p>
 * Catch trials come on top: each is a real excerpt that has a low anchor (the hidden reference) and that anchor, two
 * items that look like any single trial, placed apart in the series (at least {@link #catchGap} positions). The
 * least-used references are taken, and a rater never gets the same reference as a catch trial twice.
 * <p>
 * When the rater is known, what is counted is each distinct assignment (rater and sample, or rater and pair: the
 * rating's storage key), whether it was seen as a plan or as a rating, here or on another replica. Counting a set
 * makes the counts independent of the order events arrive in, so every replica that saw the same plans and
 * ratings holds the same counts, and a rated trial that was planned counts once.
 */
public final class TrialScheduler {

    /** The models a Turing trial sets against a real excerpt. */
    static final List<ModelKind> GENERATED = List.of(ModelKind.LSTM, ModelKind.GAN);

    private final Map<ModelKind, Long> singleExposures = new EnumMap<>(ModelKind.class);
    private final Map<PairType, Long> pairExposures = new EnumMap<>(PairType.class);
    private final Map<PairType, Map<ModelKind, Long>> leftPlacements = new EnumMap<>(PairType.class);
    private final Map<String, Long> sampleSingles = new HashMap<>();
    private final Map<String, Long> samplePairs = new HashMap<>();
    private final Map<ModelKind, Long> turingExposures = new EnumMap<>(ModelKind.class);
    private final Map<ModelKind, Long> turingGeneratedLeft = new EnumMap<>(ModelKind.class);
    private final Map<String, Long> sampleTurings = new HashMap<>();
    private final Map<String, Long> catchUses = new HashMap<>();
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
        turingExposures.clear();
        turingGeneratedLeft.clear();
        sampleTurings.clear();
        catchUses.clear();
        assignments.clear();
        for (ModelKind kind : ModelKind.SOURCES) {
            singleExposures.put(kind, 0L);
        }
        for (ModelKind kind : GENERATED) {
            turingExposures.put(kind, 0L);
            turingGeneratedLeft.put(kind, 0L);
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
        ModelKind other = rating.hasTwoClips() ? ModelKind.fromWire(rating.pairedModel()).orElse(null) : null;
        if (model == null || (rating.hasTwoClips() && other == null)) {
            return;
        }
        if (!assignments.add(rating.storageKey())) {
            return;
        }
        if (rating.catchTrial()) {
            catchUses.merge(rating.sampleId(), 1L, Long::sum);
        } else if (rating.isTuring()) {
            countTuring(model, rating.sampleId(), other, rating.pairedWith());
        } else {
            count(model, rating.sampleId(), other, rating.pairedWith());
        }
    }

    /** Counts trials planned for a rater (here or on another replica), each assignment once. */
    public synchronized void recordPlanned(String raterId, List<PlannedTrial> trials) {
        for (PlannedTrial trial : trials) {
            if (assignments.add(assignmentKey(raterId, trial))) {
                countPlanned(trial);
            }
        }
    }

    private void countPlanned(PlannedTrial trial) {
        List<Sample> samples = trial.samples();
        Sample first = samples.get(0);
        if (trial.catchTrial()) {
            catchUses.merge(first.sampleId(), 1L, Long::sum);
        } else if (trial.isTuring()) {
            countTuring(first.kind(), first.sampleId(), samples.get(1).kind(), samples.get(1).sampleId());
        } else if (trial.isPair()) {
            count(first.kind(), first.sampleId(), samples.get(1).kind(), samples.get(1).sampleId());
        } else {
            count(first.kind(), first.sampleId(), null, null);
        }
    }

    /** The storage key a rating of this trial by this rater gets. */
    public static String assignmentKey(String raterId, PlannedTrial trial) {
        List<Sample> samples = trial.samples();
        String first = samples.get(0).sampleId();
        if (trial.catchTrial()) {
            return StateLayout.catchRatingKey(raterId, first);
        }
        return switch (trial.type()) {
            case SINGLE -> StateLayout.singleRatingKey(raterId, first);
            case PAIR -> StateLayout.pairRatingKey(raterId, first, samples.get(1).sampleId());
            case TURING -> StateLayout.turingRatingKey(raterId, first, samples.get(1).sampleId());
        };
    }

    private void count(ModelKind model, String sampleId, ModelKind pairedModel, String pairedWith) {
        if (pairedModel == null) {
            if (singleExposures.containsKey(model)) {
                singleExposures.merge(model, 1L, Long::sum);
                sampleSingles.merge(sampleId, 1L, Long::sum);
            }
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

    /** A Turing trial: which model the generated clip came from, and whether it sat on the left. */
    private void countTuring(ModelKind left, String leftId, ModelKind right, String rightId) {
        boolean generatedLeft = left != ModelKind.CORPUS;
        ModelKind generated = generatedLeft ? left : right;
        if (!turingExposures.containsKey(generated) || (generatedLeft ? right : left) != ModelKind.CORPUS) {
            return;
        }
        turingExposures.merge(generated, 1L, Long::sum);
        if (generatedLeft) {
            turingGeneratedLeft.merge(generated, 1L, Long::sum);
        }
        sampleTurings.merge(leftId, 1L, Long::sum);
        sampleTurings.merge(rightId, 1L, Long::sum);
    }

    /** Plans a series of singles and pairs without a known rater (every planned trial counts). */
    public List<PlannedTrial> plan(Collection<Sample> pool, Set<String> ratedSingles, Set<String> ratedPairs,
                                   int trials, double pairedShare, long seed) {
        return plan(null, pool, new Rated(ratedSingles, ratedPairs, Set.of(), Set.of()),
                new Shape(trials, pairedShare, 0, 0), seed);
    }

    /** Plans a series of singles and pairs for one rater (the shape of the series before Turing and catch trials). */
    public List<PlannedTrial> plan(String raterId, Collection<Sample> pool, Set<String> ratedSingles,
                                   Set<String> ratedPairs, int trials, double pairedShare, long seed) {
        return plan(raterId, pool, new Rated(ratedSingles, ratedPairs, Set.of(), Set.of()),
                new Shape(trials, pairedShare, 0, 0), seed);
    }

    /**
     * Plans a series for one rater and counts it as heard.
     *
     * @param raterId the rater (assignments counted once), or null
     * @param pool    the samples the listening test may play (already of the experiment's clip length); low anchors
     *                among them serve catch trials only
     * @param rated   what the rater already answered
     * @param seed    seed of this rater's series (ties, order and the catch items' places)
     */
    public synchronized List<PlannedTrial> plan(String raterId, Collection<Sample> pool, Rated rated, Shape shape,
                                                long seed) {
        Random random = new Random(seed);
        Map<ModelKind, List<Sample>> byModel = new EnumMap<>(ModelKind.class);
        for (ModelKind kind : ModelKind.values()) {
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
        List<ModelKind> turingModels = GENERATED.stream()
                .filter(kind -> !byModel.get(kind).isEmpty() && !byModel.get(ModelKind.CORPUS).isEmpty())
                .toList();
        int pairs = pairTypes.isEmpty() ? 0 : share(shape.trials(), shape.pairedShare());
        int turings = turingModels.isEmpty() ? 0
                : Math.min(share(shape.trials(), shape.turingShare()), shape.trials() - pairs);
        int singles = shape.trials() - pairs - turings;

        // the catch references first: the series then leaves them out of its single trials
        List<PlannedTrial[]> catches = new ArrayList<>();
        Set<String> catchUsed = new HashSet<>(rated.catches());
        for (int i = 0; i < shape.catchTrials(); i++) {
            PlannedTrial[] trial = nextCatch(raterId, byModel, catchUsed, random);
            if (trial == null) {
                break;
            }
            catches.add(trial);
        }

        List<PlannedTrial> series = new ArrayList<>();
        Set<String> usedSingles = new HashSet<>(rated.singles());
        for (PlannedTrial[] items : catches) {
            for (PlannedTrial item : items) {
                usedSingles.add(item.first().sampleId());
            }
        }
        for (int i = 0; i < singles; i++) {
            PlannedTrial trial = nextSingle(raterId, byModel, usedSingles, random);
            if (trial == null) {
                break;
            }
            series.add(trial);
        }
        Set<String> usedPairs = new HashSet<>(rated.pairs());
        for (int i = 0; i < pairs; i++) {
            PlannedTrial trial = nextPair(raterId, byModel, pairTypes, usedPairs, random);
            if (trial == null) {
                break;
            }
            series.add(trial);
        }
        Set<String> usedTurings = new HashSet<>(rated.turings());
        for (int i = 0; i < turings; i++) {
            PlannedTrial trial = nextTuring(raterId, byModel, turingModels, usedTurings, random);
            if (trial == null) {
                break;
            }
            series.add(trial);
        }
        Collections.shuffle(series, random);
        return placeCatches(series, catches, random);
    }

    private static int share(int trials, double share) {
        return (int) Math.round(trials * Math.max(0, Math.min(1, share)));
    }

    /**
     * The least-used real excerpt that has a low anchor in the pool and that this rater has not had as a catch trial,
     * as two items: the hidden reference and its anchor (in random order). Null when there is none.
     */
    private PlannedTrial[] nextCatch(String raterId, Map<ModelKind, List<Sample>> byModel, Set<String> used,
                                     Random random) {
        Map<String, Sample> anchorOf = new HashMap<>();
        for (Sample anchor : byModel.get(ModelKind.ANCHOR)) {
            if (anchor.referenceSampleId() != null && !used.contains(anchor.sampleId())) {
                anchorOf.putIfAbsent(anchor.referenceSampleId(), anchor);
            }
        }
        List<Sample> references = byModel.get(ModelKind.CORPUS).stream()
                .filter(s -> anchorOf.containsKey(s.sampleId()) && !used.contains(s.sampleId()))
                .toList();
        if (references.isEmpty()) {
            return null;
        }
        Sample reference = leastOf(references, s -> catchUses.getOrDefault(s.sampleId(), 0L), random);
        Sample anchor = anchorOf.get(reference.sampleId());
        used.add(reference.sampleId());
        used.add(anchor.sampleId());
        PlannedTrial[] items = {new PlannedTrial(null, TrialType.SINGLE, true, List.of(reference)),
                new PlannedTrial(null, TrialType.SINGLE, true, List.of(anchor))};
        for (PlannedTrial item : items) {
            if (raterId == null || assignments.add(assignmentKey(raterId, item))) {
                countPlanned(item);
            }
        }
        if (random.nextBoolean()) {
            return new PlannedTrial[]{items[1], items[0]};
        }
        return items;
    }

    /**
     * The smallest distance between the two items of a catch trial in a series of this many items: at least one
     * other trial between them, and more in longer series (about a third of the series for one catch trial).
     */
    public static int catchGap(int items, int catchTrials) {
        return catchTrials == 0 ? 0 : Math.max(2, items / (catchTrials + 2));
    }

    /** The ordinary series with each catch trial's two items put at random places at least {@link #catchGap} apart. */
    private static List<PlannedTrial> placeCatches(List<PlannedTrial> ordinary, List<PlannedTrial[]> catches,
                                                   Random random) {
        if (catches.isEmpty()) {
            return ordinary;
        }
        int total = ordinary.size() + 2 * catches.size();
        int gap = catchGap(total, catches.size());
        int[] places = null;
        for (int attempt = 0; attempt < 500 && places == null; attempt++) {
            places = tryPlaces(total, catches.size(), gap, random);
        }
        if (places == null) {
            // evenly spread: item k of a trial half a series after item 1 of the same trial
            places = new int[2 * catches.size()];
            for (int i = 0; i < catches.size(); i++) {
                places[2 * i] = i;
                places[2 * i + 1] = i + total / 2;
            }
        }
        PlannedTrial[] series = new PlannedTrial[total];
        for (int i = 0; i < catches.size(); i++) {
            series[places[2 * i]] = catches.get(i)[0];
            series[places[2 * i + 1]] = catches.get(i)[1];
        }
        int next = 0;
        for (int i = 0; i < total; i++) {
            if (series[i] == null) {
                series[i] = ordinary.get(next++);
            }
        }
        return List.of(series);
    }

    /** Random distinct places, the two of each catch trial at least {@code gap} apart; null when they were not. */
    private static int[] tryPlaces(int total, int catches, int gap, Random random) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            all.add(i);
        }
        Collections.shuffle(all, random);
        int[] places = new int[2 * catches];
        for (int i = 0; i < catches; i++) {
            places[2 * i] = all.get(2 * i);
            places[2 * i + 1] = all.get(2 * i + 1);
            if (Math.abs(places[2 * i] - places[2 * i + 1]) < gap) {
                return null;
            }
        }
        return places;
    }

    private PlannedTrial nextTuring(String raterId, Map<ModelKind, List<Sample>> byModel, List<ModelKind> models,
                                    Set<String> used, Random random) {
        List<Sample> real = byModel.get(ModelKind.CORPUS);
        List<ModelKind> open = models.stream().filter(m -> hasOpenPair(byModel.get(m), real, used)).toList();
        if (open.isEmpty()) {
            return null;
        }
        ModelKind model = leastOf(open, turingExposures::get, random);
        long left = turingGeneratedLeft.get(model);
        long right = turingExposures.get(model) - left;
        boolean generatedLeft = left == right ? random.nextBoolean() : left < right;

        List<Sample[]> combos = new ArrayList<>();
        for (Sample generated : byModel.get(model)) {
            for (Sample excerpt : real) {
                if (!used.contains(pairKey(generated.sampleId(), excerpt.sampleId()))) {
                    combos.add(new Sample[]{generated, excerpt});
                }
            }
        }
        Sample[] chosen = leastOf(combos, c -> sampleTurings.getOrDefault(c[0].sampleId(), 0L)
                + sampleTurings.getOrDefault(c[1].sampleId(), 0L), random);
        used.add(pairKey(chosen[0].sampleId(), chosen[1].sampleId()));
        List<Sample> clips = generatedLeft ? List.of(chosen[0], chosen[1]) : List.of(chosen[1], chosen[0]);
        PlannedTrial trial = new PlannedTrial(null, TrialType.TURING, false, clips);
        if (raterId == null || assignments.add(assignmentKey(raterId, trial))) {
            countPlanned(trial);
        }
        return trial;
    }

    private PlannedTrial nextSingle(String raterId, Map<ModelKind, List<Sample>> byModel, Set<String> used,
                                    Random random) {
        List<ModelKind> models = new ArrayList<>();
        for (ModelKind kind : ModelKind.SOURCES) { // never a low anchor: it is a catch item only
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
        return singleExposures.getOrDefault(model, 0L);
    }

    public synchronized long pairExposures(PairType type) {
        return pairExposures.getOrDefault(type, 0L);
    }

    public synchronized long leftPlacements(PairType type, ModelKind model) {
        return leftPlacements.get(type).getOrDefault(model, 0L);
    }

    public synchronized long sampleSingles(String sampleId) {
        return sampleSingles.getOrDefault(sampleId, 0L);
    }

    /** Turing trials planned or answered with a clip of this model. */
    public synchronized long turingExposures(ModelKind model) {
        return turingExposures.getOrDefault(model, 0L);
    }

    /** Of those, how many had the generated clip on the left. */
    public synchronized long turingGeneratedLeft(ModelKind model) {
        return turingGeneratedLeft.getOrDefault(model, 0L);
    }

    /** Catch items planned or answered with this sample (a hidden reference or a low anchor). */
    public synchronized long catchUses(String sampleId) {
        return catchUses.getOrDefault(sampleId, 0L);
    }

    /**
     * What a rater already answered, by trial type: sample ids of single ratings, {@link #pairKey}s of preferences and
     * of Turing answers, and sample ids of catch items.
     */
    public record Rated(Set<String> singles, Set<String> pairs, Set<String> turings, Set<String> catches) {

        public static Rated of(Collection<Rating> ratings) {
            Set<String> singles = new HashSet<>();
            Set<String> pairs = new HashSet<>();
            Set<String> turings = new HashSet<>();
            Set<String> catches = new HashSet<>();
            for (Rating rating : ratings) {
                if (rating.catchTrial()) {
                    catches.add(rating.sampleId());
                } else if (rating.isTuring()) {
                    turings.add(pairKey(rating.sampleId(), rating.pairedWith()));
                } else if (rating.isPair()) {
                    pairs.add(pairKey(rating.sampleId(), rating.pairedWith()));
                } else {
                    singles.add(rating.sampleId());
                }
            }
            return new Rated(singles, pairs, turings, catches);
        }
    }

    /**
     * The shape of a series: ordinary trials (single, paired and Turing together), the shares of pairs and of Turing
     * trials, and the catch trials on top (two items each).
     */
    public record Shape(int trials, double pairedShare, double turingShare, int catchTrials) {
    }
}
