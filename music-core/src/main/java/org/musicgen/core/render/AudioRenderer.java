package org.musicgen.core.render;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Soundbank;
import javax.sound.midi.Synthesizer;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.musicgen.core.midi.DrumKit;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;

/**
 * Renders a score to a 16-bit PCM WAV file with the JDK's software synthesizer (Gervill), offline:
 * no sound card, audio device or display is used, and output is deterministic (details below).
 *
 * <p>Every note is played on the acoustic grand piano (program 0) with its velocity, at the time
 * given by the notes' seconds (so a MIDI file's tempo map is honoured). Notes are spread over the
 * 15 melodic channels so that overlapping notes of one pitch do not cut each other off. Drum hits
 * ({@link DrumKit}) are played on the drum channel (MIDI channel 10), on the soundbank's standard kit by their General
 * MIDI pitch, and nothing else is. Notes shorter than {@value #MIN_NOTE_MICROS} µs are lengthened to that.
 * The audio lasts until the last note's release (its note-off) plus {@code tailSeconds}, but never
 * longer than {@code maxSeconds}: a longer score is <em>truncated</em> there (see
 * {@link #renderedSeconds(Score)}). A score without notes gives {@code tailSeconds} of silence.
 *
 * <p>Two ways to drive Gervill, chosen once per JVM:
 * <ul>
 *   <li><b>Direct</b>, when the JVM runs with
 *       {@code --add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED}: the synthesizer's
 *       {@code AudioSynthesizer.openStream} is called by reflection, rendering straight into the
 *       requested format with the first loadable soundfont of {@code soundfonts}, else the JDK's
 *       default soundbank.</li>
 *   <li><b>Without JVM flags</b> (the default): the score is written as an in-memory MIDI file and
 *       rendered by the JDK's MIDI audio file reader ({@code AudioSystem.getAudioInputStream}),
 *       which always uses the JDK's default soundbank at 44.1 kHz stereo; other formats are
 *       converted by {@code AudioSystem}. The {@code soundfonts} list is not used, as that
 *       reader cannot be given a soundbank.</li>
 * </ul>
 * The JDK's default soundbank is the largest {@code .sf2}/{@code .dls} in {@code java.home/lib/audio},
 * a {@code default.sf2} in the usual Linux soundfont folders, or else Gervill's generated emergency
 * soundbank, which the JDK saves as {@code ~/.gervill/soundbank-emg.sf2} when it generates it
 * and loads from there afterwards (the first render in a JVM may take a second or more).
 *
 * <p>Deterministic: within a JVM, and across JVMs that use the same soundbank file, the same score
 * gives the same bytes. The one exception is the emergency soundbank: the JVM that generates it
 * plays its in-memory version, which sounds slightly different from the saved copy later JVMs
 * load. For byte-stable audio across machines, install a soundfont (on the direct path; without
 * flags, as a {@code default.sf2}) or keep {@code ~/.gervill} between runs. Without JVM flags, Gervill settings stored in the user's Java preferences
 * ({@code /com/sun/media/sound/softsynthesizer}) also apply; the direct path overrides them.
 *
 * <p>Thread-safe: every render uses its own synthesizer instance; the loaded soundfont is shared.
 */
public final class AudioRenderer {

