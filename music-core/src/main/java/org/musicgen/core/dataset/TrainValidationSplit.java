package org.musicgen.core.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Splits sequences into training and validation sets by source piece, never by window: overlapping
 * windows of one piece would otherwise sit on both sides and make validation figures look better than
 * they are. The pieces held out are drawn with a seed, so a resumed run gets the same split.
 *
 * @param train      sequences of the training pieces
 * @param validation sequences of the held-out pieces
 * @param validationPieces source indexes of the held-out pieces
 */
public record TrainValidationSplit(List<int[]> train, List<int[]> validation, List<Integer> validationPieces) {

    public TrainValidationSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        validationPieces = List.copyOf(validationPieces);
    }

    /**
     * @param fraction share of pieces held out, in (0, 1); at least one piece is held out and at least
     *                 one kept when there are two or more
     */
    public static TrainValidationSplit byPiece(SequenceSet set, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
        }
        TreeSet<Integer> pieces = new TreeSet<>();
        for (int i = 0; i < set.size(); i++) {
            pieces.add(set.sourceOf(i));
        }
        if (pieces.size() < 2) {
            throw new IllegalArgumentException("a train/validation split needs sequences from at least 2 pieces, got "
                    + pieces.size());
        }
        List<Integer> order = new ArrayList<>(pieces);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = order.get(i);
            order.set(i, order.get(j));
            order.set(j, swap);
        }
        int held = Math.min(order.size() - 1, Math.max(1, (int) Math.round(order.size() * fraction)));
        TreeSet<Integer> heldOut = new TreeSet<>(order.subList(0, held));
        List<int[]> train = new ArrayList<>();
        List<int[]> validation = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            (heldOut.contains(set.sourceOf(i)) ? validation : train).add(set.sequences().get(i));
        }
        return new TrainValidationSplit(train, validation, new ArrayList<>(heldOut));
    }
}
