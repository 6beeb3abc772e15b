package org.musicgen.evaluation.results;

import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.evaluation.curves.TrainingCurves;
import org.musicgen.evaluation.ratings.RatingBook;
import org.musicgen.evaluation.samples.SampleCatalogue;

import java.time.Clock;

/** The current results, computed from memory (ratings, samples, curves) on each request. */
@ApplicationScoped
public class ResultsService {

    private final RatingBook book;
    private final SampleCatalogue catalogue;
    private final TrainingCurves curves;
    private final VerdictSettings settings;
    private final Clock clock = Clock.systemUTC();

    public ResultsService(RatingBook book, SampleCatalogue catalogue, TrainingCurves curves, EvaluationConfig config) {
        this.book = book;
        this.catalogue = catalogue;
        this.curves = curves;
        this.settings = VerdictSettings.of(config);
    }

    public Results current() {
        return ResultsCalculator.compute(book.all(), catalogue.all(), curves.all(), clock.instant(), settings);
    }
}
