package org.musicgen.evaluation.results;

import org.musicgen.evaluation.ratings.Question;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.samples.ModelKind;
import org.musicgen.evaluation.stats.CliffsDelta;
import org.musicgen.evaluation.stats.Holm;
import org.musicgen.evaluation.stats.KrippendorffAlpha;
import org.musicgen.evaluation.stats.KruskalWallis;
import org.musicgen.evaluation.stats.MannWhitney;
import org.musicgen.evaluation.stats.Power;
import org.musicgen.evaluation.stats.Summary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict on one question, over single, non-catch ratings of the three sources: Kruskal-Wallis across LSTM, GAN
 * and real excerpts; then the three pairs by two-sided Mann-Whitney with Holm's correction; Cliff's δ with a seeded
 * bootstrap interval; Krippendorff's α (ordinal) over raters x samples; and the power line for LSTM vs GAN.
 *
 * @param models         n, mean, 95% CI, median, SD per source
 * @param comparisons    LSTM vs GAN (primary), LSTM vs real, GAN vs real
 * @param agreement      Krippendorff's α (ordinal) of the raters on the samples; null without pairable ratings
 * @param acrossClips    LSTM vs GAN with each clip's mean rating as one value (a check, not part of the decision)
 * @param sourcesDiffer  Kruskal-Wallis p &lt; α
 * @param lstmGanDiffers Kruskal-Wallis p &lt; α and the Holm-adjusted LSTM-GAN p &lt; α
 */
