package org.musicgen.evaluation.results;

import org.musicgen.evaluation.curves.DrumsComparison;
import org.musicgen.evaluation.curves.RunCurve;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.samples.ModelKind;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.stats.Proportion;
import org.musicgen.evaluation.stats.Summary;
import org.musicgen.evaluation.trials.PairType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Computes {@link Results} from the stored ratings, the sample catalogue and the training curves. */
public final class ResultsCalculator {

    private ResultsCalculator() {
    }

    /** With the configuration's defaults. */
    public static Results compute(List<Rating> ratings, Collection<Sample> samples, List<RunCurve> runs,
                                  Instant now) {
        return compute(ratings, samples, runs, now, VerdictSettings.DEFAULTS);
    }

    public static Results compute(List<Rating> unordered, Collection<Sample> samples, List<RunCurve> runs,
                                  Instant now, VerdictSettings settings) {
        // a fixed order, so that the figures do not depend on the order the ratings arrived in
        List<Rating> ratings = unordered.stream().sorted(Comparator.comparing(Rating::raterId)
                .thenComparing(Rating::sampleId).thenComparing(r -> String.valueOf(r.pairedWith()))
                .thenComparing(Rating::catchTrial)).toList();
        List<Rating> singles = ratings.stream().filter(Verdict::counts).toList();
        List<Rating> pairs = ratings.stream().filter(Rating::isPair).toList();
        List<Rating> turing = ratings.stream().filter(Rating::isTuring).toList();
        int catches = (int) ratings.stream().filter(Rating::catchTrial).count();
        Set<String> raters = new HashSet<>();
        ratings.forEach(r -> raters.add(r.raterId()));

        List<Results.ModelCount> models = new ArrayList<>();
        for (ModelKind kind : ModelKind.SOURCES) {
            String wire = kind.wireName();
            int sampleCount = (int) samples.stream().filter(s -> s.kind() == kind).count();
            List<String> encodings = samples.stream().filter(s -> s.kind() == kind && s.encoding() != null)
                    .map(Sample::encoding).distinct().sorted().toList();
            int single = (int) singles.stream().filter(r -> wire.equals(r.model())).count();
            int pair = (int) pairs.stream().filter(r -> involves(r, wire)).count();
            int turingCount = (int) turing.stream().filter(r -> involves(r, wire)).count();
            models.add(new Results.ModelCount(wire, kind.label(), sampleCount, encodings, single, pair, turingCount));
        }

        Screening screening = Screening.of(ratings, samples, settings.maxFailureShare());
        Set<String> excluded = screening.excludedIds();
        List<Rating> screened = ratings.stream().filter(r -> !excluded.contains(r.raterId())).toList();

        List<Results.PreferenceResult> preferences = new ArrayList<>();
        for (PairType type : PairType.values()) {
            List<Rating> ofType = pairs.stream().filter(r -> pairType(r) == type).toList();
            int first = (int) ofType.stream().filter(r -> type.first().wireName().equals(r.preferredModel())).count();
            preferences.add(new Results.PreferenceResult(type.first().wireName(), type.second().wireName(),
                    type.label(), Proportion.of(first, ofType.size())));
        }
        int left = (int) pairs.stream().filter(Rating::preferredLeft).count();

        return new Results(now, ratings.size(), raters.size(), singles.size(), pairs.size(), turing.size(), catches,
                settings, models, Verdict.all(ratings, settings), Verdict.all(screened, settings), screening,
                new Results.Turing(TuringResult.of(ratings), TuringResult.of(screened)), preferences,
                Proportion.of(left, pairs.size()), ClipLengths.of(samples, settings.clipSeconds()), metrics(samples),
                runs, DrumsComparison.of(runs));
    }

    private static boolean involves(Rating rating, String model) {
        return model.equals(rating.model()) || model.equals(rating.pairedModel());
    }

    private static PairType pairType(Rating rating) {
        ModelKind a = ModelKind.fromWire(rating.model()).orElse(null);
        ModelKind b = ModelKind.fromWire(rating.pairedModel()).orElse(null);
        return a == null || b == null ? null : PairType.of(a, b).orElse(null);
    }

    private static List<Results.MetricRow> metrics(Collection<Sample> unordered) {
        // a fixed order, so that sums (and so the figures) do not depend on how the catalogue iterates
        List<Sample> samples = unordered.stream().sorted(Comparator.comparing(Sample::sampleId)).toList();
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.addAll(s.metrics().keySet()));
        List<Results.MetricRow> rows = new ArrayList<>();
        for (String name : names) {
            List<Results.MetricValue> values = new ArrayList<>();
            for (ModelKind kind : ModelKind.SOURCES) {
                double[] v = samples.stream()
                        .filter(s -> s.kind() == kind)
                        .map(s -> s.metrics().get(name))
                        .filter(x -> x != null && Double.isFinite(x))
                        .mapToDouble(Double::doubleValue)
                        .toArray();
                values.add(new Results.MetricValue(kind.wireName(), Summary.of(v)));
            }
            rows.add(new Results.MetricRow(name, humanise(name), values));
        }
        return rows;
    }

    /** {@code pitchClassEntropy} -> {@code Pitch class entropy}; {@code scale_consistency} -> {@code Scale consistency}. */
    static String humanise(String name) {
        String spaced = name.replace('_', ' ').replace('-', ' ')
                .replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase().trim();
        return spaced.isEmpty() ? name : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
