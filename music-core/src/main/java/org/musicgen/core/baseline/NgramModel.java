package org.musicgen.core.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Interpolated Kneser-Ney n-gram model of order 1 to {@value #MAX_ORDER} (default 3) over token ids in
 * {@code [0, vocabularySize)}. Fit it on whole pieces, one {@code int[]} per piece, not on overlapping training
 * windows.
 *
 * <p>Positions: like every {@link TokenLanguageModel}, the model predicts positions 1..n-1 of a piece from the
 * tokens before them in the same piece; token 0 is given. Histories reaching before the start of a piece are
 * padded with a begin symbol (id {@code vocabularySize}), which is never predicted, so the begin padding only
 * appears at a piece's true start.
 *
 * <p>Estimate, textbook interpolated Kneser-Ney (Chen and Goodman 1998) with one discount per order:
 * <pre>
 *   P_n(w | h) = max(c_n(h w) - D_n, 0) / c_n(h .)  +  D_n * N1+(h .) / c_n(h .) * P_{n-1}(w | h')
 *   P_0(w)     = 1 / vocabularySize
 * </pre>
 * where {@code h'} is {@code h} without its oldest token, {@code c_n(h .)} the sum of {@code c_n(h v)} over all
 * {@code v}, and {@code N1+(h .)} the number of distinct {@code v} with {@code c_n(h v) > 0}; a history with
 * {@code c_n(h .) = 0} (never seen at order n) uses {@code P_{n-1}} unchanged. The highest order uses raw counts;
 * every lower order uses continuation counts {@code c_n(w) = N1+(. w)}, the number of distinct tokens seen
 * directly before the n-gram. N-grams that start with the begin symbol have no left context but the padding
 * itself, so they keep their raw counts at every order (as KenLM does); this only differs from plain continuation
 * counts from order 4 up. Since the begin symbol is an ordinary history token, the probabilities over the
 * vocabulary sum to 1 for every history, seen or unseen, long or short.
 *
 * <p>Discounts: {@code D_n = n1 / (n1 + 2 n2)} from the numbers of n-grams of order n whose (raw or continuation)
 * count is exactly 1 and 2, clamped to [{@value #MIN_DISCOUNT}, {@value #MAX_DISCOUNT}], and
 * {@value #DEFAULT_DISCOUNT} when no n-gram is counted once or twice. {@code D <= 1} is needed for
 * {@code max(c - D, 0) = c - D} on every seen n-gram, which makes the back-off weight normalise exactly; 0.95 rather
 * than 1 so that every seen n-gram keeps some probability of its own. The floor keeps real mass for the lower orders
 * (and ultimately the uniform distribution) when the estimate collapses for want of singletons: on a tiny corpus,
 * or when the same text was counted twice.
 *
 * <p>Finding on the reported anomaly (trigram perplexity 660.93 against a unigram's 299.64 on piano-midi): the
 * Kneser-Ney arithmetic was right (continuation counts, the early exit in {@code fit}, history keys and discounts
 * agree exactly with a brute-force implementation), and the cause was fitting on 100-token windows with stride 50,
 * which counts each n-gram about twice, leaves almost no singletons and drives the top-order discount from 0.48 to
 * the 0.1 floor, so unseen continuations of seen contexts got at most a tenth of the mass (314.9 when fitted on whole
 * pieces). The one real bug was that the first token of a piece and history tokens were never range-checked, so an
 * id equal to {@code vocabularySize} silently became the begin symbol and larger ids aliased other n-grams' keys;
 * every id is now checked.
 *
 * <p>N-grams are packed into {@code long} keys in base {@code vocabularySize + 1}, so
 * {@code (vocabularySize + 1)^order} must not exceed {@link Long#MAX_VALUE} (vocabulary 6207 at order 5, 55107 at
 * order 4); counts live in primitive open-addressing tables. {@link #fit} may be called once; a fitted model is
 * read-only and safe to query from several threads.
 */
public final class NgramModel implements TokenLanguageModel {
    /** Highest supported order. */
    public static final int MAX_ORDER = 5;
    static final double MIN_DISCOUNT = 0.1;
    static final double MAX_DISCOUNT = 0.95;
    static final double DEFAULT_DISCOUNT = 0.75;
    /** Validation cross-entropies closer than this (nats per token) count as a tie in {@link #bestOrder}. */
    static final double TIE = 1e-12;

    private final int vocabularySize;
    private final int order;
    private final int begin;
    private final long base;
    /** powers[k] = base^k, k = 0..order. */
    private final long[] powers;
    /** Per order n: n-gram key -> count (raw at the top order and for n-grams starting with begin). */
    private final LongIntTable[] grams;
    /** Per order n: history key (the n-1 older tokens) -> [c_n(h .), N1+(h .)]. */
    private final LongIntTable[] histories;
    private final double[] discounts;
    private boolean fitted;

    /**
     * Result of {@link #bestOrder}.
     *
     * @param order                  the order with the lowest validation cross-entropy (ties: the lower order)
     * @param model                  the model of that order, fitted on the training pieces
     * @param validationCrossEntropy cross-entropy in nats per predicted token on the validation pieces; element
     *                               {@code k} is order {@code k + 1}
     */
    public record OrderSelection(int order, NgramModel model, List<Double> validationCrossEntropy) {
        public OrderSelection {
            Objects.requireNonNull(model, "model");
            validationCrossEntropy = List.copyOf(validationCrossEntropy);
        }
    }

    /** A trigram model. */
    public NgramModel(int vocabularySize) {
        this(vocabularySize, 3);
    }

    /**
     * @throws IllegalArgumentException when {@code vocabularySize < 1}, {@code order} is outside
     *                                  1..{@value #MAX_ORDER}, or {@code (vocabularySize + 1)^order} does not fit in
     *                                  a long
     */
    public NgramModel(int vocabularySize, int order) {
        if (vocabularySize < 1) {
            throw new IllegalArgumentException("vocabularySize must be positive, got " + vocabularySize);
        }
        if (order < 1 || order > MAX_ORDER) {
            throw new IllegalArgumentException("order must be 1.." + MAX_ORDER + ", got " + order);
        }
        this.vocabularySize = vocabularySize;
        this.order = order;
        this.begin = vocabularySize;
        this.base = vocabularySize + 1L;
        this.powers = new long[order + 1];
        powers[0] = 1;
        for (int k = 1; k <= order; k++) {
            try {
                powers[k] = Math.multiplyExact(powers[k - 1], base);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("vocabularySize " + vocabularySize + " is too large for order "
                        + order + ": n-gram keys need (vocabularySize + 1)^order = " + base + "^" + order
                        + " <= 2^63 - 1; use a lower order or a smaller vocabulary");
            }
        }
        this.grams = new LongIntTable[order + 1];
        this.histories = new LongIntTable[order + 1];
        this.discounts = new double[order + 1];
    }

    /**
     * Fits the model on the predicted positions (1..n-1) of every piece, one {@code int[]} per whole piece. Call
     * once.
     *
     * @throws IllegalArgumentException when an id is outside the vocabulary
     * @throws IllegalStateException    when the model was already fitted
     */
    public NgramModel fit(List<int[]> pieces) {
        Objects.requireNonNull(pieces, "pieces");
        if (fitted) {
            throw new IllegalStateException("model already fitted");
        }
        long predicted = 0;
        for (int[] s : pieces) {
            for (int t : s) {
                Ngrams.check(t, vocabularySize);
            }
            predicted += Math.max(0, s.length - 1);
        }
        if (predicted > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(predicted + " predicted positions, more than " + Integer.MAX_VALUE);
        }
        // highest order: raw counts, read with a rolling key over each piece (begin padding before position 0)
        LongIntTable top = new LongIntTable(1, (int) (predicted / 2));
        long drop = powers[order - 1];
        for (int[] s : pieces) {
            if (s.length < 2) {
                continue;
            }
            long key = 0;
            for (int j = 0; j < order - 1; j++) {
                key = key * base + begin;
            }
            key = key * base + s[0];
            for (int i = 1; i < s.length; i++) {
                key = key % drop * base + s[i];
                top.add(top.insert(key), 0, 1);
            }
        }
        top.trim();
        grams[order] = top;
        // lower orders: each distinct (n+1)-gram v w adds 1 to the continuation count of its suffix w, except that
        // a suffix starting with begin (whose only left neighbour is begin) takes over the count of its extension
        for (int n = order - 1; n >= 1; n--) {
            LongIntTable upper = grams[n + 1];
            LongIntTable lower = new LongIntTable(1, upper.size() / 2);
            long keep = powers[n];
            long lead = powers[n - 1];
            for (int slot = 0; slot < upper.capacity(); slot++) {
                long g = upper.keyAt(slot);
                if (g < 0) {
                    continue;
                }
                long suffix = g % keep;
                boolean startsWithBegin = n > 1 && suffix / lead == begin;
                lower.add(lower.insert(suffix), 0, startsWithBegin ? upper.value(slot, 0) : 1);
            }
            lower.trim();
            grams[n] = lower;
        }
        for (int n = 1; n <= order; n++) {
            LongIntTable table = grams[n];
            LongIntTable contexts = new LongIntTable(2, table.size() / 2);
            long n1 = 0;
            long n2 = 0;
            for (int slot = 0; slot < table.capacity(); slot++) {
                long g = table.keyAt(slot);
                if (g < 0) {
                    continue;
                }
                int c = table.value(slot, 0);
                int h = contexts.insert(g / base);
                contexts.add(h, 0, c);
                contexts.add(h, 1, 1);
                if (c == 1) {
                    n1++;
                } else if (c == 2) {
                    n2++;
                }
            }
            contexts.trim();
            histories[n] = contexts;
            discounts[n] = discount(n1, n2);
        }
        fitted = true;
        return this;
    }

    /** n1 / (n1 + 2 n2), clamped (see the class comment). */
    static double discount(long n1, long n2) {
        if (n1 + 2 * n2 == 0) {
            return DEFAULT_DISCOUNT;
        }
        double d = (double) n1 / (n1 + 2 * n2);
        return Math.max(MIN_DISCOUNT, Math.min(MAX_DISCOUNT, d));
    }

    /**
     * @throws IllegalArgumentException when {@code token}, or one of the history tokens the model reads (the last
     *                                  {@code order - 1}), is outside the vocabulary, or {@code length} is not in
     *                                  {@code [0, history.length]}
     * @throws IllegalStateException    before {@link #fit}
     */
    @Override
    public double probability(int[] history, int length, int token) {
        if (!fitted) {
            throw new IllegalStateException("model not fitted");
        }
        Ngrams.check(token, vocabularySize);
        if (length < 0 || length > history.length) {
            throw new IllegalArgumentException("history length " + length + " outside [0, " + history.length + "]");
        }
        for (int i = Math.max(0, length - order + 1); i < length; i++) {
            Ngrams.check(history[i], vocabularySize);
        }
        double p = 1.0 / vocabularySize;
        long h = 0;
        for (int n = 1; n <= order; n++) {
            if (n > 1) {
                int pos = length - (n - 1);
                h += (pos < 0 ? begin : history[pos]) * powers[n - 2];
            }
            int slot = histories[n].find(h);
            if (slot < 0) {
                // every history of order n+1 has its suffix among the histories of order n: longer ones are unseen too
                break;
            }
            double total = histories[n].value(slot, 0);
            int types = histories[n].value(slot, 1);
            int count = grams[n].get(h * base + token, 0);
            double d = discounts[n];
            p = Math.max(count - d, 0) / total + d * types / total * p;
        }
        return p;
    }

    /**
     * Fits orders 1..{@code maxOrder} on {@code trainPieces} and keeps the one with the lowest cross-entropy on
     * {@code validPieces}; ties (differences below 1e-12 nats per token) go to the lower order. Only the chosen
     * model is kept.
     *
     * @throws IllegalArgumentException when {@code maxOrder} is outside 1..{@value #MAX_ORDER}, the vocabulary is too
     *                                  large for {@code maxOrder}, or the validation pieces have no token to predict
     */
    public static OrderSelection bestOrder(int vocabularySize, List<int[]> trainPieces, List<int[]> validPieces,
            int maxOrder) {
        if (maxOrder < 1 || maxOrder > MAX_ORDER) {
            throw new IllegalArgumentException("maxOrder must be 1.." + MAX_ORDER + ", got " + maxOrder);
        }
        new NgramModel(vocabularySize, maxOrder); // rejects a vocabulary too large for maxOrder before any fitting
        List<Double> crossEntropies = new ArrayList<>(maxOrder);
        NgramModel best = null;
        double bestCrossEntropy = Double.POSITIVE_INFINITY;
        for (int n = 1; n <= maxOrder; n++) {
            NgramModel model = new NgramModel(vocabularySize, n).fit(trainPieces);
            double ce = model.crossEntropy(validPieces);
            crossEntropies.add(ce);
            if (best == null || ce < bestCrossEntropy - TIE) {
                best = model;
                bestCrossEntropy = ce;
            }
        }
        return new OrderSelection(best.order(), best, crossEntropies);
    }

    public int order() {
        return order;
    }

    /** The absolute discount D_n of order {@code n} (1..order), after clamping; 0 before fitting. */
    public double discount(int n) {
        if (n < 1 || n > order) {
            throw new IllegalArgumentException("order " + n + " outside 1.." + order);
        }
        return discounts[n];
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }
}