public record Verdict(String id, String label, String text, List<Results.ModelStat> models,
                      KruskalWallis kruskalWallis, List<Comparison> comparisons, KrippendorffAlpha agreement,
                      PowerLine power, AcrossClips acrossClips, boolean sourcesDiffer, boolean lstmGanDiffers,
                      String conclusion) {

    private static final List<ModelKind[]> PAIRS = List.of(
            new ModelKind[]{ModelKind.LSTM, ModelKind.GAN},
            new ModelKind[]{ModelKind.LSTM, ModelKind.CORPUS},
            new ModelKind[]{ModelKind.GAN, ModelKind.CORPUS});

    /**
     * One pair's Mann-Whitney test. {@code u} is the first source's U, {@code cliffsDelta} &gt; 0 when the first is
     * rated higher; {@code pHolm} is p after Holm's correction over the three pairs; {@code significant} needs
     * Kruskal-Wallis and the Holm-adjusted p below α. Test fields are null while either side has no rating.
     *
     * @param exact true when p is exact (no ties, small samples), false for the normal approximation
     */
    public record Comparison(String first, String second, String label, boolean primary, int n1, int n2,
                             Double meanDifference, Double u, Double p, Double pHolm, Boolean exact,
                             Double cliffsDelta, Double deltaLow, Double deltaHigh, String magnitude,
                             boolean significant) {
    }

    /**
     * Ratings per source needed to detect {@code difference} between LSTM and GAN with {@code power} at
     * {@code level} (α/3: Bonferroni over the three pairs, Holm's first step), given the pooled SD of their ratings;
     * and how many the test has.
     */
    public record PowerLine(Double sd, double difference, double power, double level, Integer neededPerSource,
                            int lstm, int gan, String text) {
    }

    /**
     * LSTM vs GAN with each clip's mean rating as one value: the verdict treats ratings as the units, so it speaks
     * about the clips in the test; this two-sided Mann-Whitney test over clips says whether the difference holds
     * across them (few clips per model give it little power). Test fields are null while either model has no clip.
     */
    public record AcrossClips(int lstmClips, int ganClips, Double p, Boolean exact, Double cliffsDelta, String text) {
    }

    /** The verdict on every question, from the given ratings (filtered here to single, non-catch source ratings). */
    public static List<Verdict> all(List<Rating> ratings, VerdictSettings settings) {
        List<Rating> singles = ratings.stream().filter(Verdict::counts).toList();
        List<Verdict> verdicts = new ArrayList<>();
        for (Question question : Question.values()) {
            verdicts.add(of(question, singles, settings));
        }
        return verdicts;
    }

    /** A rating the verdict uses: a single trial, not a catch item, of LSTM, GAN or a real excerpt. */
    public static boolean counts(Rating rating) {
        return Rating.SINGLE.equals(rating.trialType()) && !rating.catchTrial()
                && ModelKind.fromWire(rating.model()).filter(ModelKind.SOURCES::contains).isPresent();
    }

    private static Verdict of(Question question, List<Rating> singles, VerdictSettings settings) {
        Map<ModelKind, double[]> scores = new EnumMap<>(ModelKind.class);
        for (ModelKind kind : ModelKind.SOURCES) {
            scores.put(kind, singles.stream()
                    .filter(r -> kind.wireName().equals(r.model()) && r.scores().containsKey(question.id()))
                    .mapToDouble(r -> r.scores().get(question.id()))
                    .toArray());
        }
        List<Results.ModelStat> models = new ArrayList<>();
        for (ModelKind kind : ModelKind.SOURCES) {
            models.add(new Results.ModelStat(kind.wireName(), kind.label(), Summary.of(scores.get(kind))));
        }
        KruskalWallis kw = KruskalWallis.test(ModelKind.SOURCES.stream().map(scores::get).toList());
        boolean overall = kw != null && kw.p() < settings.alpha();

        MannWhitney[] tests = new MannWhitney[PAIRS.size()];
        Double[] p = new Double[PAIRS.size()];
        for (int i = 0; i < PAIRS.size(); i++) {
            tests[i] = MannWhitney.test(scores.get(PAIRS.get(i)[0]), scores.get(PAIRS.get(i)[1]));
            p[i] = tests[i] == null ? null : tests[i].p();
        }
        Double[] holm = Holm.adjust(p);
        List<Comparison> comparisons = new ArrayList<>();
        for (int i = 0; i < PAIRS.size(); i++) {
            ModelKind a = PAIRS.get(i)[0];
            ModelKind b = PAIRS.get(i)[1];
            String label = a.label() + " vs " + (b == ModelKind.CORPUS ? "real excerpts" : b.label());
            boolean primary = i == 0;
            MannWhitney test = tests[i];
            if (test == null) {
                comparisons.add(new Comparison(a.wireName(), b.wireName(), label, primary, scores.get(a).length,
                        scores.get(b).length, null, null, null, null, null, null, null, null, null, false));
                continue;
            }
            // seeded per question and pair: the same ratings always give the same interval
            long seed = 0x5EED_2025L * 31 + question.ordinal() * 7L + i;
            CliffsDelta delta = CliffsDelta.bootstrap(scores.get(a), scores.get(b), settings.bootstrapResamples(), seed);
            double difference = Summary.of(scores.get(a)).mean() - Summary.of(scores.get(b)).mean();
            comparisons.add(new Comparison(a.wireName(), b.wireName(), label, primary, test.n1(), test.n2(),
                    difference, test.u(), test.p(), holm[i], test.exact(), delta.delta(), delta.ciLow(),
                    delta.ciHigh(), MannWhitney.magnitude(delta.delta()), overall && holm[i] < settings.alpha()));
        }
        Comparison lstmGan = comparisons.get(0);
        AcrossClips acrossClips = acrossClips(question, singles);
        return new Verdict(question.id(), question.shortLabel(), question.text(), models, kw, comparisons,
                agreement(question, singles), power(scores.get(ModelKind.LSTM), scores.get(ModelKind.GAN), settings),
                acrossClips, overall, lstmGan.significant(), conclusion(kw, lstmGan, acrossClips, settings));
    }

    /** Krippendorff's α (ordinal): units are samples, each rater's score of a sample one value. */
    private static KrippendorffAlpha agreement(Question question, List<Rating> singles) {
        Map<String, List<Double>> bySample = new LinkedHashMap<>();
        singles.stream().filter(r -> r.scores().containsKey(question.id()))
                .sorted(Comparator.comparing(Rating::sampleId).thenComparing(Rating::raterId))
                .forEach(r -> bySample.computeIfAbsent(r.sampleId(), s -> new ArrayList<>())
                        .add(r.scores().get(question.id()).doubleValue()));
        List<double[]> units = bySample.values().stream()
                .map(v -> v.stream().mapToDouble(Double::doubleValue).toArray()).toList();
        return KrippendorffAlpha.of(units, KrippendorffAlpha.Metric.ORDINAL);
    }

    private static AcrossClips acrossClips(Question question, List<Rating> singles) {
        double[] lstm = clipMeans(question, singles, ModelKind.LSTM);
        double[] gan = clipMeans(question, singles, ModelKind.GAN);
        MannWhitney test = MannWhitney.test(lstm, gan);
        if (test == null) {
            return new AcrossClips(lstm.length, gan.length, null, null, null,
                    "Across clips: needs rated clips of both models.");
        }
        String text = String.format(Locale.ROOT, "Across clips (each clip's mean rating one value): %d LSTM and %d GAN "
                        + "clips, Mann-Whitney %s (%s), Cliff's δ = %+.2f.", lstm.length, gan.length, pIs(test.p()),
                test.exact() ? "exact" : "normal", test.cliffsDelta());
        return new AcrossClips(lstm.length, gan.length, test.p(), test.exact(), test.cliffsDelta(), text);
    }

    /** Each clip's mean score on the question, clips in id order. */
    private static double[] clipMeans(Question question, List<Rating> singles, ModelKind kind) {
        Map<String, double[]> sums = new TreeMap<>();
        singles.stream().filter(r -> kind.wireName().equals(r.model()) && r.scores().containsKey(question.id()))
                .forEach(r -> {
                    double[] sum = sums.computeIfAbsent(r.sampleId(), s -> new double[2]);
                    sum[0] += r.scores().get(question.id());
                    sum[1]++;
                });
        return sums.values().stream().mapToDouble(sum -> sum[0] / sum[1]).toArray();
    }

    private static PowerLine power(double[] lstm, double[] gan, VerdictSettings settings) {
        Double sd = pooledSd(lstm, gan);
        double level = settings.alpha() / PAIRS.size();
        Integer needed = Power.perGroup(sd, settings.powerDifference(), level, settings.power());
        String text;
        if (needed == null) {
            text = "Needs at least two ratings of the LSTM and of the GAN to estimate the spread.";
        } else {
            text = String.format(Locale.ROOT,
                    "To detect a %.1f-point LSTM–GAN difference with %.0f%% power at α = %.3f (%.2f / %d pairs), "
                            + "given the observed SD of %.2f, takes about %d ratings per source; the test has %d "
                            + "(LSTM) and %d (GAN)%s.",
                    settings.powerDifference(), 100 * settings.power(), level, settings.alpha(), PAIRS.size(), sd,
                    needed, lstm.length, gan.length,
                    Math.min(lstm.length, gan.length) >= needed ? ", enough" : ", not enough yet");
        }
        return new PowerLine(sd, settings.powerDifference(), settings.power(), level, needed, lstm.length,
                gan.length, text);
    }

    private static Double pooledSd(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return null;
        }
        double sa = Summary.of(a).sd();
        double sb = Summary.of(b).sd();
        return Math.sqrt(((a.length - 1) * sa * sa + (b.length - 1) * sb * sb) / (a.length + b.length - 2));
    }

    private static String conclusion(KruskalWallis kw, Comparison lstmGan, AcrossClips clips,
                                     VerdictSettings settings) {
        if (kw == null) {
            return "Not enough ratings yet: Kruskal-Wallis needs ratings of two sources that are not all the same.";
        }
        if (kw.p() >= settings.alpha()) {
            return String.format(Locale.ROOT,
                    "No difference shown among LSTM, GAN and real excerpts (Kruskal-Wallis %s).", pIs(kw.p()));
        }
        if (lstmGan.pHolm() == null) {
            return "The sources differ (Kruskal-Wallis " + pIs(kw.p()) + "); LSTM vs GAN needs ratings of both.";
        }
        if (!lstmGan.significant()) {
            return String.format(Locale.ROOT, "The sources differ (Kruskal-Wallis %s), but LSTM and GAN are not "
                    + "shown to differ (Holm-adjusted %s).", pIs(kw.p()), pIs(lstmGan.pHolm()));
        }
        String found = String.format(Locale.ROOT, "%s rated higher than %s (Holm-adjusted %s, Cliff's δ = %+.2f).",
                lstmGan.cliffsDelta() > 0 ? "LSTM" : "GAN", lstmGan.cliffsDelta() > 0 ? "GAN" : "LSTM",
                pIs(lstmGan.pHolm()), lstmGan.cliffsDelta());
        if (clips.p() != null && clips.p() >= settings.alpha()) {
            return found + " Across clips it is not shown (" + pIs(clips.p()) + "): it may come from a few clips.";
        }
        return found;
    }

    /** "p = 0.012" or "p &lt; 0.001". */
    static String pIs(double p) {
        return p < 0.001 ? "p < 0.001" : "p = " + p(p);
    }

    /** A p-value for people: three decimals, or "&lt; 0.001". */
    static String p(double p) {
        return p < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", p);
    }
}
