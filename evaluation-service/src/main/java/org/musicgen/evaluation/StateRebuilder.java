package org.musicgen.evaluation;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.musicgen.evaluation.curves.TrainingCurves;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.ratings.RatingBook;
import org.musicgen.evaluation.ratings.RatingRepository;
import org.musicgen.evaluation.samples.SampleCatalogue;
import org.musicgen.evaluation.trials.TrialService;
import org.musicgen.platform.rest.ProblemException;

import java.util.List;
import java.util.Map;

/**
 * Rebuilds the service's state from the {@code ratings} bucket on start: the sample catalogue, the training curves,
 * every rating and the trial balance counts. Until that succeeded (the object store may still be starting) the
 * service is not ready and the listening test answers 503; a failed load is retried every few seconds. Loading only
 * adds to memory (never resets it), so it may run while the per-replica consumers already apply events. Every
 * {@code resync-interval} the stored samples and ratings are compared with memory, to adopt what no event announced
 * (a replica that died between storing a rating and sending its event).
 */
@ApplicationScoped
public class StateRebuilder {

    private static final Logger LOG = Logger.getLogger(StateRebuilder.class);

    private final SampleCatalogue catalogue;
    private final TrainingCurves curves;
    private final RatingRepository repository;
    private final RatingBook book;
    private final TrialService trials;
    private volatile boolean loaded;

    public StateRebuilder(SampleCatalogue catalogue, TrainingCurves curves, RatingRepository repository,
                           RatingBook book, TrialService trials) {
        this.catalogue = catalogue;
        this.curves = curves;
        this.repository = repository;
        this.book = book;
        this.trials = trials;
    }

    void onStart(@Observes StartupEvent event) {
        loadUnlessLoaded();
    }

    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retryLoad() {
        loadUnlessLoaded();
    }

    /**
     * Checked under the lock: a retry that waited for the start's own load (minutes with many ratings stored) must
     * not read everything a second time once it gets the lock.
     */
    private synchronized void loadUnlessLoaded() {
        if (!loaded) {
            tryLoad();
        }
    }

    /** Loads (or reloads) everything from storage. */
    public synchronized void reload() {
        int samples = catalogue.reload();
        int runs = curves.reload();
        List<Rating> ratings = repository.findAll();
        book.addAll(ratings);
        trials.recordRatings(book.all());
        loaded = true;
        LOG.infof("state loaded from storage: %d samples, %d training runs, %d ratings", samples, runs,
                book.size());
    }

    @Scheduled(every = "${musicgen.evaluation.resync-interval:5m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resync() {
        if (!loaded) {
            return;
        }
        try {
            catalogue.reload();
            int adopted = trials.adoptStored(repository.keys());
            if (adopted > 0) {
                LOG.infof("adopted %d stored ratings no event had announced", adopted);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not compare memory with storage (next time): %s", e.getMessage());
        }
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** Throws 503 while the state is not loaded. */
    public void requireLoaded() {
        if (!loaded) {
            throw new ProblemException(503, "Service Unavailable",
                    "The listening test is still loading its ratings from storage; try again in a few seconds.",
                    Map.of("Retry-After", "5"));
        }
    }

    private void tryLoad() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warnf("could not load the state from storage yet (retrying): %s", e.getMessage());
        }
    }

    public int samples() {
        return catalogue.size();
    }

    public int ratings() {
        return book.size();
    }
}
