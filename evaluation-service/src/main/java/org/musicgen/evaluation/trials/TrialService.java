package org.musicgen.evaluation.trials;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.evaluation.config.PianoRollMode;
import org.musicgen.evaluation.messaging.ReplicaSync;
import org.musicgen.evaluation.messaging.TrialsPlanned;
import org.musicgen.evaluation.messaging.TrialsPlannedPublisher;
import org.musicgen.evaluation.ratings.Rating;
import org.musicgen.evaluation.ratings.RatingBook;
import org.musicgen.evaluation.ratings.RatingRepository;
import org.musicgen.evaluation.samples.ClipLength;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.samples.SampleCatalogue;
import org.musicgen.platform.events.Topics;
import org.musicgen.platform.messaging.KeyedSend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Each rater's current series of trials, the same on every replica: a replica that plans a series sends it on
 * {@code trials.planned}, and every replica (itself included) applies every plan to its series and balance counts.
 * Before planning, a replica catches up with the plans and ratings the others already sent, and reads the rater's
 * stored ratings, so an answer given on another replica is gone from the series here even when its event is late or
 * was never sent. Series live in memory (bounded); the counts are rebuilt from the stored ratings and the plans still
 * on the topic. Each trial has an opaque id; an answer names it, and the planned series (not the page) says what the
 * trial is: single, pair or Turing, and whether it is a catch item.
 */
@ApplicationScoped
public class TrialService {

    private static final Logger LOG = Logger.getLogger(TrialService.class);
    private static final int MAX_SERIES = 50_000;
    private static final List<String> SHARED_TOPICS = List.of(TrialsPlanned.TOPIC, Topics.RATINGS_SUBMITTED);

