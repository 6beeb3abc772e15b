package org.musicgen.generator.generation;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.musicgen.core.dataset.Checksums;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.model.GanModel;
import org.musicgen.core.model.PianoRollGan;
import org.musicgen.core.model.Sampler;
import org.musicgen.core.model.SamplingParams;
import org.musicgen.generator.model.LoadedModel;
import org.musicgen.generator.model.ModelCache;
import org.musicgen.generator.model.ModelCatalogue;
import org.musicgen.generator.model.TrainedModel;
import org.musicgen.generator.storage.SampleRepository;
import org.musicgen.platform.rest.ProblemException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Generates samples: resolves the model, checks every parameter before anything is written, generates ids of the
 * model's encoding (read from its checkpoint), renders them and stores the result.
 */
@ApplicationScoped
public class SampleService {

    private static final Logger LOG = Logger.getLogger(SampleService.class);
    static final int DEFAULT_PROMPT_LENGTH = 16;
    /** Four-bar phrases of a piano-roll GAN sample when neither sequences nor length is asked: 16 bars, 32 s. */
    static final int DEFAULT_PHRASES = 4;
    static final double DEFAULT_TOP_P = 0.95;
    /** Ids generated for a length in seconds, beyond the corpus's pace, before the sample is cut to the seconds. */
    static final double SECONDS_MARGIN = 1.3;

    private final ModelCatalogue catalogue;
    private final ModelCache models;
    private final CorpusData corpora;
    private final SampleRenderer renderer;
    private final SampleRepository repository;
    private final GeneratorConfig config;
    private final Clock clock;