    public static final int DEFAULT_SAMPLE_RATE = 44_100;
    public static final int DEFAULT_CHANNELS = 2;
    public static final double DEFAULT_TAIL_SECONDS = 1.0;
    public static final double DEFAULT_MAX_SECONDS = 300;
    /** Upper limit of {@code maxSeconds}: half an hour, also keeping MIDI delta times encodable. */
    public static final double MAX_SECONDS_LIMIT = 1800;
    /** General MIDI soundfonts of common Linux packages, tried in this order. */
    public static final List<Path> DEFAULT_SOUNDFONTS = List.of(
            Path.of("/usr/share/sounds/sf2/TimGM6mb.sf2"),
            Path.of("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
            Path.of("/usr/share/sounds/sf2/default-GM.sf2"));

    static final long MIN_NOTE_MICROS = 10_000;

    private static final int PIANO_PROGRAM = 0;
    private static final int DRUM_CHANNEL = 9;
    /** Event times are kept in units of 10 µs: fine for audio, and an in-memory MIDI file can hold them. */
    private static final int MICROS_PER_UNIT = 10;
    private static final int WAV_HEADER_BYTES = 44;
    /** {@code AudioSynthesizer.openStream(AudioFormat, Map)}, null when the package is not exported to us. */
    private static final Method OPEN_STREAM = findOpenStream();

    private final int sampleRate;
    private final int channels;
    private final double tailSeconds;
    private final double maxSeconds;
    private final List<Path> soundfonts;

    private boolean soundbankResolved; // guarded by this
    private Soundbank soundbank; // guarded by this
    private Path soundbankPath; // guarded by this

    /** 44.1 kHz stereo, 1 s tail, at most 5 minutes, the {@link #DEFAULT_SOUNDFONTS}. */
    public AudioRenderer() {
        this(DEFAULT_SAMPLE_RATE, DEFAULT_CHANNELS, DEFAULT_TAIL_SECONDS, DEFAULT_MAX_SECONDS, DEFAULT_SOUNDFONTS);
    }

    /**
     * @param sampleRate  frames per second, 8000..96000
     * @param channels    1 (mono) or 2 (stereo)
     * @param tailSeconds silence after the last note-off for the release and reverb to ring out, 0..10
     * @param maxSeconds  longest audio produced; longer scores are truncated, (0, {@value #MAX_SECONDS_LIMIT}]
     * @param soundfonts  soundfont files to try in order (direct rendering only); may be empty
     */
    public AudioRenderer(int sampleRate, int channels, double tailSeconds, double maxSeconds, List<Path> soundfonts) {
        if (sampleRate < 8000 || sampleRate > 96_000) {
            throw new IllegalArgumentException("sampleRate must be 8000..96000, was " + sampleRate);
        }
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("channels must be 1 or 2, was " + channels);
        }
        if (!(tailSeconds >= 0 && tailSeconds <= 10)) {
            throw new IllegalArgumentException("tailSeconds must be 0..10, was " + tailSeconds);
        }
        if (!(maxSeconds > 0 && maxSeconds <= MAX_SECONDS_LIMIT)) {
            throw new IllegalArgumentException("maxSeconds must be in (0, " + MAX_SECONDS_LIMIT + "], was " + maxSeconds);
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.tailSeconds = tailSeconds;
        this.maxSeconds = maxSeconds;
        this.soundfonts = List.copyOf(soundfonts);
    }

    /**
     * Whether this JVM lets the renderer drive Gervill directly (configurable soundfont, native
     * sample rate), i.e. was started with
     * {@code --add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED}.
     */
    public static boolean directSynthesisAvailable() {
        return OPEN_STREAM != null;
    }

    /** The output format: signed 16-bit little-endian PCM at the configured rate and channels. */
    public AudioFormat format() {
        return new AudioFormat(sampleRate, 16, channels, true, false);
    }

    /**
     * The soundfont file renders use: the first of {@code soundfonts} that loads, or empty when
     * none does or when rendering without JVM flags (then the JDK's default soundbank plays).
     */
    public Optional<Path> soundfont() {
        if (!directSynthesisAvailable()) {
            return Optional.empty();
        }
        resolveSoundbank();
        synchronized (this) {
            return Optional.ofNullable(soundbankPath);
        }
    }

    /** Length of the audio {@link #render(Score)} produces for this score, in seconds. */
    public double renderedSeconds(Score score) {
        return (double) frames(events(score)) / sampleRate;
    }

    /** Reads a Standard MIDI File with {@link MidiReader} and renders it. */
    public byte[] render(byte[] smf) throws MidiFormatException {
        return render(new MidiReader().read(smf));
    }

    /** The score as a complete WAV file (RIFF header and PCM data). */
    public byte[] render(Score score) {
        List<Event> events = events(score);
        long frames = frames(events);
        int frameBytes = 2 * channels;
        long dataBytes = frames * frameBytes;
        if (dataBytes > Integer.MAX_VALUE - WAV_HEADER_BYTES) {
            throw new IllegalArgumentException("audio of " + frames + " frames does not fit in one WAV array");
        }
        byte[] wav = new byte[WAV_HEADER_BYTES + (int) dataBytes];
        writeHeader(wav, (int) dataBytes);
        // what starts after the end is not heard; dropping it also keeps MIDI delta times small
        long endUnits = endUnits(frames);
        events = events.stream().filter(e -> e.time() <= endUnits).toList();
        if (!events.isEmpty()) {
            try {
                if (directSynthesisAvailable()) {
                    renderDirect(events, wav, WAV_HEADER_BYTES, (int) dataBytes);
                } else {
                    renderViaFileReader(events, frames, wav, WAV_HEADER_BYTES, (int) dataBytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return wav;
    }

    /** A note-on or note-off, in 10 µs units. */
    private record Event(long time, boolean on, int channel, int pitch, int velocity) {
        static final Comparator<Event> ORDER = Comparator.comparingLong(Event::time)
                .thenComparing(Event::on) // offs first: a note repeated on its channel re-attacks
                .thenComparingInt(Event::channel)
                .thenComparingInt(Event::pitch);
    }

    /**
     * Notes to channel events, each on the lowest melodic channel where its pitch is not sounding; drum hits on the
     * drum channel, where a hit sounds as long as its drum does whatever its note-off.
     */
    private static List<Event> events(Score score) {
        int[] melodic = new int[15];
        for (int ch = 0, k = 0; ch < 16; ch++) {
            if (ch != DRUM_CHANNEL) {
                melodic[k++] = ch;
            }
        }
        long[][] busyUntil = new long[melodic.length][128];
        List<Event> events = new ArrayList<>(2 * score.notes().size());
        for (Note n : score.notes()) { // sorted by onset tick; seconds follow ticks
            long on = Math.round(n.onsetSeconds() * 1e6 / MICROS_PER_UNIT);
            long off = Math.max(on + MIN_NOTE_MICROS / MICROS_PER_UNIT,
                    Math.round(n.endSeconds() * 1e6 / MICROS_PER_UNIT));
            if (DrumKit.isDrum(n)) {
                events.add(new Event(on, true, DRUM_CHANNEL, n.pitch(), n.velocity()));
                events.add(new Event(off, false, DRUM_CHANNEL, n.pitch(), 0));
                continue;
            }
            int pick = 0;
            for (int k = 0; k < melodic.length; k++) {
                if (busyUntil[k][n.pitch()] <= on) {
                    pick = k;
                    break;
                }
                if (busyUntil[k][n.pitch()] < busyUntil[pick][n.pitch()]) {
                    pick = k; // all busy: cut the one that ends soonest
                }
            }
            busyUntil[pick][n.pitch()] = off;
            events.add(new Event(on, true, melodic[pick], n.pitch(), n.velocity()));
            events.add(new Event(off, false, melodic[pick], n.pitch(), 0));
        }
        events.sort(Event.ORDER);
        return events;
    }

    /** Frames up to the last note-off plus the tail, at most {@code maxSeconds}. */
    private long frames(List<Event> events) {
        long lastUnits = events.isEmpty() ? 0 : events.get(events.size() - 1).time();
        double seconds = lastUnits * (MICROS_PER_UNIT / 1e6) + tailSeconds;
        long wanted = (long) Math.ceil(seconds * sampleRate - 1e-9);
        return Math.min(wanted, (long) Math.floor(maxSeconds * sampleRate));
    }

    /** The time of frame {@code frames}, rounded up to a whole 10 µs unit. */
    private long endUnits(long frames) {
        return (long) Math.ceil(frames * (1e6 / MICROS_PER_UNIT) / sampleRate);
    }

    private static List<ShortMessage> pianoSetup() throws InvalidMidiDataException {
        List<ShortMessage> setup = new ArrayList<>();
        for (int ch = 0; ch < 16; ch++) {
            if (ch != DRUM_CHANNEL) {
                setup.add(new ShortMessage(ShortMessage.PROGRAM_CHANGE, ch, PIANO_PROGRAM, 0));
            }
        }
        return setup;
    }

    private static ShortMessage message(Event e) throws InvalidMidiDataException {
        return e.on() ? new ShortMessage(ShortMessage.NOTE_ON, e.channel(), e.pitch(), e.velocity())
                : new ShortMessage(ShortMessage.NOTE_OFF, e.channel(), e.pitch(), 0);
    }

    private void renderDirect(List<Event> events, byte[] out, int offset, int length) throws IOException {
        Soundbank bank = resolveSoundbank();
        Synthesizer synth;
        try {
            synth = MidiSystem.getSynthesizer();
        } catch (MidiUnavailableException e) {
            throw new IllegalStateException("no software synthesizer: " + e.getMessage(), e);
        }
        if (!OPEN_STREAM.getDeclaringClass().isInstance(synth)) {
            throw new IllegalStateException("the default synthesizer " + synth.getDeviceInfo().getName()
                    + " cannot render offline");
        }
        AudioInputStream stream;
        try {
            stream = (AudioInputStream) OPEN_STREAM.invoke(synth, format(), synthesizerSettings(bank == null));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot open the synthesizer stream", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot open the synthesizer stream: " + e.getCause(), e.getCause());
        }
        try (stream) {
            if (bank != null && !synth.loadAllInstruments(bank)) {
                throw new IllegalStateException("the synthesizer rejected soundfont " + soundbankPath());
            }
            Receiver receiver = synth.getReceiver();
            for (ShortMessage m : pianoSetup()) {
                receiver.send(m, -1); // at once, before any note
            }
            // the synthesizer queues time-stamped messages and plays them as its stream is read
            for (Event e : events) {
                receiver.send(message(e), e.time() * MICROS_PER_UNIT);
            }
            readFully(stream, out, offset, length);
        } catch (InvalidMidiDataException | MidiUnavailableException e) {
            throw new IllegalStateException("cannot drive the synthesizer: " + e.getMessage(), e);
        } finally {
            synth.close();
        }
    }

    /**
     * Gervill's own defaults, spelled out: settings given here win over any stored in the user's
     * Java preferences, so the output does not depend on the account that renders.
     */
    private static Map<String, Object> synthesizerSettings(boolean loadDefaultSoundbank) {
        return Map.ofEntries(
                Map.entry("load default soundbank", loadDefaultSoundbank),
                Map.entry("interpolation", "linear"),
                Map.entry("control rate", 147f),
                Map.entry("max polyphony", 64),
                Map.entry("reverb", true),
                Map.entry("light reverb", true),
                Map.entry("chorus", true),
                Map.entry("auto gain control", true),
                Map.entry("large mode", false),
                Map.entry("midi channels", 16),
                Map.entry("jitter correction", false));
    }

    private void renderViaFileReader(List<Event> events, long frames, byte[] out, int offset, int length)
            throws IOException {
        byte[] smf;
        try {
            // one tick = 10 µs: 100 ticks per quarter note at 1000 µs per quarter note
            Sequence sequence = new Sequence(Sequence.PPQ, 100);
            Track track = sequence.createTrack();
            int usPerQuarter = 100 * MICROS_PER_UNIT;
            track.add(new MidiEvent(new MetaMessage(0x51, new byte[] {
                (byte) (usPerQuarter >> 16), (byte) (usPerQuarter >> 8), (byte) usPerQuarter}, 3), 0));
            for (ShortMessage m : pianoSetup()) {
                track.add(new MidiEvent(m, 0));
            }
            for (Event e : events) {
                track.add(new MidiEvent(message(e), e.time()));
            }
            // the reader renders only a few seconds past the last event: a marker keeps the tail in range
            track.add(new MidiEvent(new MetaMessage(0x06, new byte[] {'e', 'n', 'd'}, 3), endUnits(frames)));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            MidiSystem.write(sequence, 0, bytes);
            smf = bytes.toByteArray();
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("cannot build MIDI events: " + e.getMessage(), e);
        }
        AudioInputStream rendered;
        try {
            rendered = AudioSystem.getAudioInputStream(new ByteArrayInputStream(smf));
        } catch (UnsupportedAudioFileException e) {
            throw new IllegalStateException("this JDK has no MIDI-to-audio reader (java.desktop's Gervill)", e);
        }
        AudioFormat target = format();
        try (rendered) {
            if (rendered.getFormat().matches(target)) {
                readFully(rendered, out, offset, length);
            } else if (AudioSystem.isConversionSupported(target, rendered.getFormat())) {
                readFully(AudioSystem.getAudioInputStream(target, rendered), out, offset, length);
            } else {
                throw new IllegalStateException("cannot convert " + rendered.getFormat() + " to " + target);
            }
        }
    }

    /** Reads exactly {@code length} bytes; a stream that ends early leaves silence (zeros). */
    private static void readFully(InputStream in, byte[] out, int offset, int length) throws IOException {
        in.readNBytes(out, offset, length);
    }

    private void writeHeader(byte[] wav, int dataBytes) {
        int frameBytes = 2 * channels;
        putAscii(wav, 0, "RIFF");
        putInt(wav, 4, 36 + dataBytes);
        putAscii(wav, 8, "WAVE");
        putAscii(wav, 12, "fmt ");
        putInt(wav, 16, 16); // fmt chunk size
        putShort(wav, 20, 1); // PCM
        putShort(wav, 22, channels);
        putInt(wav, 24, sampleRate);
        putInt(wav, 28, sampleRate * frameBytes);
        putShort(wav, 32, frameBytes);
        putShort(wav, 34, 16);
        putAscii(wav, 36, "data");
        putInt(wav, 40, dataBytes);
    }

    private static void putAscii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            b[at + i] = (byte) s.charAt(i);
        }
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
    }

    private static void putInt(byte[] b, int at, int v) {
        putShort(b, at, v);
        putShort(b, at + 2, v >> 16);
    }

    private synchronized Path soundbankPath() {
        return soundbankPath;
    }

    /** Loads the first readable soundfont once; null when there is none. */
    private synchronized Soundbank resolveSoundbank() {
        if (!soundbankResolved) {
            soundbankResolved = true;
            for (Path p : soundfonts) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                try {
                    soundbank = MidiSystem.getSoundbank(p.toFile());
                    soundbankPath = p;
                    break;
                } catch (InvalidMidiDataException | IOException e) {
                    // not a usable soundfont: try the next one
                }
            }
        }
        return soundbank;
    }

    private static Method findOpenStream() {
        try {
            Class<?> type = Class.forName("com.sun.media.sound.AudioSynthesizer");
            if (!type.getModule().isExported(type.getPackageName(), AudioRenderer.class.getModule())) {
                return null;
            }
            return type.getMethod("openStream", AudioFormat.class, Map.class);
        } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "AudioRenderer[" + sampleRate + " Hz, " + channels + " ch, tail " + tailSeconds + " s, max "
                + maxSeconds + " s, " + (directSynthesisAvailable() ? "direct" : "via MIDI file reader") + "]";
    }
}
