package org.musicgen.trainer.run;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * When a run stops besides its epochs: a time budget and early stopping. A user gives them by name next to the
 * model's hyper-parameters ({@code "maxMinutes": "12", "patience": "3"}); {@link RunSpec} keeps them apart. Invalid
 * values throw {@link IllegalArgumentException} with a message meant for the user.
 *
 * @param maxMinutes time budget of the run in minutes (training, evaluation and checkpoints, every start of the run
 *                   together); null for none
 * @param patience   epochs without an improvement of the held-out measure by more than {@code minDelta} after which
 *                   the run stops; null for no early stopping
 * @param minDelta   the least decrease of the held-out measure that counts as an improvement
 */
public record RunLimits(Double maxMinutes, Integer patience, double minDelta) {

    public static final String MAX_MINUTES = "maxMinutes";
    public static final String PATIENCE = "patience";
    public static final String MIN_DELTA = "minDelta";
    public static final Set<String> KEYS = Set.of(MAX_MINUTES, PATIENCE, MIN_DELTA);
    /** A year: beyond it a budget is surely a mistake in units. */
    private static final double MAX_BUDGET_MINUTES = 525_600;

    public RunLimits {
        if (maxMinutes != null && !(maxMinutes > 0 && maxMinutes <= MAX_BUDGET_MINUTES)) {
            throw new IllegalArgumentException("maxMinutes must be a number of minutes above 0 and at most "
                    + (long) MAX_BUDGET_MINUTES + ", got " + maxMinutes);
        }
        if (patience != null && (patience < 1 || patience > 100_000)) {
            throw new IllegalArgumentException("patience must be a number of epochs in [1, 100000], got " + patience);
        }
        if (!(minDelta >= 0 && Double.isFinite(minDelta))) {
            throw new IllegalArgumentException("minDelta must be a finite number >= 0, got " + minDelta);
        }
    }

    public static final RunLimits NONE = new RunLimits(null, null, 0);

    /** The limits among a run's hyper-parameters; absent ones are off. */
    public static RunLimits of(Map<String, String> hyperParameters) {
        if (hyperParameters == null) {
            return NONE;
        }
        return new RunLimits(
                decimal(hyperParameters, MAX_MINUTES, "a number of minutes above 0"),
                integer(hyperParameters, PATIENCE),
                orZero(decimal(hyperParameters, MIN_DELTA, "a finite number >= 0")));
    }

    /** The hyper-parameters without the run's limits: what the model's configuration reads. */
    public static Map<String, String> modelParameters(Map<String, String> hyperParameters) {
        Map<String, String> model = new HashMap<>(hyperParameters == null ? Map.of() : hyperParameters);
        model.keySet().removeAll(KEYS);
        return model;
    }

    /** The budget in seconds, or infinity. */
    public double budgetSeconds() {
        return maxMinutes == null ? Double.POSITIVE_INFINITY : maxMinutes * 60;
    }

    /**
     * Why the run must not start another epoch, read from its record alone so that a resumed run decides as the
     * interrupted one would have; null when it trains on. The budget keeps back the time an epoch's evaluation and
     * checkpoint take, so that a run ends within it.
     */
    public StopReason stopReason(TrainingRun run) {
        if (!run.history().isEmpty() && run.history().get(run.history().size() - 1).endedEarly()) {
            return StopReason.BUDGET;
        }
        if (run.epoch() >= run.epochs()) {
            return StopReason.EPOCHS;
        }
        if (patience != null && run.epochsWithoutImprovement(minDelta) >= patience) {
            return StopReason.PATIENCE;
        }
        if (run.elapsedSeconds() + run.overheadPerEpoch() >= budgetSeconds()) {
            return StopReason.BUDGET;
        }
        return null;
    }

    private static Double decimal(Map<String, String> values, String key, String expected) {
        String v = values.get(key);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(key + " must be " + expected + ", got '" + v + "'");
    }

    private static Integer integer(Map<String, String> values, String key) {
        String v = values.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number of epochs, got '" + v + "'");
        }
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "budget %s, patience %s (min delta %s)",
                maxMinutes == null ? "none" : maxMinutes + " min", patience == null ? "none" : patience, minDelta);
    }
}
