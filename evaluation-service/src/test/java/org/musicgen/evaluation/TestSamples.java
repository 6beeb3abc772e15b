package org.musicgen.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.PianoRollRenderer;
import org.musicgen.core.render.PianoSynth;
import org.musicgen.localstack.LocalStack;
import org.musicgen.platform.events.SampleKeys;
import org.musicgen.platform.events.SamplesGenerated;
import org.musicgen.platform.events.Topics;
import org.musicgen.platform.storage.ObjectStore;

import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.fail;

/** Real sample objects (MIDI of one note, a synthesised WAV and PNG) in the samples bucket, announced on samples.generated. */
public final class TestSamples {

    private TestSamples() {
    }

    /** The clip length of the tests' listening experiment: every test sample is a clip of one second. */
    public static final double CLIP_SECONDS = 1.0;

    /** Puts a sample's MIDI, audio and piano roll, publishes its event and waits until the service lists it. */
    public static String publish(LocalStack stack, ObjectStore store, ObjectMapper json, String model,
                                 Map<String, Double> metrics) {
        return publish(stack, store, json, model, metrics, CLIP_SECONDS, CLIP_SECONDS, null);
    }

    /** A low anchor of the real excerpt {@code referenceSampleId}, a clip of the tests' length. */
    public static String publishAnchor(LocalStack stack, ObjectStore store, ObjectMapper json,
                                       String referenceSampleId) {
        return publish(stack, store, json, "anchor", Map.of(), CLIP_SECONDS, CLIP_SECONDS, referenceSampleId);
    }

    /**
     * A sample cut to {@code clipSeconds} that lasts {@code durationSeconds} (shorter: a model that could not fill the
     * clip), announced and listed.
     */
    public static String publish(LocalStack stack, ObjectStore store, ObjectMapper json, String model,
                                 Map<String, Double> metrics, double clipSeconds, double durationSeconds,
                                 String referenceSampleId) {
        String id = UUID.randomUUID().toString();
        SampleKeys keys = SampleKeys.forSample(id);
        int pitch = 64 + new Random(id.hashCode()).nextInt(12);
        store.put(keys.bucket(), keys.midi(), midi(pitch), "audio/midi");
        store.put(keys.bucket(), keys.audio(), wav(1.0, 440 * Math.pow(2, (pitch - 69) / 12.0)), "audio/wav");
        store.put(keys.bucket(), keys.pianoRoll(), png(id.hashCode()), "image/png");
        send(stack, json, SamplesGenerated.of(id, "run-" + model, "corpus-1", model, keys, "performance", 64, 20,
                durationSeconds, metrics, Instant.now()).asClip(clipSeconds, referenceSampleId));
        awaitListed(id);
        return id;
    }

    /**
     * A sample of the given notes, made as the generator makes one: its MIDI, the audio of that MIDI as read back
     * (drums included) on the project's piano as a clip of {@code clipSeconds}, and its piano roll; announced and
     * listed.
     */
    public static String publishScore(LocalStack stack, ObjectStore store, ObjectMapper json, String model,
                                      Score score, double clipSeconds) {
        String id = UUID.randomUUID().toString();
        SampleKeys keys = SampleKeys.forSample(id);
        byte[] midi = new MidiWriter().write(score);
        store.put(keys.bucket(), keys.midi(), midi, "audio/midi");
        store.put(keys.bucket(), keys.audio(), new PianoSynth(22_050, 1.0, 120).render(readWithDrums(midi),
                clipSeconds), "audio/wav");
        store.put(keys.bucket(), keys.pianoRoll(), new PianoRollRenderer().png(score), "image/png");
        send(stack, json, SamplesGenerated.of(id, "run-" + model, "corpus-1", model, keys, "performance", 64,
                score.notes().size(), clipSeconds, Map.of(), Instant.now()).asClip(clipSeconds, null));
        awaitListed(id);
        return id;
    }

    /** The notes of a MIDI file, drum hits included. */
    public static Score readWithDrums(byte[] midi) {
        try {
            return new MidiReader().withDrums().read(midi);
        } catch (MidiFormatException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static void send(LocalStack stack, ObjectMapper json, SamplesGenerated event) {
        try {
            stack.topics().send(Topics.SAMPLES_GENERATED, event.sampleId(), json.writeValueAsString(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void awaitListed(String sampleId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (given().when().get("/api/samples/" + sampleId).statusCode() == 200) {
                return;
            }
            sleep(200);
        }
        fail("sample " + sampleId + " was not listed by the service within 60 s");
    }

    /** One note of a second at 120 bpm: what the listening form plays on its bundled piano. */
    public static byte[] midi(int pitch) {
        return new MidiWriter().write(new Score(480, List.of(new Note(pitch, 90, 0, 0, 960, 0, 1.0))));
    }

    /** A mono 16-bit WAV: a sine tone with a short fade in and out. */
    public static byte[] wav(double seconds, double frequency) {
        float rate = 22050;
        int frames = (int) (seconds * rate);
        byte[] pcm = new byte[frames * 2];
        for (int i = 0; i < frames; i++) {
            double envelope = Math.min(1, Math.min(i, frames - i) / (rate * 0.02));
            short value = (short) (Math.sin(2 * Math.PI * frequency * i / rate) * 12000 * envelope);
            pcm[2 * i] = (byte) value;
            pcm[2 * i + 1] = (byte) (value >> 8);
        }
        AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, frames)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small piano-roll-like PNG: note bars on a dark grid. */
    public static byte[] png(long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(480, 160, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(17, 21, 34));
        g.fillRect(0, 0, 480, 160);
        g.setColor(new Color(40, 46, 66));
        for (int y = 0; y < 160; y += 8) {
            g.drawLine(0, y, 480, y);
        }
        g.setColor(new Color(120, 160, 255));
        int x = 4;
        while (x < 470) {
            int length = 12 + random.nextInt(40);
            int pitch = 20 + random.nextInt(120);
            g.fillRoundRect(x, pitch, length, 6, 3, 3);
            x += length / 2 + random.nextInt(20);
        }
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
