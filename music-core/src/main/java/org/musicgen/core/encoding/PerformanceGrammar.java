package org.musicgen.core.encoding;

import static org.musicgen.core.encoding.PerformanceEncoding.NOTE_OFF;
import static org.musicgen.core.encoding.PerformanceEncoding.NOTE_ON;
import static org.musicgen.core.encoding.PerformanceEncoding.PITCHES;
import static org.musicgen.core.encoding.PerformanceEncoding.TIME_SHIFT;
import static org.musicgen.core.encoding.PerformanceEncoding.VELOCITY;

import java.util.Arrays;

/**
 * The performance encoding's rules for a model's output, the ones every encoded piece obeys: a NOTE_ON only for
 * a silent key, a NOTE_OFF only for a sounding one. A sampled NOTE_OFF of a silent key would be lost and a
 * NOTE_ON of a sounding key would cut it short, so both are masked, and {@link #shape} keeps the model's chance
 * of a release on the keys that can be released. No key sounds longer than {@code maxHoldSteps}: a TIME_SHIFT may
 * not carry a sounding key past it, and a key that reaches it must be released before anything else, as Magenta's
 * Performance RNN truncates notes at a maximum duration. A model that forgot a note would otherwise hold it to
 * the end of the sample.
 */
final class PerformanceGrammar implements EventGrammar {

    private final long maxHoldSteps;
    private final long[] onStep = new long[PITCHES];
    private long step;
    private long room; // steps the longest-held sounding key may still sound; maxHoldSteps when none sounds

    PerformanceGrammar(long maxHoldSteps) {
        if (maxHoldSteps < 1) {
            throw new IllegalArgumentException("maxHoldSteps must be at least 1, got " + maxHoldSteps);
        }
        this.maxHoldSteps = maxHoldSteps;
        this.room = maxHoldSteps;
        Arrays.fill(onStep, -1);
    }

    @Override
    public boolean allows(int id) {
        if (id >= NOTE_OFF && id < TIME_SHIFT) {
            long on = onStep[id - NOTE_OFF];
            return on >= 0 && (room > 0 || step - on >= maxHoldSteps);
        }
        if (room <= 0) {
            return false; // a key is due for release
        }
        if (id < NOTE_OFF) {
            return onStep[id - NOTE_ON] < 0;
        }
        if (id < VELOCITY) {
            return id - TIME_SHIFT + 1 <= room;
        }
        return true;
    }

    /**
     * The model's chance of a release stays a release: the probability it gives to NOTE_OFFs of silent keys (it
     * knows a key should go up, not exactly which) goes to the NOTE_OFFs of the sounding keys, in proportion to
     * their own. Masking alone would spread it over every event and leave notes sounding far longer than written.
     */
    @Override
    public void shape(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (int pitch = 0; pitch < PITCHES; pitch++) {
            max = Math.max(max, logits[NOTE_OFF + pitch]);
        }
        double sounding = 0;
        double silent = 0;
        for (int pitch = 0; pitch < PITCHES; pitch++) {
            double p = Math.exp(logits[NOTE_OFF + pitch] - max);
            if (allows(NOTE_OFF + pitch)) {
                sounding += p;
            } else {
                silent += p;
            }
        }
        if (sounding <= 0 || silent <= 0 || !Double.isFinite(sounding + silent)) {
            return;
        }
        float boost = (float) Math.log((sounding + silent) / sounding);
        for (int pitch = 0; pitch < PITCHES; pitch++) {
            if (allows(NOTE_OFF + pitch)) {
                logits[NOTE_OFF + pitch] += boost;
            }
        }
    }

    @Override
    public void accept(int id) {
        if (id < NOTE_OFF) {
            onStep[id - NOTE_ON] = step;
        } else if (id < TIME_SHIFT) {
            onStep[id - NOTE_OFF] = -1;
        } else if (id < VELOCITY) {
            step += id - TIME_SHIFT + 1;
        }
        long oldest = step;
        for (long on : onStep) {
            if (on >= 0) {
                oldest = Math.min(oldest, on);
            }
        }
        room = maxHoldSteps - (step - oldest);
    }
}