    public SampleService(ModelCatalogue catalogue, ModelCache models, CorpusData corpora, SampleRenderer renderer,
                         SampleRepository repository, GeneratorConfig config) {
        this.catalogue = catalogue;
        this.models = models;
        this.corpora = corpora;
        this.renderer = renderer;
        this.repository = repository;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    /** A new sample with a fresh id, asked for over the API; {@code promptMidi} may be null. */
    public Sample generate(SampleRequest request, byte[] promptMidi) {
        return generate(UUID.randomUUID().toString(), request, promptMidi, "request");
    }

    /**
     * Ids per sample of a trained model's automatic batch, and per corpus excerpt: {@code batch-length} when set,
     * else {@code batch-seconds} of music at the corpus's own pace of ids per second (so that both encodings give
     * samples of comparable music), else (a dataset without stored notes) the model's window. At most what a request
     * may ask of that model.
     */
    public int batchLength(TrainedModel trained) {
        LoadedModel model = models.get(trained);
        int max = model.isLstm() || model.isRollGan() ? config.maxLength()
                : Math.min(config.maxLength(), config.maxGanSequences() * model.sequenceLength());
        if (config.batchLength() > 0) {
            return Math.min(config.batchLength(), max);
        }
        double idsPerSecond = corpora.of(trained.corpusId()).encoded(model.encoding())
                .map(CorpusData.Encoded::idsPerSecond).orElse(0.0);
        if (!(idsPerSecond > 0)) {
            return Math.min(model.sequenceLength(), max);
        }
        return (int) Math.max(2, Math.min(max, Math.round(config.batchSeconds() * idsPerSecond)));
    }

    /**
     * A real excerpt of the corpus a run was trained on, {@code length} ids of its encoding rendered like a generated
     * sample: the listening test's control. The excerpt is picked by {@code index} among the stored pieces at least
     * that long (the longest piece, whole, when none is), so the same index gives the same excerpt. A dataset without
     * stored notes gives a training window instead.
     */
    public Sample excerptOnce(String sampleId, TrainedModel trained, int index, int length) {
        Optional<Sample> existing = repository.find(sampleId);
        if (existing.isPresent()) {
            return existing.get();
        }
        LoadedModel model = models.get(trained);
        CorpusData.Dataset dataset = corpora.of(trained.corpusId());
        Random random = new Random(31L * index + 7);
        int[] ids;
        String source;
        Optional<CorpusData.Encoded> encoded = dataset.encoded(model.encoding());
        if (encoded.isPresent()) {
            List<int[]> pieces = encoded.get().pieces();
            List<Integer> longEnough = new ArrayList<>();
            int longest = 0;
            for (int p = 0; p < pieces.size(); p++) {
                if (pieces.get(p).length >= length) {
                    longEnough.add(p);
                }
                if (pieces.get(p).length > pieces.get(longest).length) {
                    longest = p;
                }
            }
            int which = longEnough.isEmpty() ? longest : longEnough.get(random.nextInt(longEnough.size()));
            int[] piece = pieces.get(which);
            int offset = piece.length > length ? random.nextInt(piece.length - length + 1) : 0;
            ids = Arrays.copyOfRange(piece, offset, Math.min(piece.length, offset + length));
            source = "piece:" + which + "@" + offset;
        } else {
            List<int[]> sequences = dataset.sequences().sequences();
            if (sequences.isEmpty()) {
                throw new IllegalStateException("corpus " + trained.corpusId() + " has no sequences");
            }
            int which = random.nextInt(sequences.size());
            ids = sequences.get(which);
            source = "dataset:" + which + "@0";
        }
        if (ids.length == 0) {
            throw new IllegalStateException("corpus " + trained.corpusId() + " gave an empty excerpt");
        }
        SampleParameters parameters = new SampleParameters(ids.length, index, null, null, null, source, null, null,
                null);
        SampleRenderer.Rendering rendering = renderer.render(ids, model.encoding(), trained.corpusId());
        Sample sample = new Sample(sampleId, Sample.CORPUS, trained.runId(), trained.corpusId(), null, null,
                model.encoding().name(), parameters, ids.length, rendering.notes(), rendering.durationSeconds(),
                rendering.metrics(), "batch", clock.instant());
        repository.save(sample, rendering.files());
        return sample;
    }

    public TrainedModel resolve(SampleRequest request) {
        if (request.runId() != null && !request.runId().isBlank()) {
            return catalogue.find(request.runId()).orElseThrow(() -> catalogue.trainerKnows(request.runId())
                    ? ProblemException.conflict("run '" + request.runId() + "' has not finished training yet; "
                    + "samples can be generated once it is COMPLETED")
                    : ProblemException.notFound("no trained model for run '" + request.runId() + "'"));
        }
        if (request.corpusId() == null || request.corpusId().isBlank()) {
            throw ProblemException.badRequest("give a runId, or a corpusId with model 'lstm' or 'gan'");
        }
        if (!"lstm".equals(request.model()) && !"gan".equals(request.model())) {
            throw ProblemException.badRequest("model must be 'lstm' or 'gan' when a corpusId is given, got '"
                    + request.model() + "'");
        }
        return catalogue.latest(request.corpusId(), request.model()).orElseThrow(() -> ProblemException.notFound(
                "no trained " + request.model() + " model for corpus '" + request.corpusId() + "'"));
    }

    /** The samples with these ids, one per request, generated and stored unless they already are. */
    public List<Sample> generateAllOnce(List<String> sampleIds, List<SampleRequest> requests, String origin) {
        if (sampleIds.size() != requests.size()) {
            throw new IllegalArgumentException("one request per sample id");
        }
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < sampleIds.size(); i++) {
            Optional<Sample> existing = repository.find(sampleIds.get(i));
            samples.add(existing.isPresent() ? existing.get() : generate(sampleIds.get(i), requests.get(i), null,
                    origin));
        }
        return samples;
    }

    private Sample generate(String sampleId, SampleRequest request, byte[] promptMidi, String origin) {
        return finish(sampleId, start(request, promptMidi), origin);
    }

    /** Resolves the model, checks the parameters and generates the ids (on the caller's thread). */
    private Started start(SampleRequest request, byte[] promptMidi) {
        TrainedModel trained = resolve(request);
        LoadedModel model = models.get(trained);
        long t0 = System.nanoTime();
        Double seconds = request.seconds();
        Integer length = request.length();
        if (seconds != null) {
            if (length != null || request.sequences() != null) {
                throw ProblemException.badRequest("ask for a length in seconds, or in events (length), or in GAN "
                        + "sequences, not several");
            }
            if (!(seconds > 0 && seconds <= config.maxSeconds())) {
                throw ProblemException.badRequest("seconds must be in (0, " + config.maxSeconds() + "], got "
                        + seconds);
            }
            length = idsFor(seconds, model, trained);
        }
        Generated generated = model.isLstm()
                ? generateLstm(model, request, length, promptMidi)
                : generateGan(model, request, length, promptMidi);
        return new Started(trained, model, generated, seconds, t0);
    }

