package org.musicgen.evaluation.curves;

import org.musicgen.evaluation.samples.ModelKind;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The study's last figure: per model, the training loss of its latest run on a corpus with drums beside its latest
 * run on a piano-only corpus. A run has drums when its encoding writes drum hits ({@code performance-drums}); a run
 * that names no encoding (before it read its dataset, or reported before encodings existed) counts as having drums
 * when another run on its corpus said so, and as piano alone otherwise. Only runs with a finished epoch take part:
 * a run that just started does not push a finished one out of the figure.
 *
 * @param drumCorpora the corpora some run of which reported an encoding with drums, sorted
 * @param panels      one per model (LSTM, then GAN)
 */
public record DrumsComparison(List<String> drumCorpora, List<Panel> panels) {

    /** The models of the figure, in its order. */
    static final List<ModelKind> MODELS = List.of(ModelKind.LSTM, ModelKind.GAN);

    public DrumsComparison {
        drumCorpora = List.copyOf(drumCorpora);
        panels = List.copyOf(panels);
    }

    /**
     * One model's chart.
     *
     * @param drums   its latest run on a corpus with drums, null when there is none
     * @param piano   its latest run on a piano-only corpus, null when there is none
     * @param missing what the chart lacks, in words; null when both runs are there
     */
    public record Panel(String model, String label, RunCurve drums, RunCurve piano, String missing) {
    }

    /**
     * Whether an encoding of that wire name writes drum hits: {@code performance-drums}, and any later encoding
     * whose name says drums (the trainer sends the corpus's encoding name as music-core's {@code Encodings} spells
     * it; this service does not depend on music-core).
     */
    public static boolean hasDrums(String encoding) {
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("drums");
    }

    public static DrumsComparison of(Collection<RunCurve> runs) {
        Set<String> drumCorpora = runs.stream()
                .filter(run -> hasDrums(run.encoding()) && run.corpusId() != null)
                .map(RunCurve::corpusId)
                .collect(Collectors.toCollection(TreeSet::new));
        List<Panel> panels = MODELS.stream().map(kind -> {
            List<RunCurve> finished = runs.stream()
                    .filter(run -> kind.wireName().equals(run.model()) && !run.points().isEmpty())
                    .toList();
            RunCurve drums = latest(finished.stream().filter(run -> withDrums(run, drumCorpora)).toList());
            RunCurve piano = latest(finished.stream().filter(run -> !withDrums(run, drumCorpora)).toList());
            return new Panel(kind.wireName(), kind.label(), drums, piano, missing(kind.label(), drums, piano));
        }).toList();
        return new DrumsComparison(List.copyOf(drumCorpora), panels);
    }

    static boolean withDrums(RunCurve run, Set<String> drumCorpora) {
        return run.encoding() != null ? hasDrums(run.encoding()) : drumCorpora.contains(run.corpusId());
    }

    /** The run that began last; the larger run id when two began at the same instant, so replicas agree. */
    private static RunCurve latest(List<RunCurve> runs) {
        return runs.stream()
                .max(Comparator.comparing(RunCurve::began).thenComparing(RunCurve::runId))
                .orElse(null);
    }

    private static String missing(String label, RunCurve drums, RunCurve piano) {
        if (drums != null && piano != null) {
            return null;
        }
        if (drums == null && piano == null) {
            return "No " + label + " run has finished an epoch yet, neither on a corpus with drums nor on a "
                    + "piano-only corpus.";
        }
        return drums == null
                ? "No " + label + " run on a corpus with drums (encoding performance-drums) has finished an epoch "
                + "yet: only the piano-alone curve is shown."
                : "No " + label + " run on a piano-only corpus has finished an epoch yet: only the piano-and-drums "
                + "curve is shown.";
    }

    /** The panel of a model (wire name), if the figure has one. */
    public Panel panel(String model) {
        return panels.stream().filter(p -> Objects.equals(p.model(), model)).findFirst().orElse(null);
    }
}
