package org.musicgen.evaluation.rest;

import io.quarkus.qute.TemplateExtension;
import org.musicgen.evaluation.curves.RunCurve;
import org.musicgen.evaluation.results.Results;
import org.musicgen.evaluation.stats.Proportion;
import org.musicgen.evaluation.stats.Summary;

import java.util.Locale;

/** Number formatting for the results page (Qute template extensions); a dash where there is no value yet. */
@TemplateExtension
public final class Formats {

    static final String NONE = "–";

    private Formats() {
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

    static String differenceText(Results.Comparison c) {
        return c.meanDifference() == null ? NONE : String.format(Locale.ROOT, "%+.2f", c.meanDifference());
    }

    static String uText(Results.Comparison c) {
        return c.u() == null ? NONE : String.format(Locale.ROOT, "%.1f", c.u());
    }

    static String zText(Results.Comparison c) {
        return number(c.z(), 2);
    }

    static String pText(Results.Comparison c) {
        if (c.p() == null) {
            return NONE;
        }
        return c.p() < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", c.p());
    }

    static boolean significant(Results.Comparison c) {
        return c.p() != null && c.p() < 0.05;
    }

    static String deltaText(Results.Comparison c) {
        return c.cliffsDelta() == null ? NONE
                : String.format(Locale.ROOT, "%+.2f (%s)", c.cliffsDelta(), c.magnitude());
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
