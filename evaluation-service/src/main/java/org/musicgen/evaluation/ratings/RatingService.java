package org.musicgen.evaluation.ratings;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.evaluation.config.EvaluationConfig;
import org.musicgen.evaluation.curves.LiveUpdates;
import org.musicgen.evaluation.messaging.RatingEventPublisher;
import org.musicgen.evaluation.samples.ModelKind;
import org.musicgen.evaluation.samples.Sample;
import org.musicgen.evaluation.samples.SampleCatalogue;
import org.musicgen.evaluation.trials.PlannedTrial;
import org.musicgen.evaluation.trials.TrialService;
import org.musicgen.evaluation.trials.TrialType;
import org.musicgen.platform.events.RatingSubmitted;
import org.musicgen.platform.messaging.KeyedSend;
import org.musicgen.platform.rest.ProblemException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Accepts ratings: checks them, refuses a second rating of the same sample (or pair) by the same rater with 409,
 * decides from the rater's planned series what an answer naming a trial is (single, pair, Turing, catch item),
 * stores the rating in the {@code ratings} bucket, then sends {@code ratings.submitted}. The stored record notes when
 * the event was acknowledged; a rating whose event did not go out (broker down) is sent again later (outbox), with
 * the same event id.
 */
@ApplicationScoped
public class RatingService {

    private static final Logger LOG = Logger.getLogger(RatingService.class);

    private final RatingRepository repository;
    private final RatingBook book;
    private final TrialService trials;
    private final SampleCatalogue catalogue;
    private final RatingEventPublisher publisher;
    private final LiveUpdates live;
    private final EvaluationConfig config;
    private final MeterRegistry metrics;
    private final Clock clock = Clock.systemUTC();
    /** Striped locks: two submissions of the same key never interleave between the check and the write. */
    private final Object[] locks = new Object[64];