    /** Cuts the ids to the seconds asked, renders and stores the sample. */
    private Sample finish(String sampleId, Started started, String origin) {
        Generated generated = started.generated();
        LoadedModel model = started.model();
        TrainedModel trained = started.trained();
        int[] ids = generated.tokens();
        SampleParameters parameters = generated.parameters();
        if (started.seconds() != null) {
            ids = cutToSeconds(ids, model.encoding(), started.seconds());
            parameters = parameters.withSeconds(started.seconds());
        }
        SampleRenderer.Rendering rendering = renderer.render(ids, model.encoding(), trained.corpusId());
        Sample sample = new Sample(sampleId, trained.model(), trained.runId(), trained.corpusId(),
                trained.checkpointKey(), model.checkpointEpoch(), model.encoding().name(), parameters,
                ids.length, rendering.notes(), rendering.durationSeconds(), rendering.metrics(), origin,
                clock.instant());
        repository.save(sample, rendering.files());
        LOG.infof("sample %s: %s run %s, %d %s ids, %d notes, %.1f s of music, in %d ms", sampleId, trained.model(),
                trained.runId(), sample.tokens(), sample.encoding(), sample.notes(), sample.durationSeconds(),
                (System.nanoTime() - started.t0()) / 1_000_000);
        return sample;
    }

    /**
     * Ids to generate for {@code seconds} of music: the corpus's pace with a margin (a sample's pace varies), so that
     * {@link #cutToSeconds} has enough to cut from; at most what a request may ask.
     */
    private int idsFor(double seconds, LoadedModel model, TrainedModel trained) {
        double idsPerSecond = corpora.of(trained.corpusId()).encoded(model.encoding())
                .map(CorpusData.Encoded::idsPerSecond).orElse(0.0);
        if (!(idsPerSecond > 0)) {
            throw ProblemException.badRequest("the corpus of run " + trained.runId() + " keeps no notes to measure "
                    + "its pace by: ask for a length in events instead of seconds");
        }
        return (int) Math.min(config.maxLength(), Math.ceil(seconds * idsPerSecond * SECONDS_MARGIN) + 16);
    }

    /** The shortest prefix of {@code ids} that plays at least {@code seconds} (all of them when none does). */
    static int[] cutToSeconds(int[] ids, Encoding encoding, double seconds) {
        if (encoding.decode(ids).lengthSeconds() <= seconds) {
            return ids;
        }
        int low = 1;
        int high = ids.length; // plays more than asked
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (encoding.decode(Arrays.copyOf(ids, mid)).lengthSeconds() >= seconds) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return Arrays.copyOf(ids, high);
    }

    private Generated generateLstm(LoadedModel model, SampleRequest request, Integer askedLength,
                                                      byte[] promptMidi) {
        if (request.sequences() != null) {
            throw ProblemException.badRequest("'sequences' applies to the GAN only");
        }
        int window = model.lstm().contextWindow();
        int length = within("length", askedLength, window + 1, 1, config.maxLength());
        long seed = request.seed() == null ? 0L : request.seed();
        double temperature = request.temperature() == null ? 1.0 : request.temperature();
        int topK = request.topK() == null ? 0 : request.topK();
        double topP = request.topP() == null ? DEFAULT_TOP_P : request.topP();
        SamplingParams sampling;
        try {
            sampling = new SamplingParams(temperature, topK, topP, seed);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        if (topK > model.encoding().size()) {
            throw ProblemException.badRequest("topK must be at most the size of the model's " + model.encoding().name()
                    + " vocabulary, " + model.encoding().size() + ", got " + topK);
        }
        int[] prompt;
        String promptSource;
        if (promptMidi != null) {
            if (request.promptLength() != null) {
                throw ProblemException.badRequest("promptLength applies to the training-data prompt, not to an "
                        + "uploaded MIDI prompt (its last " + window + " ids are used)");
            }
            prompt = promptFromMidi(promptMidi, model, window);
            promptSource = "midi:" + Checksums.sha256(promptMidi);
        } else {
            int promptLength = within("promptLength", request.promptLength(), DEFAULT_PROMPT_LENGTH, 1, window);
            List<int[]> sequences = corpora.of(model.trained().corpusId()).sequences().sequences();
            Random random = new Random(seed);
            int which = random.nextInt(sequences.size());
            int[] sequence = sequences.get(which);
            int offset = random.nextInt(Math.max(1, sequence.length - promptLength + 1));
            prompt = Arrays.copyOfRange(sequence, offset, Math.min(sequence.length, offset + promptLength));
            promptSource = "dataset:" + which + "@" + offset;
        }
        SampleParameters parameters = new SampleParameters(length, seed, temperature, topK, topP, promptSource,
                prompt.length, null, null);
        // the encoding's grammar: no <unk>, and in the performance encoding no stray NOTE_OFF or stuck note
        return new Generated(Sampler.generate(model.lstm(), prompt, length, sampling, model.encoding()::grammar),
                parameters);
    }

    private Generated generateGan(LoadedModel model, SampleRequest request, Integer askedLength, byte[] promptMidi) {
        if (promptMidi != null || request.promptLength() != null) {
            throw ProblemException.badRequest("the GAN generates from noise: a prompt applies to the LSTM only");
        }
        if (request.temperature() != null || request.topK() != null || request.topP() != null) {
            throw ProblemException.badRequest("temperature, topK and topP apply to the LSTM only");
        }
        if (model.isRollGan()) {
            return generateRollGan(model, request, askedLength);
        }
        GanModel gan = model.gan();
        int sequenceLength = gan.config().sequenceLength();
        int maxTokens = config.maxGanSequences() * sequenceLength;
        if (request.sequences() != null) {
            within("sequences", request.sequences(), 1, 1, config.maxGanSequences());
        }
        int defaultLength = request.sequences() == null ? sequenceLength : request.sequences() * sequenceLength;
        int length = within("length", askedLength, defaultLength, 1, maxTokens);
        int sequences = request.sequences() == null ? (length + sequenceLength - 1) / sequenceLength
                : request.sequences();
        if ((long) sequences * sequenceLength < length) {
            throw ProblemException.badRequest(sequences + " sequences of " + sequenceLength
                    + " tokens cannot give " + length + " tokens");
        }
        long seed = request.seed() == null ? 0L : request.seed();
        int[][] generated = model.exclusively(() -> gan.sample(seed, sequences));
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = generated[i / sequenceLength][i % sequenceLength];
        }
        return new Generated(tokens, new SampleParameters(length, seed, null, null, null, null, null, sequences,
                null));
    }

