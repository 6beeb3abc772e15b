package org.musicgen.core.render;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * Renders a score to a mono 16-bit PCM WAV with a piano sound synthesised here, not read from any sound bank: each
 * key's tone is a sum of slightly stretched partials (as a piano string's), each decaying faster the higher it is
 * and the higher the key, with a short attack; a released key is damped within about 0.1 s. The 88 tones are made
 * once per synthesiser, the first time each key sounds, and a render only adds them up, so a minute of music takes
 * milliseconds where the JDK's synthesizer ({@link AudioRenderer}) takes about a quarter of a second.
 *
 * <p>Deterministic to the byte, on any JVM: every rater and every replica gets the same file for the same score.
 * Everything transcendental (each partial's rotation and damping, the velocity curve) is computed once with
 * {@link StrictMath} into a {@link Voicing}; the rest is plain arithmetic in a fixed order. So a port that reads the
 * voicing ({@link Voicing#toJson()}) and repeats the arithmetic, as the listening form's {@code piano.js} does in the
 * browser, makes the same samples to the bit. Audio lasts until the last note's release plus {@code tailSeconds}, at most
 * {@code maxSeconds} (longer scores are cut). Thread-safe.
 *
 * <p>Drum hits (notes on {@link DrumKit#CHANNEL}) are played on a drum kit synthesised the same way
 * ({@link DrumSounds}): the sound of the hit's {@link DrumKit#classOf class}, whatever the hit's duration (a drum
 * sounds as long as it sounds), scaled by the piano's velocity curve; a hit of a pitch no class is mapped to is
 * silent. A score without drums sounds, to the byte, as it did before the kit existed.
 */
public final class PianoSynth {

    private static final int LOWEST = 21;
    private static final int KEYS = 88;
    private static final double RELEASE_SECONDS = 0.08;
    private static final double ATTACK_SECONDS = 0.004;
    /** Loudness of one note at full velocity: several notes at once stay under full scale. */
    private static final double NOTE_GAIN = 0.22;
    /** A clip's last second fades out. */
    public static final double FADE_SECONDS = 1.0;

    private final int sampleRate;
    private final double tailSeconds;
    private final double maxSeconds;
    private final Voicing voicing;
    private final float[][] tones = new float[KEYS][];
    private final float[][] drums = new float[DrumKit.CLASSES][];

    public PianoSynth(int sampleRate, double tailSeconds, double maxSeconds) {
        if (sampleRate < 8000 || tailSeconds < 0 || !(maxSeconds > 0)) {
            throw new IllegalArgumentException("sample rate >= 8000 Hz, tail >= 0 s and max > 0 s, got "
                    + sampleRate + ", " + tailSeconds + ", " + maxSeconds);
        }
        this.sampleRate = sampleRate;
        this.tailSeconds = tailSeconds;
        this.maxSeconds = maxSeconds;
        this.voicing = voice(sampleRate, tailSeconds, maxSeconds);
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** The piano's parameters: what a port needs to make the same samples with arithmetic alone. */
    public Voicing voicing() {
        return voicing;
    }

    /** Seconds of audio {@link #render} gives for {@code score}. */
    public double renderedSeconds(Score score) {
        return renderedSeconds(score.notes());
    }

    private double renderedSeconds(List<Note> notes) {
        double end = 0;
        for (Note n : notes) {
            if (!DrumKit.isDrum(n)) {
                end = Math.max(end, n.endSeconds() + RELEASE_SECONDS);
            } else if (DrumKit.classOf(n.pitch()) >= 0) {
                end = Math.max(end, n.onsetSeconds() + voicing.drumSeconds(DrumKit.classOf(n.pitch())));
            }
        }
        return Math.min(maxSeconds, end + tailSeconds);
    }

    /** The score as a WAV file (mono, 16 bit, little endian). */
    public byte[] render(Score score) {
        return wav(pcm(score));
    }

    /**
     * A listening clip as a WAV file: exactly {@code clipSeconds} long (at most the maximum), its last
     * {@value #FADE_SECONDS} second faded out linearly to silence (all of it for a shorter clip), so that a clip cut
     * in the middle of the music ends without a click and without the abrupt stop of its released notes.
     */
    public byte[] render(Score score, double clipSeconds) {
        return wav(pcm(score, clipSeconds));
    }

    /** The score's samples, 16-bit mono at {@link #sampleRate()}. */
    public short[] pcm(Score score) {
        return pcm(score.notes(), (int) Math.ceil(renderedSeconds(score.notes()) * sampleRate), 0);
    }

    /** A clip's samples: see {@link #render(Score, double)}. */
    public short[] pcm(Score score, double clipSeconds) {
        if (!(clipSeconds >= 0) || Double.isInfinite(clipSeconds)) {
            throw new IllegalArgumentException("a clip lasts a finite, non-negative time, not " + clipSeconds);
        }
        int frames = (int) Math.round(Math.min(maxSeconds, clipSeconds) * sampleRate);
        return pcm(score.notes(), frames, Math.min(frames, (int) Math.round(FADE_SECONDS * sampleRate)));
    }

    /** {@code frames} samples of the notes, the last {@code fade} of them faded out. */
    private short[] pcm(List<Note> notes, int frames, int fade) {
        float[] mix = new float[frames];
        int release = voicing.release();
        for (Note n : notes) {
            if (DrumKit.isDrum(n)) {
                addDrum(mix, n);
                continue;
            }
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
            float gain = voicing.gains()[Math.max(1, n.velocity())];
            for (int i = 0; i < length; i++) {
                float damper = i < held ? 1f : 1f - (float) (i - held) / release;
                mix[start + i] += tone[i] * gain * damper;
            }
        }
        short[] pcm = new short[frames];
        int fadeFrom = frames - fade;
        for (int i = 0; i < frames; i++) {
            double v = i < fadeFrom ? mix[i] : mix[i] * ((double) (frames - i) / fade);
            // a soft knee keeps dense chords from clipping hard (a rational curve: no transcendental function)
            double x = v > 0.8 ? 0.8 + 0.2 * knee((v - 0.8) / 0.2) : v < -0.8 ? -0.8 - 0.2 * knee((-v - 0.8) / 0.2) : v;
            pcm[i] = (short) Math.round(x * 32767);
        }
        return pcm;
    }

    /** The hit's drum sound, at its velocity, from its onset on. */
    private void addDrum(float[] mix, Note n) {
        int drum = DrumKit.classOf(n.pitch());
        int start = (int) Math.round(n.onsetSeconds() * sampleRate);
        if (drum < 0 || start >= mix.length) {
            return;
        }
        float[] sound = drum(drum);
        int length = Math.min(sound.length, mix.length - start);
        float gain = voicing.gains()[Math.max(1, n.velocity())];
        for (int i = 0; i < length; i++) {
            mix[start + i] += sound[i] * gain;
        }
    }

    private float[] drum(int drumClass) {
        synchronized (drums) {
            if (drums[drumClass] == null) {
                drums[drumClass] = DrumSounds.synthesise(voicing.drums().get(drumClass), voicing.drumAttack());
            }
            return drums[drumClass];
        }
    }

    /** Rises with slope 1 from 0 and never reaches 1. */
    private static double knee(double t) {
        return t / (1 + t);
    }

    private float[] tone(int key) {
        synchronized (tones) {
            if (tones[key] == null) {
                tones[key] = synthesise(voicing.voices().get(key), voicing.attack());
            }
            return tones[key];
        }
    }

    /** One key struck at full velocity and held until it has died away. */
    private static float[] synthesise(Voice voice, int attack) {
        int length = voice.length();
        double[] out = new double[length];
        for (double[] partial : voice.partials()) {
            // a rotating phasor instead of a sine per sample: one multiply-add chain per partial
            double cw = partial[1];
            double sw = partial[2];
            double damping = partial[3];
            double re = partial[0];
            double im = 0;
            for (int i = 0; i < length; i++) {
                out[i] += im;
                double nre = (re * cw - im * sw) * damping;
                im = (re * sw + im * cw) * damping;
                re = nre;
            }
        }
        double norm = voice.norm();
        float[] tone = new float[length];
        for (int i = 0; i < length; i++) {
            double envelope = i < attack ? i / (double) attack : 1;
            // the last tenth fades out, so that a long held note ends without a click
            double fade = Math.min(1, (length - i) / (0.1 * length));
            tone[i] = (float) (out[i] / norm * envelope * fade);
        }
        return tone;
    }

    private static Voicing voice(int sampleRate, double tailSeconds, double maxSeconds) {
        List<Voice> voices = new ArrayList<>(KEYS);
        for (int key = 0; key < KEYS; key++) {
            double f0 = 440.0 * StrictMath.pow(2, (key + LOWEST - 69) / 12.0);
            double lowness = 1 - key / (double) (KEYS - 1); // 1 at A0, 0 at C8
            double decay = 0.6 + 5.4 * lowness * lowness; // seconds to fall by 1/e, the fundamental
            double inharmonicity = 0.0004 * (0.3 + 2 * (1 - lowness));
            int length = (int) Math.min(5.0 * sampleRate, decay * 2.3 * sampleRate); // about -20 dB at the end
            int count = (int) Math.max(1, Math.min(12, Math.floor(0.45 * sampleRate / f0)));
            List<double[]> partials = new ArrayList<>();
            double norm = 0;
            for (int p = 1; p <= count; p++) {
                double f = p * f0 * StrictMath.sqrt(1 + inharmonicity * p * p);
                if (f >= 0.45 * sampleRate) {
                    break;
                }
                double amplitude = StrictMath.pow(p, -1.1 - 0.8 * (1 - lowness));
                norm += amplitude;
                double w = 2 * Math.PI * f / sampleRate;
                partials.add(new double[] {amplitude, StrictMath.cos(w), StrictMath.sin(w),
                        StrictMath.exp(-(1 + 0.6 * (p - 1)) / (decay * sampleRate))});
            }
            voices.add(new Voice(length, norm, List.copyOf(partials)));
        }
        float[] gains = new float[128];
        for (int v = 1; v < 128; v++) {
            gains[v] = (float) (NOTE_GAIN * StrictMath.pow(v / 127.0, 1.6));
        }
        return new Voicing(sampleRate, tailSeconds, maxSeconds, RELEASE_SECONDS,
                (int) Math.round(RELEASE_SECONDS * sampleRate), Math.max(1, (int) (ATTACK_SECONDS * sampleRate)),
                LOWEST, gains, List.copyOf(voices), Math.max(1, (int) (DrumSounds.ATTACK_SECONDS * sampleRate)),
                DrumSounds.voices(sampleRate));
    }

    static byte[] wav(short[] pcm, int sampleRate) {
        ByteBuffer data = ByteBuffer.allocate(44 + pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        data.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + pcm.length * 2)
                .put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2)
                .putShort((short) 2).putShort((short) 16)
                .put(new byte[] {'d', 'a', 't', 'a'}).putInt(pcm.length * 2);
        for (short v : pcm) {
            data.putShort(v);
        }
        return data.array();
    }

    private byte[] wav(short[] pcm) {
        return wav(pcm, sampleRate);
    }

    /**
     * One key's tone: {@code length} samples, the sum of its partials divided by {@code norm}. Each partial is
     * {amplitude, cos w, sin w, damping per sample}: a phasor started at (amplitude, 0), rotated by w and damped at
     * every sample, whose imaginary part sounds.
     */
    public record Voice(int length, double norm, List<double[]> partials) {
    }

    /**
     * One drum's sound: {@code length} samples, the sum of its tones and noises. A tone is {amplitude, damping per
     * sample, step at the start, step at the end, sweep}: a magic-circle oscillator whose step (2 sin(pi f / rate))
     * starts at the first and approaches the second, the difference multiplied by the sweep at every sample. A noise
     * is {amplitude, damping per sample, low-pass coefficient, high-pass coefficient} applied to the drum's white
     * noise, a 32-bit xorshift sequence from {@code seed} (13, 17, 5) divided by 2^31.
     */
    public record DrumVoice(String name, int length, int seed, List<double[]> tones, List<double[]> noises) {
    }

    /**
     * Everything that shapes the sound, for the 88 keys from MIDI {@code lowest} (A0) up: a note of velocity v is the
     * tone of its key times {@code gains[v]}, held for its duration, then damped linearly over {@code release}
     * samples; {@code attack} samples fade each tone in. A drum hit of velocity v is its class's sound (in
     * {@link DrumKit} order) times {@code gains[v]}, faded in over {@code drumAttack} samples.
     */
    public record Voicing(int sampleRate, double tailSeconds, double maxSeconds, double releaseSeconds, int release,
                          int attack, int lowest, float[] gains, List<Voice> voices, int drumAttack,
                          List<DrumVoice> drums) {

        /** How long a drum class's sound lasts. */
        public double drumSeconds(int drumClass) {
            return drums.get(drumClass).length() / (double) sampleRate;
        }

        /** As JSON, every number written so that a reader gets the same double (and float) back. */
        public String toJson() {
            StringBuilder b = new StringBuilder(100_000);
            b.append("{\"sampleRate\":").append(sampleRate)
                    .append(",\"tailSeconds\":").append(tailSeconds)
                    .append(",\"maxSeconds\":").append(maxSeconds)
                    .append(",\"releaseSeconds\":").append(releaseSeconds)
                    .append(",\"release\":").append(release)
                    .append(",\"attack\":").append(attack)
                    .append(",\"lowest\":").append(lowest)
                    .append(",\"gains\":[");
            for (int v = 0; v < gains.length; v++) {
                b.append(v == 0 ? "" : ",").append(number(gains[v]));
            }
            b.append("],\n\"voices\":[");
            for (int k = 0; k < voices.size(); k++) {
                Voice voice = voices.get(k);
                b.append(k == 0 ? "\n" : ",\n").append("{\"length\":").append(voice.length())
                        .append(",\"norm\":").append(number(voice.norm())).append(",\"partials\":");
                arrays(b, voice.partials());
                b.append('}');
            }
            b.append("\n],\n\"drumAttack\":").append(drumAttack).append(",\"drums\":[");
            for (int d = 0; d < drums.size(); d++) {
                DrumVoice drum = drums.get(d);
                b.append(d == 0 ? "\n" : ",\n").append("{\"name\":\"").append(drum.name())
                        .append("\",\"length\":").append(drum.length()).append(",\"seed\":").append(drum.seed())
                        .append(",\"tones\":");
                arrays(b, drum.tones());
                b.append(",\"noises\":");
                arrays(b, drum.noises());
                b.append('}');
            }
            return b.append("\n]}\n").toString();
        }

        private static void arrays(StringBuilder b, List<double[]> arrays) {
            b.append('[');
            for (int a = 0; a < arrays.size(); a++) {
                double[] values = arrays.get(a);
                b.append(a == 0 ? "[" : ",[");
                for (int i = 0; i < values.length; i++) {
                    b.append(i == 0 ? "" : ",").append(number(values[i]));
                }
                b.append(']');
            }
            b.append(']');
        }

        /** Java's shortest round-tripping decimal; a JSON reader rounds it back to the same double. */
        private static String number(double v) {
            return Double.toString(v).toLowerCase(Locale.ROOT);
        }
    }
}
