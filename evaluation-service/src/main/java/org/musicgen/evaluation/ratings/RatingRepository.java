package org.musicgen.evaluation.ratings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.musicgen.evaluation.StateLayout;
import org.musicgen.platform.storage.ObjectStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Ratings in the {@code ratings} bucket, one JSON object each under {@code ratings/<raterId>/}. The key is a
 * function of rater and sample (or sample pair), so a rating can only exist once.
 */
@ApplicationScoped
public class RatingRepository {

    private static final Logger LOG = Logger.getLogger(RatingRepository.class);

    private final ObjectStore store;
    private final ObjectMapper json;

    public RatingRepository(ObjectStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    public void save(Rating rating) {
        try {
            store.put(StateLayout.BUCKET, rating.storageKey(), json.writeValueAsBytes(rating), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise rating " + rating.ratingId(), e);
        }
    }

    public boolean exists(String key) {
        return store.exists(StateLayout.BUCKET, key);
    }

    public Optional<Rating> find(String key) {
        return store.get(StateLayout.BUCKET, key).map(this::read);
    }

    /** The storage keys of every stored rating (a listing, without reading them). */
    public List<String> keys() {
        return store.list(StateLayout.BUCKET, StateLayout.RATINGS_PREFIX).stream()
                .filter(key -> key.endsWith(StateLayout.JSON)).toList();
    }

    /** The storage keys of one rater's stored ratings. */
    public List<String> keysOf(String raterId) {
        return store.list(StateLayout.BUCKET, StateLayout.raterPrefix(raterId)).stream()
                .filter(key -> key.endsWith(StateLayout.JSON)).toList();
    }

    /** Every stored rating, oldest first; an unreadable object is logged and skipped, never fatal. */
    public List<Rating> findAll() {
        List<Rating> ratings = new ArrayList<>();
        for (String key : store.list(StateLayout.BUCKET, StateLayout.RATINGS_PREFIX)) {
            if (!key.endsWith(StateLayout.JSON)) {
                continue;
            }
            try {
                store.get(StateLayout.BUCKET, key).map(this::read).ifPresent(ratings::add);
            } catch (RuntimeException e) {
                LOG.errorf("skipping unreadable rating %s/%s: %s", StateLayout.BUCKET, key, e.getMessage());
            }
        }
        ratings.sort(Comparator.comparing(Rating::submittedAt).thenComparing(Rating::ratingId));
        return ratings;
    }

    private Rating read(byte[] bytes) {
        try {
            return json.readValue(bytes, Rating.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable rating record: " + e.getMessage(), e);
        }
    }
}
