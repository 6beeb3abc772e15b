package org.musicgen.evaluation.results;

import org.musicgen.evaluation.curves.RunCurve;
import org.musicgen.evaluation.ratings.Question;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.samples.ModelKind;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.stats.MannWhitney;
import org.musicgen.evaluation.stats.Proportion;
import org.musicgen.evaluation.stats.Summary;
import org.musicgen.evaluation.trials.PairType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Computes {@link Results} from the stored ratings, the sample catalogue and the training curves. */
public final class ResultsCalculator {

    private static final List<ModelKind[]> COMPARISONS = List.of(
            new ModelKind[]{ModelKind.LSTM, ModelKind.GAN},
            new ModelKind[]{ModelKind.LSTM, ModelKind.CORPUS},
            new ModelKind[]{ModelKind.GAN, ModelKind.CORPUS});

    private ResultsCalculator() {
    }

    public static Results compute(List<Rating> ratings, Collection<Sample> samples, List<RunCurve> runs,
                                  Instant now) {
        List<Rating> singles = ratings.stream().filter(r -> !r.isPair()).toList();
        List<Rating> pairs = ratings.stream().filter(Rating::isPair).toList();
        Set<String> raters = new HashSet<>();
        ratings.forEach(r -> raters.add(r.raterId()));

        List<Results.ModelCount> models = new ArrayList<>();
        for (ModelKind kind : ModelKind.SOURCES) {
            int sampleCount = (int) samples.stream().filter(s -> s.kind() == kind).count();
            List<String> encodings = samples.stream().filter(s -> s.kind() == kind && s.encoding() != null)
                    .map(Sample::encoding).distinct().sorted().toList();
            int single = (int) singles.stream().filter(r -> kind.wireName().equals(r.model())).count();
            int pair = (int) pairs.stream().filter(r -> kind.wireName().equals(r.model())
                    || kind.wireName().equals(r.pairedModel())).count();
            models.add(new Results.ModelCount(kind.wireName(), kind.label(), sampleCount, encodings, single, pair));
        }

        List<Results.QuestionResult> questions = new ArrayList<>();
        for (Question question : Question.values()) {
            Map<ModelKind, double[]> scores = new EnumMap<>(ModelKind.class);
            for (ModelKind kind : ModelKind.SOURCES) {
                scores.put(kind, singles.stream()
                        .filter(r -> kind.wireName().equals(r.model()) && r.scores().containsKey(question.id()))
                        .mapToDouble(r -> r.scores().get(question.id()))
                        .toArray());
            }
            List<Results.ModelStat> stats = new ArrayList<>();
            for (ModelKind kind : ModelKind.SOURCES) {
                stats.add(new Results.ModelStat(kind.wireName(), kind.label(), Summary.of(scores.get(kind))));
            }
            List<Results.Comparison> comparisons = new ArrayList<>();
            for (ModelKind[] pair : COMPARISONS) {
                comparisons.add(compare(pair[0], pair[1], scores.get(pair[0]), scores.get(pair[1])));
            }
            questions.add(new Results.QuestionResult(question.id(), question.shortLabel(), question.text(), stats,
                    comparisons));
        }

        List<Results.PreferenceResult> preferences = new ArrayList<>();
        for (PairType type : PairType.values()) {
            int n = 0;
            int first = 0;
            for (Rating rating : pairs) {
                ModelKind a = ModelKind.fromWire(rating.model()).orElse(null);
                ModelKind b = ModelKind.fromWire(rating.pairedModel()).orElse(null);
                if (a == null || b == null || PairType.of(a, b).orElse(null) != type) {
                    continue;
                }
                n++;
                if (type.first().wireName().equals(rating.preferredModel())) {
                    first++;
                }
            }
            preferences.add(new Results.PreferenceResult(type.first().wireName(), type.second().wireName(),
                    type.label(), Proportion.wilson(first, n)));
        }
        int left = (int) pairs.stream().filter(Rating::preferredLeft).count();

        return new Results(now, ratings.size(), raters.size(), singles.size(), pairs.size(), models, questions,
                preferences, Proportion.wilson(left, pairs.size()), metrics(samples), runs);
    }

    private static Results.Comparison compare(ModelKind a, ModelKind b, double[] first, double[] second) {
        String label = a.label() + " vs " + (b == ModelKind.CORPUS ? "real excerpts" : b.label());
        boolean primary = a == ModelKind.LSTM && b == ModelKind.GAN;
        MannWhitney test = MannWhitney.test(first, second);
        if (test == null) {
            return new Results.Comparison(a.wireName(), b.wireName(), label, primary, first.length, second.length,
                    null, null, null, null, null, null);
        }
        double difference = Summary.of(first).mean() - Summary.of(second).mean();
        return new Results.Comparison(a.wireName(), b.wireName(), label, primary, first.length, second.length,
                difference, test.u1(), test.z(), test.p(), test.cliffsDelta(), test.magnitude());
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
