package org.musicgen.evaluation.results;

import io.quarkus.qute.TemplateExtension;
import org.musicgen.evaluation.curves.RunCurve;
import org.musicgen.evaluation.stats.KrippendorffAlpha;
import org.musicgen.evaluation.stats.KruskalWallis;
import org.musicgen.evaluation.stats.Proportion;
import org.musicgen.evaluation.stats.Summary;

import java.util.Locale;

/** Number formatting for the results page (Qute template extensions); a dash where there is no value yet. */
@TemplateExtension
public final class ResultsFormats {

    static final String NONE = "–";

    private ResultsFormats() {
    }

    static String meanText(Summary s) {
        return number(s.mean(), 2);
    }

    static String medianText(Summary s) {
        return s.median() == null ? NONE
                : s.median() == Math.rint(s.median()) ? String.format(Locale.ROOT, "%.0f", s.median())
                : String.format(Locale.ROOT, "%.1f", s.median());
    }

    static String sdText(Summary s) {
        return number(s.sd(), 2);
    }

    static String ciText(Summary s) {
        return interval(s.ciLow(), s.ciHigh(), 2);
    }

    static String rateText(Proportion p) {
        return p.rate() == null ? NONE : String.format(Locale.ROOT, "%.0f%%", 100 * p.rate());
    }

    static String rateCiText(Proportion p) {
        return p.ciLow() == null ? NONE
                : String.format(Locale.ROOT, "%.0f–%.0f%%", 100 * p.ciLow(), 100 * p.ciHigh());
    }

    static String pText(Proportion p) {
        return pValue(p.pAgainstHalf());
    }

    static String differenceText(Verdict.Comparison c) {
        return c.meanDifference() == null ? NONE : String.format(Locale.ROOT, "%+.2f", c.meanDifference());
    }

    static String uText(Verdict.Comparison c) {
        return c.u() == null ? NONE : String.format(Locale.ROOT, "%.1f", c.u());
    }

    static String pText(Verdict.Comparison c) {
        return pValue(c.p());
    }

    static String holmText(Verdict.Comparison c) {
        return pValue(c.pHolm());
    }

    static String methodText(Verdict.Comparison c) {
        return c.exact() == null ? "" : c.exact() ? "exact" : "normal";
    }

    static String deltaText(Verdict.Comparison c) {
        return c.cliffsDelta() == null ? NONE : String.format(Locale.ROOT, "%+.2f", c.cliffsDelta());
    }

    static String deltaCiText(Verdict.Comparison c) {
        return c.deltaLow() == null ? "" : String.format(Locale.ROOT, "[%+.2f, %+.2f] %s", c.deltaLow(), c.deltaHigh(),
                c.magnitude());
    }

    static String hText(Verdict v) {
        KruskalWallis kw = v.kruskalWallis();
        return kw == null ? NONE : String.format(Locale.ROOT, "H(%d) = %.2f", kw.df(), kw.h());
    }

    static String kwPText(Verdict v) {
        return v.kruskalWallis() == null ? NONE : pValue(v.kruskalWallis().p());
    }

    static String alphaText(Verdict v) {
        KrippendorffAlpha a = v.agreement();
        return a == null ? NONE : String.format(Locale.ROOT, "%.2f", a.alpha());
    }

    static String agreementNote(Verdict v) {
        KrippendorffAlpha a = v.agreement();
        return a == null ? "no sample rated twice yet"
                : String.format(Locale.ROOT, "%d samples, %d ratings", a.units(), a.pairable());
    }

    static String shareText(Screening.RaterCheck check) {
        return String.format(Locale.ROOT, "%d of %d", check.failed(), check.completed());
    }

    static String thresholdText(Screening s) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * s.maxFailureShare());
    }

    static String lastText(RunCurve run) {
        if (run.points().isEmpty()) {
            return "no epoch finished yet";
        }
        RunCurve.Point last = run.points().get(run.points().size() - 1);
        StringBuilder text = new StringBuilder("epoch " + last.epoch() + (run.epochs() > 0 ? "/" + run.epochs() : ""));
        append(text, "train", last.trainLoss());
        append(text, "validation", last.validationLoss());
        append(text, "discriminator", last.discriminatorLoss());
        append(text, "generator", last.generatorLoss());
        append(text, "diversity", last.sampleDiversity());
        append(text, "real phrases' diversity", last.realDiversity());
        return text.toString();
    }

    private static void append(StringBuilder text, String name, Double value) {
        if (value != null) {
            text.append(", ").append(name).append(' ').append(String.format(Locale.ROOT, "%.3f", value));
        }
    }

    private static String pValue(Double p) {
        if (p == null) {
            return NONE;
        }
        return Verdict.p(p);
    }

    private static String number(Double value, int digits) {
        return value == null ? NONE : String.format(Locale.ROOT, "%." + digits + "f", value);
    }

    private static String interval(Double low, Double high, int digits) {
        if (low == null || high == null) {
            return NONE;
        }
        return String.format(Locale.ROOT, "%." + digits + "f–%." + digits + "f", low, high);
    }
}
