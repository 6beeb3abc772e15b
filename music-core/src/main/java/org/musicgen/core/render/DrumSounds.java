package org.musicgen.core.render;

import java.util.ArrayList;
import java.util.List;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.render.PianoSynth.DrumVoice;

/**
 * The drum kit beside {@link PianoSynth}'s piano: one synthesised sound per {@link DrumKit} class, each the sum of
 * swept, damped sines (the drum's body: a kick falls from 160 to 48 Hz within a few hundredths of a second, a tom
 * less far) and of damped, filtered noise (the snare's wires, the hi-hats' and cymbals' hiss). Like the piano's
 * tones, every value a sine or an exponential gives is computed here once, with {@link StrictMath}, into the
 * voicing; a sound is then made by multiply-add recurrences alone, and the noise by a 32-bit xorshift generator, so
 * {@code piano.js} makes the same samples in the browser.
 */
final class DrumSounds {

    /** Samples over which every drum sound fades in: long enough to start without a click, short as a stick. */
    static final double ATTACK_SECONDS = 0.001;

    private DrumSounds() {
    }

    /** The nine sounds, in {@link DrumKit} class order. */
    static List<DrumVoice> voices(int sampleRate) {
        Design d = new Design(sampleRate);
        List<DrumVoice> voices = new ArrayList<>(DrumKit.CLASSES);
        voices.add(d.voice(DrumKit.KICK, 0.6,
                List.of(d.tone(1.0, 0.28, 160, 48, 0.035), d.tone(0.25, 0.05, 330, 100, 0.02)),
                List.of(d.noise(0.5, 0.004, 3000, 0))));
        voices.add(d.voice(DrumKit.SNARE, 0.45,
                List.of(d.tone(0.6, 0.09, 240, 185, 0.02), d.tone(0.35, 0.06, 400, 330, 0.02)),
                List.of(d.noise(1.2, 0.13, 8000, 1500))));
        voices.add(d.voice(DrumKit.CLOSED_HAT, 0.2, List.of(), List.of(d.noise(2.0, 0.035, 0, 7000))));
        voices.add(d.voice(DrumKit.OPEN_HAT, 1.0, List.of(), List.of(d.noise(1.2, 0.3, 0, 7000))));
        voices.add(d.voice(DrumKit.LOW_TOM, 0.9, List.of(d.tone(0.9, 0.35, 130, 82, 0.06)),
                List.of(d.noise(0.15, 0.015, 4000, 200))));
        voices.add(d.voice(DrumKit.MID_TOM, 0.8, List.of(d.tone(0.85, 0.3, 175, 115, 0.05)),
                List.of(d.noise(0.15, 0.015, 4000, 200))));
        voices.add(d.voice(DrumKit.HIGH_TOM, 0.7, List.of(d.tone(0.8, 0.25, 230, 155, 0.045)),
                List.of(d.noise(0.15, 0.015, 4000, 200))));
        voices.add(d.voice(DrumKit.CRASH, 3.0,
                List.of(d.tone(0.05, 0.7, 587, 587, 1), d.tone(0.04, 0.6, 845, 845, 1), d.tone(0.035, 0.5, 1253, 1253, 1)),
                List.of(d.noise(0.8, 0.9, 0, 3500), d.noise(0.45, 0.08, 0, 1200))));
        voices.add(d.voice(DrumKit.RIDE, 2.5,
                List.of(d.tone(0.2, 0.8, 2350, 2350, 1), d.tone(0.15, 0.6, 3170, 3170, 1),
                        d.tone(0.1, 0.9, 4430, 4430, 1), d.tone(0.1, 0.5, 523, 523, 1)),
                List.of(d.noise(0.5, 1.0, 0, 5000))));
        return List.copyOf(voices);
    }

    /** The design's numbers (seconds, hertz) turned into per-sample coefficients at one sample rate. */
    private record Design(int sampleRate) {

        DrumVoice voice(int drumClass, double seconds, List<double[]> tones, List<double[]> noises) {
            int seed = 0x2545F491 + drumClass * 0x9E3779B9; // any non-zero start; one per drum, fixed forever
            return new DrumVoice(DrumKit.name(drumClass), (int) Math.round(seconds * sampleRate), seed, tones, noises);
        }

        /**
         * A sine of {@code amplitude} falling by 1/e every {@code decay} seconds, its frequency sweeping from
         * {@code fromHz} towards {@code toHz}, the rest of the way falling by 1/e every {@code sweep} seconds.
         */
        double[] tone(double amplitude, double decay, double fromHz, double toHz, double sweep) {
            return new double[] {amplitude, damping(decay), step(fromHz), step(toHz), damping(sweep)};
        }

        /**
         * White noise of {@code amplitude} falling by 1/e every {@code decay} seconds, low-passed at {@code lowHz}
         * (0: not) and high-passed at {@code highHz} (0: not), each by a one-pole filter.
         */
        double[] noise(double amplitude, double decay, double lowHz, double highHz) {
            double low = lowHz <= 0 ? 1 : 1 - StrictMath.exp(-2 * Math.PI * cap(lowHz) / sampleRate);
            double high = highHz <= 0 ? 1 : 1 / (1 + 2 * Math.PI * cap(highHz) / sampleRate);
            return new double[] {amplitude, damping(decay), low, high};
        }

        private double damping(double seconds) {
            return StrictMath.exp(-1 / (seconds * sampleRate));
        }

        /** The magic-circle oscillator's step for a frequency: 2 sin(pi f / rate). */
        private double step(double hz) {
            return 2 * StrictMath.sin(Math.PI * cap(hz) / sampleRate);
        }

        private double cap(double hz) {
            return Math.min(hz, 0.4 * sampleRate);
        }
    }

    /** One drum struck at full velocity, until it has died away. */
    static float[] synthesise(DrumVoice voice, int attack) {
        int length = voice.length();
        double[] out = new double[length];
        for (double[] tone : voice.tones()) {
            // a magic-circle oscillator (c -= e s; s += e c): stable, and its step e may change every sample
            double amplitude = tone[0];
            double damping = tone[1];
            double to = tone[3];
            double excess = tone[2] - tone[3];
            double sweep = tone[4];
            double s = 0;
            double c = 1;
            for (int i = 0; i < length; i++) {
                out[i] += amplitude * s;
                double e = to + excess;
                c -= e * s;
                s += e * c;
                excess *= sweep;
                amplitude *= damping;
            }
        }
        if (!voice.noises().isEmpty()) {
            double[] white = new double[length];
            int x = voice.seed();
            for (int i = 0; i < length; i++) {
                x ^= x << 13;
                x ^= x >>> 17;
                x ^= x << 5;
                white[i] = x / 2147483648.0;
            }
            for (double[] noise : voice.noises()) {
                double amplitude = noise[0];
                double damping = noise[1];
                double low = noise[2];
                double high = noise[3];
                double previous = 0;
                double highPassed = 0;
                double lowPassed = 0;
                for (int i = 0; i < length; i++) {
                    highPassed = high * (highPassed + white[i] - previous);
                    previous = white[i];
                    lowPassed += low * (highPassed - lowPassed);
                    out[i] += amplitude * lowPassed;
                    amplitude *= damping;
                }
            }
        }
        float[] sound = new float[length];
        for (int i = 0; i < length; i++) {
            double envelope = i < attack ? i / (double) attack : 1;
            double fade = Math.min(1, (length - i) / (0.1 * length));
            sound[i] = (float) (out[i] * envelope * fade);
        }
        return sound;
    }
}