    /**
     * The piano-roll GAN writes a piece of consecutive four-bar phrases ({@code sequences}, or as many as
     * {@code length} ids need), which becomes notes and then ids of the corpus's encoding like any sample.
     */
    private Generated generateRollGan(LoadedModel model, SampleRequest request, Integer askedLength) {
        PianoRollGan gan = model.rollGan();
        int maxPhrases = config.maxGanSequences();
        Integer asked = request.sequences() == null ? null
                : within("sequences", request.sequences(), 1, 1, maxPhrases);
        Integer length = askedLength == null ? null
                : within("length", askedLength, 1, 1, config.maxLength());
        long seed = request.seed() == null ? 0L : request.seed();
        int phrases = asked != null ? asked : Math.min(DEFAULT_PHRASES, maxPhrases);
        int[] ids = rollIds(model, gan, seed, phrases);
        // a length the phrases do not reach asks for more of them (each phrase is a fixed stretch of music)
        while (asked == null && length != null && ids.length < length && phrases < maxPhrases) {
            phrases = Math.min(maxPhrases, phrases * 2);
            ids = rollIds(model, gan, seed, phrases);
        }
        int[] tokens = length == null || ids.length <= length ? ids : Arrays.copyOf(ids, length);
        return new Generated(tokens, new SampleParameters(tokens.length, seed, null, null, null, null, null,
                phrases, null));
    }

    private static int[] rollIds(LoadedModel model, PianoRollGan gan, long seed, int phrases) {
        return model.encoding().encode(model.exclusively(() -> gan.score(gan.piece(seed, phrases))));
    }

    private static int[] promptFromMidi(byte[] midi, LoadedModel model, int window) {
        int[] ids;
        try {
            // what sounds, as the corpus was read: the sustain pedal folded into the note lengths
            ids = model.encoding().encode(MidiReader.sounding().read(midi));
        } catch (MidiFormatException e) {
            throw ProblemException.badRequest("the prompt is not a readable MIDI file: " + e.getMessage());
        }
        if (ids.length == 0) {
            throw ProblemException.badRequest("the MIDI prompt holds no notes");
        }
        return Arrays.copyOfRange(ids, Math.max(0, ids.length - window), ids.length);
    }

    private static int within(String name, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw ProblemException.badRequest(name + " must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    private record Generated(int[] tokens, SampleParameters parameters) {
    }

    /** A sample whose ids are generated, not yet rendered; {@code seconds} as asked, if asked in seconds. */
    private record Started(TrainedModel trained, LoadedModel model, Generated generated, Double seconds, long t0) {
    }
}