    public RatingService(RatingRepository repository, RatingBook book, TrialService trials,
                         SampleCatalogue catalogue, RatingEventPublisher publisher, LiveUpdates live,
                         EvaluationConfig config, MeterRegistry metrics) {
        this.repository = repository;
        this.book = book;
        this.trials = trials;
        this.catalogue = catalogue;
        this.publisher = publisher;
        this.live = live;
        this.config = config;
        this.metrics = metrics;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    public Rating submit(String raterId, RatingRequest request) {
        Rating rating = check(raterId, request);
        String key = rating.storageKey();
        synchronized (locks[Math.floorMod(key.hashCode(), locks.length)]) {
            if (book.contains(key) || learn(key)) {
                // the same words for a catch item as for any single trial: the page must not learn which it was
                throw ProblemException.conflict(rating.isTuring()
                        ? "You already answered this trial; each pair of pieces is judged once per listener."
                        : rating.isPair()
                        ? "You already compared these two pieces; each pair is judged once per listener."
                        : "You already rated this piece; each piece is rated once per listener, "
                        + "so your first answer stands.");
            }
            repository.save(rating);
            book.put(rating);
            trials.recordRatings(List.of(rating));
        }
        metrics.counter("musicgen.ratings.submitted", "kind", rating.trialType()).increment();
        live.ratings(book.size());
        return publish(rating);
    }

    /**
     * Takes in a rating another replica (or this one) announced on {@code ratings.submitted}: the stored record is
     * read and kept as published (its event is on the topic). Returns false when this replica knew it already.
     */
    public boolean adopt(RatingSubmitted event, Instant seenAt) {
        if (event.raterId() == null || event.sampleId() == null) {
            throw new IllegalArgumentException("ratings.submitted event without rater or sample");
        }
        Optional<Rating> stored = Optional.empty();
        for (String key : candidateKeys(event)) {
            if (book.contains(key)) {
                return false;
            }
            stored = repository.find(key).filter(r -> r.ratingId().equals(event.ratingId()));
            if (stored.isPresent()) {
                break;
            }
        }
        if (stored.isEmpty()) {
            LOG.warnf("ratings.submitted names rating %s, which is not in storage; ignored", event.ratingId());
            return false;
        }
        Rating rating = stored.get().publishedAt() == null ? stored.get().published(seenAt) : stored.get();
        book.addAll(List.of(rating));
        trials.recordRatings(List.of(rating));
        live.ratings(book.size());
        return true;
    }

    /**
     * Where the rating of an event may be stored: the event does not say the trial type, but its rating id derives
     * from the storage key, so the key whose id matches comes first.
     */
    private static List<String> candidateKeys(RatingSubmitted event) {
        String rater = event.raterId();
        List<String> keys = new ArrayList<>(event.pairedWith() == null
                ? List.of(StateLayout.singleRatingKey(rater, event.sampleId()),
                StateLayout.catchRatingKey(rater, event.sampleId()))
                : List.of(StateLayout.pairRatingKey(rater, event.sampleId(), event.pairedWith()),
                StateLayout.turingRatingKey(rater, event.sampleId(), event.pairedWith())));
        keys.sort((a, b) -> Boolean.compare(!ratingId(a).equals(event.ratingId()),
                !ratingId(b).equals(event.ratingId())));
        return keys;
    }

    /**
     * True when storage holds this rating although memory does not (another replica stored it and its event has not
     * arrived, or never will because that replica died before sending it): memory takes it in, and the outbox sends
     * its event if nobody did.
     */
    private boolean learn(String key) {
        return trials.adoptStored(List.of(key)) > 0;
    }

    /** Sends the event of a stored rating and records the acknowledgement; the outbox retries on failure. */
    Rating publish(Rating rating) {
        try {
            publisher.publish(rating);
        } catch (KeyedSend.EventNotSentException e) {
            LOG.warnf("rating %s is stored; its ratings.submitted event will be sent again later: %s",
                    rating.ratingId(), e.getMessage());
            return rating;
        }
        Rating published = rating.published(clock.instant());
        try {
            repository.save(published);
            book.put(published);
        } catch (RuntimeException e) {
            // the event went out; at worst the outbox sends it once more with the same event id
            LOG.warnf("could not record that rating %s was published: %s", rating.ratingId(), e.getMessage());
        }
        return published;
    }

    /** Re-sends the events of stored ratings the broker never acknowledged. */
    @Scheduled(every = "${musicgen.evaluation.outbox-interval:15s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendPending() {
        Instant before = clock.instant().minus(config.outboxDelay());
        List<Rating> pending = new ArrayList<>();
        for (Rating rating : book.all()) {
            if (rating.publishedAt() == null && rating.submittedAt().isBefore(before)) {
                pending.add(rating);
            }
        }
        for (Rating rating : pending) {
            if (publish(rating).publishedAt() == null) {
                return; // the broker is still away; try again next time
            }
        }
    }

    private Rating check(String raterId, RatingRequest request) {
        if (request == null || request.sampleId() == null || request.sampleId().isBlank()) {
            throw ProblemException.badRequest("A rating needs a JSON body with 'sampleId'.");
        }
        if (request.trialId() != null) {
            return checkTrial(raterId, request);
        }
        if (request.confidence() != null) {
            throw ProblemException.badRequest("'confidence' belongs to the answer of a trial that asks which piece a "
                    + "person wrote; name that trial with 'trialId'.");
        }
        Sample sample = ordinary(known(request.sampleId()));
        if (request.pairedWith() != null) {
            Sample other = ordinary(known(request.pairedWith()));
            if (other.sampleId().equals(sample.sampleId())) {
                throw ProblemException.badRequest("'pairedWith' must be a different sample than 'sampleId'.");
            }
            checkTwoClipAnswer(request, sample, other, "A paired trial takes a preference only, no scores.");
            return twoClips(raterId, TrialType.PAIR, sample, other, request.preferred(), null);
        }
        if (request.preferred() != null) {
            throw ProblemException.badRequest("'preferred' needs 'pairedWith' (a paired trial).");
        }
        return single(raterId, sample, checkScores(request.scores()), false);
    }

    /**
     * An answer that names a trial of the rater's series: the series says what the trial is and which samples it
     * plays; the request must fit it. Whatever else the request claims is not asked.
     */
    private Rating checkTrial(String raterId, RatingRequest request) {
        PlannedTrial trial = trials.trial(raterId, request.trialId()).orElseThrow(() -> ProblemException.notFound(
                "There is no trial '" + request.trialId() + "' in your current series. Reload the listening form to "
                        + "get your trials."));
        Set<String> named = request.pairedWith() == null ? Set.of(request.sampleId())
                : Set.of(request.sampleId(), request.pairedWith());
        Set<String> planned = Set.copyOf(trial.samples().stream().map(Sample::sampleId).toList());
        if (!named.equals(planned) || named.size() != trial.samples().size()) {
            throw ProblemException.badRequest("This answer names other pieces than trial '" + request.trialId()
                    + "' plays" + (trial.samples().size() == 2 ? " (it plays two: 'sampleId' and 'pairedWith')."
                    : " (it plays one: 'sampleId', no 'pairedWith')."));
        }
        Sample first = trial.first();
        return switch (trial.type()) {
            case SINGLE -> {
                if (request.preferred() != null || request.confidence() != null) {
                    throw ProblemException.badRequest("Trial '" + request.trialId() + "' asks the three questions "
                            + "about one piece: send 'scores', not 'preferred' or 'confidence'.");
                }
                yield single(raterId, first, checkScores(request.scores()), trial.catchTrial());
            }
            case PAIR -> {
                if (request.confidence() != null) {
                    throw ProblemException.badRequest("Trial '" + request.trialId() + "' asks which piece you prefer; "
                            + "it takes no 'confidence'.");
                }
                checkTwoClipAnswer(request, first, trial.samples().get(1),
                        "A paired trial takes a preference only, no scores.");
                yield twoClips(raterId, TrialType.PAIR, first, trial.samples().get(1), request.preferred(), null);
            }
            case TURING -> {
                checkTwoClipAnswer(request, first, trial.samples().get(1), "Trial '" + request.trialId()
                        + "' asks which piece a person wrote: send 'preferred', not scores.");
                Integer confidence = request.confidence();
                if (confidence != null && (confidence < 1 || confidence > 3)) {
                    throw ProblemException.badRequest("'confidence' must be 1 (a guess), 2 (fairly sure) or 3 "
                            + "(certain), or left out; got " + confidence + ".");
                }
                yield twoClips(raterId, TrialType.TURING, first, trial.samples().get(1), request.preferred(),
                        confidence);
            }
        };
    }

    private static void checkTwoClipAnswer(RatingRequest request, Sample left, Sample right, String noScores) {
        if (!left.sampleId().equals(request.preferred()) && !right.sampleId().equals(request.preferred())) {
            throw ProblemException.badRequest(
                    "'preferred' must be one of the two samples of the pair ('sampleId' or 'pairedWith').");
        }
        if (request.scores() != null && !request.scores().isEmpty()) {
            throw ProblemException.badRequest(noScores);
        }
    }

    private Rating single(String raterId, Sample sample, Map<String, Integer> scores, boolean catchTrial) {
        String key = catchTrial ? StateLayout.catchRatingKey(raterId, sample.sampleId())
                : StateLayout.singleRatingKey(raterId, sample.sampleId());
        return new Rating(ratingId(key), raterId, sample.sampleId(), sample.model(), scores, null, null, null,
                clock.instant(), null, Rating.SINGLE, catchTrial, sample.clipSeconds(), null);
    }

    /** A preference or a Turing answer, the left sample first. */
    private Rating twoClips(String raterId, TrialType type, Sample left, Sample right, String preferred,
                            Integer confidence) {
        String key = type == TrialType.TURING
                ? StateLayout.turingRatingKey(raterId, left.sampleId(), right.sampleId())
                : StateLayout.pairRatingKey(raterId, left.sampleId(), right.sampleId());
        return new Rating(ratingId(key), raterId, left.sampleId(), left.model(), Map.of(), right.sampleId(),
                right.model(), preferred, clock.instant(), null, type.wireName(), false, left.clipSeconds(),
                confidence);
    }

    /**
     * A sample that may be rated outside a planned trial: not a low anchor, which is heard only as a catch item (the
     * words do not say why, as the page must not learn which pieces are anchors).
     */
    private static Sample ordinary(Sample sample) {
        if (sample.kind() == ModelKind.ANCHOR) {
            throw ProblemException.badRequest("This piece is rated within its trial only: send the trial's "
                    + "'trialId' with the answer.");
        }
        return sample;
    }

    private Sample known(String sampleId) {
        return catalogue.find(sampleId).orElseThrow(() -> ProblemException.notFound("There is no sample '"
                + sampleId + "' in the listening test. Reload the listening form to get the current trials."));
    }

    private static Map<String, Integer> checkScores(Map<String, Integer> scores) {
        if (scores == null || scores.isEmpty()) {
            throw ProblemException.badRequest("A rating needs 'scores' with an answer from 1 to 5 for each of: "
                    + questionIds() + ".");
        }
        Map<String, Integer> checked = new HashMap<>();
        for (Map.Entry<String, Integer> entry : scores.entrySet()) {
            if (Question.fromId(entry.getKey()).isEmpty()) {
                throw ProblemException.badRequest("Unknown question '" + entry.getKey() + "'; the questions are: "
                        + questionIds() + ".");
            }
            Integer score = entry.getValue();
            if (score == null || score < Question.MIN_SCORE || score > Question.MAX_SCORE) {
                throw ProblemException.badRequest("The answer to '" + entry.getKey()
                        + "' must be a whole number from 1 to 5, got " + score + ".");
            }
            checked.put(entry.getKey(), score);
        }
        for (Question question : Question.values()) {
            if (!checked.containsKey(question.id())) {
                throw ProblemException.badRequest("The question '" + question.id() + "' (" + question.text()
                        + ") is not answered.");
            }
        }
        return checked;
    }

    private static String questionIds() {
        List<String> ids = new ArrayList<>();
        for (Question q : Question.values()) {
            ids.add(q.id());
        }
        return String.join(", ", ids);
    }

    /** Deterministic: the same rater and sample (or pair) always give the same rating (and event) id. */
    static String ratingId(String storageKey) {
        return UUID.nameUUIDFromBytes(("rating:" + storageKey).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
