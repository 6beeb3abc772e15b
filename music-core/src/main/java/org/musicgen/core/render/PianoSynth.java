package org.musicgen.core.render;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * Renders a score to a mono 16-bit PCM WAV with a piano sound synthesised here, not read from any sound bank: each
 * key's tone is a sum of slightly stretched partials (as a piano string's), each decaying faster the higher it is
 * and the higher the key, with a short attack; a released key is damped within about 0.1 s. The 88 tones are made
 * once per synthesiser, the first time each key sounds, and a render only adds them up, so a minute of music takes
 * milliseconds where the JDK's synthesizer ({@link AudioRenderer}) takes about a quarter of a second.
 *
 * <p>Deterministic to the byte, on any JVM (the tones use {@link StrictMath}): every rater and every replica gets
 * the same file for the same score. Audio lasts until the last note's release plus {@code tailSeconds}, at most
 * {@code maxSeconds} (longer scores are cut). Thread-safe.
 */
public final class PianoSynth {

    private static final int LOWEST = 21;
    private static final int KEYS = 88;
    private static final double RELEASE_SECONDS = 0.08;
    private static final double ATTACK_SECONDS = 0.004;
    /** Loudness of one note at full velocity: several notes at once stay under full scale. */
    private static final double NOTE_GAIN = 0.22;

    private final int sampleRate;
    private final double tailSeconds;
    private final double maxSeconds;
    private final float[][] tones = new float[KEYS][];

    public PianoSynth(int sampleRate, double tailSeconds, double maxSeconds) {
        if (sampleRate < 8000 || tailSeconds < 0 || !(maxSeconds > 0)) {
            throw new IllegalArgumentException("sample rate >= 8000 Hz, tail >= 0 s and max > 0 s, got "
                    + sampleRate + ", " + tailSeconds + ", " + maxSeconds);
        }
        this.sampleRate = sampleRate;
        this.tailSeconds = tailSeconds;
        this.maxSeconds = maxSeconds;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Seconds of audio {@link #render} gives for {@code score}. */
    public double renderedSeconds(Score score) {
        double end = 0;
        for (Note n : score.notes()) {
            end = Math.max(end, n.endSeconds() + RELEASE_SECONDS);
        }
        return Math.min(maxSeconds, end + tailSeconds);
    }

    /** The score as a WAV file (mono, 16 bit, little endian). */
    public byte[] render(Score score) {
        int frames = (int) Math.ceil(renderedSeconds(score) * sampleRate);
        float[] mix = new float[frames];
        int release = (int) Math.round(RELEASE_SECONDS * sampleRate);
        for (Note n : score.notes()) {
            int key = n.pitch() - LOWEST;
            if (key < 0 || key >= KEYS) {
                continue; // outside the piano
            }
            int start = (int) Math.round(n.onsetSeconds() * sampleRate);
            if (start >= frames) {
                continue;
            }
            float[] tone = tone(key);
            int held = Math.max(1, (int) Math.round(n.durationSeconds() * sampleRate));
            int length = Math.min(Math.min(tone.length, held + release), frames - start);
            float gain = (float) (NOTE_GAIN * StrictMath.pow(Math.max(1, n.velocity()) / 127.0, 1.6));
            for (int i = 0; i < length; i++) {
                float damper = i < held ? 1f : 1f - (float) (i - held) / release;
                mix[start + i] += tone[i] * gain * damper;
            }
        }
        return wav(mix);
    }

    private float[] tone(int key) {
        synchronized (tones) {
            if (tones[key] == null) {
                tones[key] = synthesise(key);
            }
            return tones[key];
        }
    }

    /** One key struck at full velocity and held until it has died away. */
    private float[] synthesise(int key) {
        double f0 = 440.0 * StrictMath.pow(2, (key + LOWEST - 69) / 12.0);
        double lowness = 1 - key / (double) (KEYS - 1); // 1 at A0, 0 at C8
        double decay = 0.6 + 5.4 * lowness * lowness; // seconds to fall by 1/e, the fundamental
        double inharmonicity = 0.0004 * (0.3 + 2 * (1 - lowness));
        int length = (int) Math.min(5.0 * sampleRate, decay * 2.3 * sampleRate); // about -20 dB at the end
        int partials = (int) Math.max(1, Math.min(12, Math.floor(0.45 * sampleRate / f0)));
        double[] out = new double[length];
        double norm = 0;
        for (int p = 1; p <= partials; p++) {
            double f = p * f0 * StrictMath.sqrt(1 + inharmonicity * p * p);
            if (f >= 0.45 * sampleRate) {
                break;
            }
            double amplitude = StrictMath.pow(p, -1.1 - 0.8 * (1 - lowness));
            norm += amplitude;
            // a rotating phasor instead of a sine per sample: one multiply-add chain per partial
            double w = 2 * Math.PI * f / sampleRate;
            double cw = StrictMath.cos(w);
            double sw = StrictMath.sin(w);
            double damping = StrictMath.exp(-(1 + 0.6 * (p - 1)) / (decay * sampleRate));
            double re = amplitude;
            double im = 0;
            for (int i = 0; i < length; i++) {
                out[i] += im;
                double nre = (re * cw - im * sw) * damping;
                im = (re * sw + im * cw) * damping;
                re = nre;
            }
        }
        int attack = Math.max(1, (int) (ATTACK_SECONDS * sampleRate));
        float[] tone = new float[length];
        for (int i = 0; i < length; i++) {
            double envelope = i < attack ? i / (double) attack : 1;
            // the last tenth fades out, so that a long held note ends without a click
            double fade = Math.min(1, (length - i) / (0.1 * length));
            tone[i] = (float) (out[i] / norm * envelope * fade);
        }
        return tone;
    }

    private byte[] wav(float[] mix) {
        ByteBuffer data = ByteBuffer.allocate(44 + mix.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        data.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + mix.length * 2)
                .put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put(new byte[] {'d', 'a', 't', 'a'}).putInt(mix.length * 2);
        for (float v : mix) {
            // a soft knee keeps dense chords from clipping hard
            double x = v > 0.8 ? 0.8 + 0.2 * StrictMath.tanh((v - 0.8) / 0.2)
                    : v < -0.8 ? -0.8 + 0.2 * StrictMath.tanh((v + 0.8) / 0.2) : v;
            data.putShort((short) Math.round(x * 32767));
        }
        return data.array();
    }
}
