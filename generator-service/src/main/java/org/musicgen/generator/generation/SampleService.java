package org.musicgen.generator.generation;

import org.musicgen.core.model.gan.roll.PianoRollGan;
import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.generate.SamplingParams;
import org.musicgen.core.model.generate.TokenSampler;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.musicgen.core.clip.Clip;
import org.musicgen.core.clip.LowAnchor;
import org.musicgen.core.control.Controls;
import org.musicgen.core.dataset.Checksums;
import org.musicgen.core.encoding.EncodedScore;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.midi.MidiFormatException;
import org.musicgen.core.midi.MidiReader;
import org.musicgen.core.midi.Note;
import org.musicgen.core.midi.Score;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.generator.model.LoadedModel;
import org.musicgen.generator.model.ModelCache;
import org.musicgen.generator.model.ModelCatalogue;
import org.musicgen.generator.model.TrainedModel;
import org.musicgen.generator.storage.SampleRepository;
import org.musicgen.platform.events.ControlValues;
import org.musicgen.platform.events.SampleControls;
import org.musicgen.platform.rest.ProblemException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
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
    /** Seeds of the LSTM's continuations: far from the seeds of a batch (1, 2, 3...). */
    static final long CONTINUATION_SEED_STEP = 1_000_003L;
    /** Seed of the low anchor of excerpt i: this plus i. */
    static final long ANCHOR_SEED = 2_500L;

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
     * A real excerpt of the corpus a run was trained on, cut to {@code clipSeconds} like a generated sample and
     * rendered the same way: the listening test's control. Picked by {@code index} (the same index, the same excerpt)
     * among the stored pieces that play at least that long, from one of their note onsets; see {@link #excerpt}.
     */
    public Sample excerptOnce(String sampleId, TrainedModel trained, int index, double clipSeconds) {
        Optional<Sample> existing = repository.find(sampleId);
        if (existing.isPresent()) {
            return existing.get();
        }
        Excerpt excerpt = excerpt(trained, index, clipSeconds);
        return store(sampleId, Sample.CORPUS, trained, null, null, excerpt.encoding(), index, excerpt.source(),
                excerpt.clip(), clipSeconds, null);
    }

    /**
     * The low anchor of excerpt {@code index} ({@link #excerptOnce}, stored as {@code excerptId}): the same notes
     * with their pitches scrambled within the excerpt's range ({@link LowAnchor}), rendered and stored like any
     * sample.
     */
    public Sample anchorOnce(String sampleId, String excerptId, TrainedModel trained, int index, double clipSeconds) {
        Optional<Sample> existing = repository.find(sampleId);
        if (existing.isPresent()) {
            return existing.get();
        }
        Excerpt excerpt = excerpt(trained, index, clipSeconds);
        Clip anchor = LowAnchor.of(excerpt.clip(), ANCHOR_SEED + index);
        return store(sampleId, Sample.ANCHOR, trained, null, null, excerpt.encoding(), index,
                "anchor:" + excerpt.source(), anchor, clipSeconds, excerptId);
    }

    /**
     * Excerpt {@code index} of a run's corpus, in the notes of the corpus's encoding (as its models hear it): a piece
     * drawn among those that play at least {@code clipSeconds} from their first note, and one of its onsets that
     * leaves that much music after it. A corpus without such a piece gives its longest piece, whole: shorter than the
     * clip, reported as such (never padded). A dataset stored without its pieces' notes gives its training windows.
     */
    private Excerpt excerpt(TrainedModel trained, int index, double clipSeconds) {
        Encoding encoding = models.get(trained).encoding();
        CorpusData.Dataset dataset = corpora.of(trained.corpusId());
        List<Score> pieces = dataset.encoded(encoding).map(CorpusData.Encoded::scores)
                .orElseGet(() -> dataset.sequences().sequences().stream().map(encoding::decode).toList());
        List<Integer> longEnough = new ArrayList<>();
        List<List<Double>> starts = new ArrayList<>();
        int longest = -1;
        for (int p = 0; p < pieces.size(); p++) {
            List<Double> from = clipStarts(pieces.get(p), clipSeconds);
            starts.add(from);
            if (!from.isEmpty()) {
                longEnough.add(p);
            }
            if (!pieces.get(p).notes().isEmpty()
                    && (longest < 0 || playingSeconds(pieces.get(p)) > playingSeconds(pieces.get(longest)))) {
                longest = p;
            }
        }
        if (longest < 0) {
            throw new IllegalStateException("corpus " + trained.corpusId() + " holds no notes to take an excerpt of");
        }
        if (longEnough.isEmpty()) {
            Clip whole = Clip.excerpt(pieces.get(longest), 0, clipSeconds);
            LOG.warnf("corpus %s has no piece that plays %.0f s: its excerpt %d is its longest piece, %.1f s of the "
                    + "%.0f s clip", trained.corpusId(), clipSeconds, index, whole.seconds(), clipSeconds);
            return new Excerpt(whole, "piece:" + longest + "@0.000", encoding);
        }
        Random random = new Random(31L * index + 7);
        int which = longEnough.get(random.nextInt(longEnough.size()));
        List<Double> from = starts.get(which);
        double start = from.get(random.nextInt(from.size()));
        return new Excerpt(Clip.excerpt(pieces.get(which), start, clipSeconds),
                String.format(Locale.ROOT, "piece:%d@%.3f", which, start), encoding);
    }

    /** The note onsets of a piece that the notes starting there or later play on from for at least {@code seconds}. */
    private static List<Double> clipStarts(Score piece, double seconds) {
        List<Note> notes = piece.notes();
        List<Double> starts = new ArrayList<>();
        double end = 0; // the latest end among the notes from i on (they are sorted by onset)
        for (int i = notes.size() - 1; i >= 0; i--) {
            Note n = notes.get(i);
            end = Math.max(end, n.endSeconds());
            boolean firstAtItsOnset = i == 0 || notes.get(i - 1).onsetSeconds() < n.onsetSeconds();
            if (firstAtItsOnset && end - n.onsetSeconds() >= seconds) {
                starts.add(n.onsetSeconds());
            }
        }
        Collections.reverse(starts);
        return starts;
    }

    /** Seconds from a piece's first note to its end. */
    private static double playingSeconds(Score piece) {
        return piece.notes().isEmpty() ? 0 : piece.lengthSeconds() - piece.notes().get(0).onsetSeconds();
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

    /**
     * Resolves the model, checks every parameter, generates, renders and stores. A length in seconds makes a clip:
     * enough music is generated for it ({@link #generateFor}) and then cut to exactly that length ({@link Clip}).
     */
    private Sample generate(String sampleId, SampleRequest request, byte[] promptMidi, String origin) {
        TrainedModel trained = resolve(request);
        LoadedModel model = models.get(trained);
        long t0 = System.nanoTime();
        Prompt prompt = promptMidi == null ? null : Prompt.read(promptMidi);
        Controls asked = AskedControls.read(request, prompt == null ? null : prompt.score());
        Steering steering = new Steering(asked, AskedControls.vector(asked, model.controlSpace(), trained.runId(),
                trained.model()));
        Double seconds = request.seconds();
        Sample sample;
        if (seconds != null) {
            if (request.length() != null || request.sequences() != null) {
                throw ProblemException.badRequest("ask for a length in seconds, or in events (length), or in GAN "
                        + "sequences, not several");
            }
            if (!(seconds > 0 && seconds <= config.maxSeconds())) {
                throw ProblemException.badRequest("seconds must be in (0, " + config.maxSeconds() + "], got "
                        + seconds);
            }
            Generated generated = generateFor(seconds, model, request, prompt, steering);
            sample = store(sampleId, trained.model(), trained, trained.checkpointKey(), model.checkpointEpoch(),
                    model.encoding(), generated.parameters().withSeconds(seconds), Clip.cut(generated.score(), seconds),
                    seconds, null, origin, generated.piece().length(), AskedControls.values(asked));
        } else {
            Generated generated = model.isLstm()
                    ? generateLstm(model, request, request.length(), prompt, steering)
                    : generateGan(model, request, request.length(), prompt, steering);
            SampleRenderer.Rendering rendering = renderer.render(generated.piece(), trained.corpusId());
            sample = new Sample(sampleId, trained.model(), trained.runId(), trained.corpusId(), trained.checkpointKey(),
                    model.checkpointEpoch(), model.encoding().name(), generated.parameters(), rendering.tokens(),
                    rendering.notes(), rendering.durationSeconds(), rendering.metrics(), origin, clock.instant(), null,
                    null, new SampleControls(AskedControls.values(asked), rendering.reached()));
            repository.save(sample, rendering.files());
        }
        LOG.infof("sample %s: %s run %s, %d %s ids, %d notes, %.1f s of music, in %d ms", sampleId, trained.model(),
                trained.runId(), sample.tokens(), sample.encoding(), sample.notes(), sample.durationSeconds(),
                (System.nanoTime() - t0) / 1_000_000);
        return sample;
    }

    private Sample store(String sampleId, String source, TrainedModel trained, String checkpointKey,
                         Integer checkpointEpoch, Encoding encoding, int index, String taken, Clip clip,
                         double clipSeconds, String referenceSampleId) {
        // length 0: the clip's ids, known once it is rendered
        SampleParameters parameters = new SampleParameters(0, index, null, null, null, taken, null, null,
                clipSeconds);
        return store(sampleId, source, trained, checkpointKey, checkpointEpoch, encoding, parameters, clip,
                clipSeconds, referenceSampleId, "batch", -1, null);
    }

    /**
     * Renders and stores a listening clip; one that its music could not fill is reported by name at WARN.
     *
     * @param generated ids generated for it (-1 for excerpts and anchors)
     * @param asked     the controls asked for, null when none were
     */
    private Sample store(String sampleId, String source, TrainedModel trained, String checkpointKey,
                         Integer checkpointEpoch, Encoding encoding, SampleParameters parameters, Clip clip,
                         double clipSeconds, String referenceSampleId, String origin, int generated,
                         ControlValues asked) {
        SampleRenderer.Rendering rendering = renderer.render(clip, encoding, trained.corpusId());
        if (parameters.length() == 0) {
            parameters = parameters.withLength(rendering.tokens());
        }
        Sample sample = new Sample(sampleId, source, trained.runId(), trained.corpusId(), checkpointKey,
                checkpointEpoch, encoding.name(), parameters, rendering.tokens(), rendering.notes(),
                rendering.durationSeconds(), rendering.metrics(), origin, clock.instant(), clipSeconds,
                referenceSampleId, new SampleControls(asked, rendering.reached()));
        repository.save(sample, rendering.files());
        if (!clip.fills(clipSeconds)) {
            LOG.warnf("%s run %s sample %s plays %.1f s of the %.0f s clip%s: stored and announced with its true "
                    + "length, not padded with silence", source.toUpperCase(Locale.ROOT), trained.runId(), sampleId,
                    clip.seconds(), clipSeconds, generated < 0 ? "" : " after " + generated + " generated ids (the "
                    + "most musicgen.generator.max-length or max-gan-sequences allows)");
        }
        return sample;
    }

    /**
     * Enough music for {@code seconds}: ids at the corpus's pace times {@link #SECONDS_MARGIN} (the model's window
     * when the dataset keeps no notes to measure the pace by), then, while the decoded music is still shorter, more
     * with a growing margin, up to the most a request may ask of the model ({@code max-length} ids, or
     * {@code max-gan-sequences} sequences or phrases). The LSTM continues its music; a GAN writes a longer piece from
     * the same noise seed. What is still short then is the model's own length.
     */
    private Generated generateFor(double seconds, LoadedModel model, SampleRequest request, Prompt prompt,
                                  Steering steering) {
        double pace = corpora.of(model.trained().corpusId()).encoded(model.encoding())
                .map(CorpusData.Encoded::idsPerSecond).orElse(0.0);
        if (model.isLstm()) {
            int max = config.maxLength();
            int length = pace > 0 ? (int) Math.min(max, Math.ceil(seconds * pace * SECONDS_MARGIN) + 16)
                    : Math.min(max, model.sequenceLength());
            Generated generated = generateLstm(model, request, length, prompt, steering);
            double margin = SECONDS_MARGIN;
            for (int round = 1; generated.score().lengthSeconds() < seconds && generated.piece().length() < max;
                 round++) {
                margin *= 2;
                double missing = seconds - generated.score().lengthSeconds();
                int more = pace > 0 ? (int) Math.ceil(missing * pace * margin) + 16 : generated.piece().length();
                generated = continueLstm(model, generated, Math.min(more, max - generated.piece().length()), round);
            }
            return generated;
        }
        checkGanRequest(request, prompt);
        int max = config.maxGanSequences();
        long seed = request.seed() == null ? 0L : request.seed();
        int count;
        if (model.isRollGan()) {
            // every phrase plays the same stretch of time: as many as the seconds take, at once
            count = (int) Math.min(max, Math.max(1, Math.ceil(seconds / model.rollGan().phraseSeconds())));
        } else {
            double ids = pace > 0 ? seconds * pace * SECONDS_MARGIN : model.sequenceLength();
            count = (int) Math.min(max, Math.ceil(ids / model.sequenceLength()));
        }
        Generated generated = ganPiece(model, seed, count, steering);
        while (generated.score().lengthSeconds() < seconds && count < max) {
            double length = generated.score().lengthSeconds();
            // sequences or phrases are stretches of music of about equal length: as many more as the seconds need
            // (a piece of phrases falls short by its last one's trailing rests only: one more)
            int needed = length > 0 ? (int) Math.ceil(count * seconds / length) : max;
            count = Math.min(max, model.isRollGan() ? count + 1 : Math.max(count * 2, needed));
            generated = ganPiece(model, seed, count, steering);
        }
        return generated;
    }

    /** All of {@code count} GAN sequences (token GAN) or four-bar phrases (piano-roll GAN) from one noise seed. */
    private Generated ganPiece(LoadedModel model, long seed, int count, Steering steering) {
        EncodedScore piece;
        if (model.isRollGan()) {
            PianoRollGan gan = model.rollGan();
            // its notes as the corpus's encoding keeps them, as every other source of the listening test is heard
            piece = EncodedScore.encode(model.encoding(), model.exclusively(() -> gan.score(
                    rollGanPiece(gan, seed, count, steering))));
        } else {
            piece = EncodedScore.decode(model.encoding(), ganTokens(model, seed, count, count * model.sequenceLength()));
        }
        return new Generated(piece, new SampleParameters(piece.length(), seed, null, null, null, null, null, count,
                null), null, null, steering);
    }

    private Generated generateLstm(LoadedModel model, SampleRequest request, Integer askedLength, Prompt uploaded,
                                   Steering steering) {
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
        if (uploaded != null) {
            if (request.promptLength() != null) {
                throw ProblemException.badRequest("promptLength applies to the training-data prompt, not to an "
                        + "uploaded MIDI prompt (its last " + window + " ids are used)");
            }
            prompt = promptIds(uploaded, model, window);
            promptSource = uploaded.source();
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
        int[] ids = sampleLstm(model, prompt, length, sampling, steering);
        return new Generated(EncodedScore.decode(model.encoding(), ids), parameters, prompt, sampling, steering);
    }

    /**
     * {@code more} ids after what the LSTM has written: the last window of the prompt and the sample read as the
     * prompt of the next stretch, drawn with a seed of its own ({@code round}), so that the sample goes on where it
     * stopped, the same for the same request.
     */
    private Generated continueLstm(LoadedModel model, Generated sofar, int more, int round) {
        int window = model.lstm().contextWindow();
        int[] context = concat(sofar.prompt(), sofar.ids());
        int[] prompt = Arrays.copyOfRange(context, Math.max(0, context.length - window), context.length);
        SamplingParams first = sofar.sampling();
        SamplingParams sampling = new SamplingParams(first.temperature(), first.topK(), first.topP(),
                first.seed() + CONTINUATION_SEED_STEP * round);
        int[] ids = concat(sofar.ids(), sampleLstm(model, prompt, more, sampling, sofar.steering()));
        return new Generated(EncodedScore.decode(model.encoding(), ids), sofar.parameters().withLength(ids.length),
                sofar.prompt(), first, sofar.steering());
    }

    private static int[] concat(int[] a, int[] b) {
        int[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static void checkGanRequest(SampleRequest request, Prompt prompt) {
        if ((prompt != null && !Boolean.TRUE.equals(request.likePrompt())) || request.promptLength() != null) {
            throw ProblemException.badRequest("the GAN generates from noise: a prompt applies to the LSTM only (or, "
                    + "with likePrompt, gives the GAN its controls)");
        }
        if (request.temperature() != null || request.topK() != null || request.topP() != null) {
            throw ProblemException.badRequest("temperature, topK and topP apply to the LSTM only");
        }
    }

    private Generated generateGan(LoadedModel model, SampleRequest request, Integer askedLength, Prompt prompt,
                                  Steering steering) {
        checkGanRequest(request, prompt);
        if (model.isRollGan()) {
            return generateRollGan(model, request, askedLength, steering);
        }
        int sequenceLength = model.sequenceLength();
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
        int[] tokens = ganTokens(model, seed, sequences, length);
        return new Generated(EncodedScore.decode(model.encoding(), tokens), new SampleParameters(length, seed, null,
                null, null, null, null, sequences, null), null, null, steering);
    }

    /** The first {@code length} tokens of {@code sequences} chained sequences of the token GAN. */
    private static int[] ganTokens(LoadedModel model, long seed, int sequences, int length) {
        TokenGan gan = model.gan();
        int sequenceLength = gan.config().sequenceLength();
        int[][] generated = model.exclusively(() -> gan.sample(seed, sequences));
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = generated[i / sequenceLength][i % sequenceLength];
        }
        return tokens;
    }

    /**
     * The piano-roll GAN writes a piece of consecutive four-bar phrases ({@code sequences}, or as many as
     * {@code length} ids need), which becomes notes and then ids of the corpus's encoding like any sample.
     */
    private Generated generateRollGan(LoadedModel model, SampleRequest request, Integer askedLength,
                                      Steering steering) {
        int maxPhrases = config.maxGanSequences();
        Integer asked = request.sequences() == null ? null
                : within("sequences", request.sequences(), 1, 1, maxPhrases);
        Integer length = askedLength == null ? null
                : within("length", askedLength, 1, 1, config.maxLength());
        long seed = request.seed() == null ? 0L : request.seed();
        int phrases = asked != null ? asked : Math.min(DEFAULT_PHRASES, maxPhrases);
        Generated piece = ganPiece(model, seed, phrases, steering);
        // a length the phrases do not reach asks for more of them (each phrase is a fixed stretch of music)
        while (asked == null && length != null && piece.piece().length() < length && phrases < maxPhrases) {
            phrases = Math.min(maxPhrases, phrases * 2);
            piece = ganPiece(model, seed, phrases, steering);
        }
        if (length == null || piece.piece().length() <= length) {
            return piece;
        }
        int[] tokens = Arrays.copyOf(piece.ids(), length);
        return new Generated(EncodedScore.decode(model.encoding(), tokens), piece.parameters().withLength(length),
                null, null, steering);
    }

    private static int[] promptIds(Prompt prompt, LoadedModel model, int window) {
        int[] ids = model.encoding().encode(prompt.score());
        if (ids.length == 0) {
            throw ProblemException.badRequest("the MIDI prompt holds no notes");
        }
        return Arrays.copyOfRange(ids, Math.max(0, ids.length - window), ids.length);
    }

    /**
     * {@code length} ids after {@code prompt} in the encoding's grammar (no {@code <unk>}, and in the performance
     * encoding no stray NOTE_OFF or stuck note), steered by the asked controls when there are any.
     */
    private static int[] sampleLstm(LoadedModel model, int[] prompt, int length, SamplingParams sampling,
                                    Steering steering) {
        if (steering.vector() == null) {
            return TokenSampler.generate(model.lstm(), prompt, length, sampling, model.encoding()::grammar);
        }
        // the same vector at every step: the controls describe the whole piece asked for
        return TokenSampler.generate(model.lstm(), new int[][] {prompt}, length, new SamplingParams[] {sampling},
                model.encoding()::grammar, new float[][] {steering.vector()})[0];
    }

    /** Every phrase asked for the same controls (MidiNet's condition): the piece, not a phrase, was asked for them. */
    private static PianoRoll rollGanPiece(PianoRollGan gan, long seed, int phrases, Steering steering) {
        return steering.vector() == null ? gan.piece(seed, phrases) : gan.piece(seed, phrases, steering.asked());
    }

    private static int within(String name, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw ProblemException.badRequest(name + " must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    /**
     * An uploaded MIDI prompt: its notes as they sound (the sustain pedal folded into the note lengths, as the corpus
     * was read) and where it came from ({@code midi:<sha-256>}).
     */
    private record Prompt(Score score, String source) {

        static Prompt read(byte[] midi) {
            try {
                return new Prompt(MidiReader.sounding().read(midi), "midi:" + Checksums.sha256(midi));
            } catch (MidiFormatException e) {
                throw ProblemException.badRequest("the prompt is not a readable MIDI file: " + e.getMessage());
            }
        }
    }

    /** The controls asked ({@link Controls#none()} for none) and the vector the model reads them as (null for none). */
    private record Steering(Controls asked, float[] vector) {
    }

    /**
     * The piece a model wrote (its ids and notes, made once) and the controls it was steered by; for the LSTM also
     * the prompt and sampling it continues from.
     */
    private record Generated(EncodedScore piece, SampleParameters parameters, int[] prompt, SamplingParams sampling,
                             Steering steering) {

        int[] ids() {
            return piece.ids();
        }

        Score score() {
            return piece.score();
        }
    }

    /** A clip of real music and where in the corpus it was taken from ({@code piece:<index>@<seconds>}). */
    private record Excerpt(Clip clip, String source, Encoding encoding) {
    }
}