    private final TrialScheduler scheduler = new TrialScheduler();
    private final SampleCatalogue catalogue;
    private final RatingBook book;
    private final RatingRepository repository;
    private final EvaluationConfig config;
    private final ReplicaSync sync;
    private final TrialsPlannedPublisher publisher;
    private final PianoRollMode pianoRoll;
    private final Map<String, Series> series = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
            return size() > MAX_SERIES;
        }
    };

    public TrialService(SampleCatalogue catalogue, RatingBook book, RatingRepository repository,
                        EvaluationConfig config, ReplicaSync sync, TrialsPlannedPublisher publisher) {
        this.catalogue = catalogue;
        this.book = book;
        this.repository = repository;
        this.config = config;
        this.sync = sync;
        this.publisher = publisher;
        this.pianoRoll = PianoRollMode.of(config);
    }

    /** Counts stored ratings (on start and when ratings arrive); each assignment counts once, so repeats are safe. */
    public synchronized void recordRatings(List<Rating> ratings) {
        ratings.forEach(scheduler::recordRating);
    }

    /**
     * Takes in the stored ratings under these keys that memory lacks (another replica stored them and their event
     * has not been applied here yet, or never will be: it died before sending it). Returns how many.
     */
    public int adoptStored(Collection<String> keys) {
        List<Rating> missing = new ArrayList<>();
        for (String key : keys) {
            if (!book.contains(key)) {
                repository.find(key).ifPresent(missing::add);
            }
        }
        if (!missing.isEmpty()) {
            book.addAll(missing);
            recordRatings(missing);
        }
        return missing.size();
    }

    /** The rater's current series (a new one when they have none), with what is left to answer. */
    public Progress current(String raterId) {
        catchUp(raterId);
        Series planned;
        synchronized (this) {
            Series current = series.get(raterId);
            if (current != null) {
                return progress(raterId, current);
            }
            planned = plan(raterId, 1);
        }
        announce(raterId, planned);
        return progress(raterId, planned);
    }

    /** Starts a new series for the rater (when they want to rate more). */
    public Progress next(String raterId) {
        catchUp(raterId);
        Series planned;
        synchronized (this) {
            Series previous = series.get(raterId);
            planned = plan(raterId, previous == null ? 1 : previous.number() + 1);
        }
        announce(raterId, planned);
        return progress(raterId, planned);
    }

    /**
     * The other replicas' plans and ratings from the topics, then this rater's ratings from the bucket: the event of
     * a rating made a moment ago on another replica may not have reached this one within the sync timeout (a loaded
     * machine), and a replica killed between storing a rating and sending its event never sends it. One listing.
     */
    private void catchUp(String raterId) {
        sync.awaitCaughtUp(SHARED_TOPICS);
        try {
            adoptStored(repository.keysOf(raterId));
        } catch (RuntimeException e) {
            LOG.debugf("could not read a rater's stored ratings (going on with memory): %s", e.getMessage());
        }
    }

    /**
     * Applies a plan from {@code trials.planned} (another replica's, or this one's coming back): its trials are
     * counted once, and it becomes the rater's series unless a later one is known.
     */
    public synchronized void apply(TrialsPlanned event) {
        List<PlannedTrial> trials = new ArrayList<>();
        for (int i = 0; i < event.trials().size(); i++) {
            List<TrialsPlanned.PlannedSample> trial = event.trials().get(i);
            List<Sample> samples = new ArrayList<>();
            for (TrialsPlanned.PlannedSample planned : trial) {
                catalogue.resolve(planned.sampleId()).ifPresent(samples::add);
            }
            Optional<PlannedTrial> known = samples.size() == trial.size()
                    ? planned(event, i, samples) : Optional.empty();
            if (known.isPresent()) {
                trials.add(known.get());
            } else {
                LOG.warnf("plan %s names a sample this replica does not know, or a trial it cannot read; that trial "
                        + "is left out", event.planId());
            }
        }
        scheduler.recordPlanned(event.raterId(), trials);
        Series current = series.get(event.raterId());
        if (current == null || event.series() > current.number()
                || (event.series() == current.number() && event.planId().compareTo(current.planId()) > 0)) {
            series.put(event.raterId(), new Series(event.series(), event.planId(), trials));
        }
    }

    /** Trial {@code index} of a plan; a plan sent before trial types existed has singles and pairs, ids by index. */
    private static Optional<PlannedTrial> planned(TrialsPlanned event, int index, List<Sample> samples) {
        if (event.trialInfo().size() != event.trials().size()) {
            if (samples.isEmpty() || samples.size() > 2) {
                return Optional.empty();
            }
            return Optional.of(new PlannedTrial(samples).withId(legacyTrialId(event.planId(), index)));
        }
        TrialsPlanned.TrialInfo info = event.trialInfo().get(index);
        Optional<TrialType> type = TrialType.fromWire(info.trialType());
        if (type.isEmpty() || type.get().clips() != samples.size() || info.trialId() == null) {
            return Optional.empty();
        }
        return Optional.of(new PlannedTrial(info.trialId(), type.get(), info.catchTrial(), samples));
    }

    private static String legacyTrialId(String planId, int index) {
        return UUID.nameUUIDFromBytes(("trial:" + planId + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The trial of this rater's current series with this id. When this replica does not know it, it first catches up
     * with the plans the other replicas sent (the series may have been planned there a moment ago).
     */
    public Optional<PlannedTrial> trial(String raterId, String trialId) {
        Optional<PlannedTrial> known = findTrial(raterId, trialId);
        if (known.isPresent()) {
            return known;
        }
        sync.awaitCaughtUp(List.of(TrialsPlanned.TOPIC));
        return findTrial(raterId, trialId);
    }

    private synchronized Optional<PlannedTrial> findTrial(String raterId, String trialId) {
        Series current = series.get(raterId);
        if (current == null || trialId == null) {
            return Optional.empty();
        }
        return current.trials().stream().filter(t -> trialId.equals(t.trialId())).findFirst();
    }

    public TrialScheduler scheduler() {
        return scheduler;
    }

    private Series plan(String raterId, int number) {
        List<Sample> pool = ClipLength.playable(catalogue.all(), config.clipSeconds());
        TrialScheduler.Shape shape = new TrialScheduler.Shape(config.trialsPerSession(), config.pairedShare(),
                config.turingShare(), config.catchTrials());
        List<PlannedTrial> trials = scheduler.plan(raterId, pool, TrialScheduler.Rated.of(book.ofRater(raterId)),
                shape, seed(raterId, number)).stream()
                .map(trial -> trial.withId(UUID.randomUUID().toString()))
                .toList();
        Series planned = new Series(number, UUID.randomUUID().toString(), trials);
        series.put(raterId, planned);
        return planned;
    }

    /** Tells the other replicas; without the broker the plan still stands here (and is counted here only). */
    private void announce(String raterId, Series planned) {
        List<List<TrialsPlanned.PlannedSample>> trials = planned.trials().stream()
                .map(t -> t.samples().stream()
                        .map(s -> new TrialsPlanned.PlannedSample(s.sampleId(), s.model())).toList())
                .toList();
        List<TrialsPlanned.TrialInfo> info = planned.trials().stream()
                .map(t -> new TrialsPlanned.TrialInfo(t.trialId(), t.type().wireName(), t.catchTrial()))
                .toList();
        try {
            publisher.publish(TrialsPlanned.of(planned.planId(), raterId, planned.number(), trials, info,
                    Instant.now()));
        } catch (KeyedSend.EventNotSentException e) {
            LOG.warnf("series %d of a rater was planned but not shared with the other replicas: %s",
                    planned.number(), e.getMessage());
        }
    }

    private Progress progress(String raterId, Series current) {
        List<Trial> remaining = current.trials().stream()
                .filter(trial -> !book.contains(TrialScheduler.assignmentKey(raterId, trial)))
                .map(this::toTrial)
                .toList();
        int total = current.trials().size();
        return new Progress(current.number(), total, total - remaining.size(), remaining);
    }

    /** What the page gets: the trial id, its kind (a catch item is a single like any other) and media by id. */
    private Trial toTrial(PlannedTrial trial) {
        return new Trial(trial.trialId(), trial.type().wireName(), trial.samples().stream()
                .map(s -> new Trial.TrialSample(s.sampleId(), "/api/samples/" + s.sampleId() + "/audio",
                        s.hasMidi() ? "/api/samples/" + s.sampleId() + "/midi" : null,
                        pianoRoll == PianoRollMode.DURING && s.hasPianoRoll()
                                ? "/api/samples/" + s.sampleId() + "/pianoroll" : null, s.clipSeconds()))
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

    private record Series(int number, String planId, List<PlannedTrial> trials) {
    }

    /**
     * What the rater's page shows: series number, trials in it, how many are answered, and the rest in order.
     */
    public record Progress(int series, int total, int done, List<Trial> trials) {
    }
}
