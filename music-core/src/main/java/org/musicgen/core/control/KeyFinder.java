package org.musicgen.core.control;

import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * Krumhansl-Schmuckler key finding: the key whose Krumhansl-Kessler profile correlates best (Pearson) with a
 * passage's duration-weighted pitch-class profile.
 */
public final class KeyFinder {

    private KeyFinder() {
    }

    /** The best-correlating of the 24 keys; a silent profile (all zeros) gives C major. */
    public static MusicalKey estimate(double[] pitchClassProfile) {
        if (pitchClassProfile.length != 12) {
            throw new IllegalArgumentException("a pitch-class profile has 12 values, got " + pitchClassProfile.length);
        }
        MusicalKey best = null;
        double bestR = Double.NEGATIVE_INFINITY;
        for (MusicalKey key : MusicalKey.all()) {
            double r = correlation(pitchClassProfile, key.profile());
            if (r > bestR) {
                bestR = r;
                best = key;
            }
        }
        return best;
    }

    /** The key of a whole score. */
    public static MusicalKey estimate(Score score) {
        return estimate(durationProfile(score, 0, Double.POSITIVE_INFINITY));
    }

    /**
     * Seconds each pitch class sounds within {@code [from, to)}, divided by their total (zeros when nothing sounds):
     * a long note weighs more than a grace note, as in Krumhansl-Schmuckler's input. Drum hits are not pitches and
     * are not counted (a groove's kick is no C).
     */
    public static double[] durationProfile(Score score, double from, double to) {
        double[] profile = new double[12];
        double total = 0;
        for (Note n : score.piano().notes()) {
            double overlap = Math.min(n.endSeconds(), to) - Math.max(n.onsetSeconds(), from);
            if (overlap > 0) {
                profile[n.pitch() % 12] += overlap;
                total += overlap;
            }
        }
        if (total > 0) {
            for (int i = 0; i < 12; i++) {
                profile[i] /= total;
            }
        }
        return profile;
    }

    /** Pearson correlation; 0 when either side is constant. */
    public static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return va == 0 || vb == 0 ? 0 : cov / Math.sqrt(va * vb);
    }
}
