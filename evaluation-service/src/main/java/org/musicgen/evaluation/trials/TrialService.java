package org.musicgen.evaluation.trials;

import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.ratings.RatingBook;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.samples.SampleCatalogue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each rater's current series of trials. Series live in memory (bounded); after a restart a rater simply gets a new
 * series of what they have not rated yet, and the balance counts are rebuilt from the stored ratings.
 */
@ApplicationScoped
public class TrialService {

    private static final int MAX_SERIES = 50_000;

    private final TrialScheduler scheduler = new TrialScheduler();
    private final SampleCatalogue catalogue;
    private final RatingBook book;
    private final EvaluationConfig config;
    private final Map<String, Series> series = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
            return size() > MAX_SERIES;
        }
    };

    public TrialService(SampleCatalogue catalogue, RatingBook book, EvaluationConfig config) {
        this.catalogue = catalogue;
        this.book = book;
        this.config = config;
    }

    /** Rebuilds the balance counts from the stored ratings (on start). */
    public synchronized void rebuild(List<Rating> ratings) {
        scheduler.reset();
        series.clear();
        ratings.forEach(scheduler::recordRating);
    }

    /** The rater's current series (a new one when they have none), with what is left to answer. */
    public synchronized Progress current(String raterId) {
        Series current = series.get(raterId);
        if (current == null) {
            current = plan(raterId, 1);
        }
        return progress(raterId, current);
    }

    /** Starts a new series for the rater (when they want to rate more). */
    public synchronized Progress next(String raterId) {
        Series previous = series.get(raterId);
        return progress(raterId, plan(raterId, previous == null ? 1 : previous.number() + 1));
    }

    public TrialScheduler scheduler() {
        return scheduler;
    }

    private Series plan(String raterId, int number) {
        Set<String> ratedSingles = new HashSet<>();
        Set<String> ratedPairs = new HashSet<>();
        for (Rating rating : book.ofRater(raterId)) {
            if (rating.isPair()) {
                ratedPairs.add(TrialScheduler.pairKey(rating.sampleId(), rating.pairedWith()));
            } else {
                ratedSingles.add(rating.sampleId());
            }
        }
        List<PlannedTrial> trials = scheduler.plan(catalogue.all(), ratedSingles, ratedPairs,
                config.trialsPerSession(), config.pairedShare(), seed(raterId, number));
        Series planned = new Series(number, trials);
        series.put(raterId, planned);
        return planned;
    }

    private Progress progress(String raterId, Series current) {
        List<Trial> remaining = current.trials().stream()
                .filter(trial -> !book.contains(key(raterId, trial)))
                .map(TrialService::toTrial)
                .toList();
        int total = current.trials().size();
        return new Progress(current.number(), total, total - remaining.size(), remaining);
    }

    private static String key(String raterId, PlannedTrial trial) {
        List<Sample> samples = trial.samples();
        return trial.isPair()
                ? StateLayout.pairRatingKey(raterId, samples.get(0).sampleId(), samples.get(1).sampleId())
                : StateLayout.singleRatingKey(raterId, samples.get(0).sampleId());
    }

    private static Trial toTrial(PlannedTrial trial) {
        return new Trial(trial.isPair() ? "pair" : "single", trial.samples().stream()
                .map(s -> new Trial.TrialSample(s.sampleId(), "/api/samples/" + s.sampleId() + "/audio",
                        s.hasPianoRoll() ? "/api/samples/" + s.sampleId() + "/pianoroll" : null))
                .toList());
    }

    static long seed(String raterId, int number) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((raterId + "#" + number).getBytes(StandardCharsets.UTF_8));
            long seed = 0;
            for (int i = 0; i < 8; i++) {
                seed = (seed << 8) | (hash[i] & 0xff);
            }
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Series(int number, List<PlannedTrial> trials) {
    }

    /**
     * What the rater's page shows: series number, trials in it, how many are answered, and the rest in order.
     */
    public record Progress(int series, int total, int done, List<Trial> trials) {
    }
}
