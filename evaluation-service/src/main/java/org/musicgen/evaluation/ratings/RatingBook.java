package org.musicgen.evaluation.ratings;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory index of every stored rating, by storage key: what results, exports and the scheduler read. */
@ApplicationScoped
public class RatingBook {

    private final Map<String, Rating> byKey = new ConcurrentHashMap<>();

    /** Adds stored ratings that memory does not have yet (what memory has is at least as recent). */
    public void addAll(List<Rating> ratings) {
        ratings.forEach(rating -> byKey.putIfAbsent(rating.storageKey(), rating));
    }

    public void put(Rating rating) {
        byKey.put(rating.storageKey(), rating);
    }

    public boolean contains(String key) {
        return byKey.containsKey(key);
    }

    /** All ratings, oldest first. */
    public List<Rating> all() {
        List<Rating> ratings = new ArrayList<>(byKey.values());
        ratings.sort(Comparator.comparing(Rating::submittedAt).thenComparing(Rating::ratingId));
        return ratings;
    }

    public List<Rating> ofRater(String raterId) {
        return all().stream().filter(r -> r.raterId().equals(raterId)).toList();
    }

    /** True when the rater answered a trial that played this sample (alone, in a pair, Turing or catch trial). */
    public boolean hasHeard(String raterId, String sampleId) {
        return byKey.values().stream().anyMatch(r -> r.raterId().equals(raterId)
                && (r.sampleId().equals(sampleId) || sampleId.equals(r.pairedWith())));
    }

    public int size() {
        return byKey.size();
    }
}
