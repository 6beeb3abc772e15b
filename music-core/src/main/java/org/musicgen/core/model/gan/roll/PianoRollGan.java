package org.musicgen.core.model.gan.roll;

import org.musicgen.core.model.net.GradMode;
import org.musicgen.core.model.net.Initialisers;
import org.musicgen.core.model.net.ParameterBytes;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.musicgen.core.control.ControlSpace;
import org.musicgen.core.control.Controls;
import org.musicgen.core.midi.Score;
import org.musicgen.core.roll.PianoRoll;
import org.musicgen.core.roll.RollGrid;

/**
 * The piano-roll GAN (the study's shapes on MuseGAN's data). Generator: fully connected layers from seeded noise to
 * the 88 keys x frames of a multi-bar phrase, spread over {@link RollGanConfig#timeScales}, one sigmoid per cell; a
 * phrase is read from the cells by {@link #decode}. Discriminator: reads the phrase frame by frame - each frame's
 * keys and, with {@link RollGanConfig#onsetStream}, their changes from the previous frame, a linear projection, an LSTM,
 * the mean of its outputs over time with the batch's spread, a fully connected LeakyReLU layer (the features the
 * generator's feature-matching term compares) and one logit. Owns its {@link NDManager}.
 *
 * <p>With {@link RollGanConfig#controls} it is conditioned as MidiNet is: the condition vector ({@link ControlSpace}'s
 * layout, all zeros for "no controls") is joined to the generator's noise and to every frame the discriminator reads,
 * so the discriminator judges "real for this condition" and the generator must write what it was asked for; as in
 * MidiNet it is joined to the later layers' inputs too (each generator layer, the discriminator's dense layer), where
 * a key is a plain bias of its pitch classes' cells rather than something to carry through every layer.
 * Without, its networks and parameters are those of the unconditioned GAN before controls existed.
 *
 * <p>With {@link RollGanConfig#drums} every frame has, after its 88 keys, one cell per {@link PianoRoll#DRUMS drum
 * class}, written by the same generator and read by the same discriminator (MuseGAN's drums as one more track). A drum
 * cell is a hit: it is read at {@link #THRESHOLD} without hysteresis, and its logit is the generator's own output for
 * it, not spread over {@link RollGanConfig#timeScales} (a hit is not held, so a beat-long average would only make the
 * generator undo it). Without, every frame is the 88 keys and the networks are those of before drums existed.
 */
public final class PianoRollGan implements AutoCloseable {
    /**
     * Training phrases start every this many bars: each bar is seen in two positions of a four-bar phrase, and an
     * epoch over piano-midi's training pieces stays near a minute on two cores.
     */
    public static final int TRAINING_HOP_BARS = 2;
    /** A note starts where the generator gives a cell at least this probability ({@link RollGanConfig#holdThreshold}). */
    public static final float THRESHOLD = 0.5f;
    /** Initial bias of every output cell: piano rolls are about 95 % silence, so start near that density. */
    private static final float SILENT_BIAS = -3f;
    /**
     * Initial bias of every drum cell: a groove hits about one drum class in ten per sixteenth (the groove corpus's
     * 14 hits a bar over 9 classes x 16 steps), so start near that.
     */
    private static final float SILENT_DRUM_BIAS = -2.5f;
    /** A roll has neither tempo nor dynamics: its phrases are played at 120 beats a minute, mezzo-forte. */
    public static final double SECONDS_PER_BEAT = 0.5;
    public static final int VELOCITY = 72;
    /** Correlation of the noise of consecutive phrases of one piece, so a piece moves on without jumping. */
    private static final double PHRASE_NOISE_CORRELATION = 0.8;

    private final RollGanConfig config;
    private final RollGrid grid;
    /** Cells a frame: the 88 keys, and the drum classes with drums. */
    private final int width;
    private final Device device;
    /** Null when the model reads no controls. */
    private final ControlSpace controlSpace;
    private final NDManager manager;
    private final SequentialBlock generator;
    private final SequentialBlock features;
    private final Linear critic;

    private PianoRollGan(RollGanConfig config, Device device) {
        this.config = Objects.requireNonNull(config, "config");
        this.grid = new RollGrid(4, 4, config.bars());
        this.width = PianoRoll.KEYS + (config.drums() ? PianoRoll.DRUMS : 0);
        this.device = device == null ? Device.cpu() : device;
        this.controlSpace = config.controlSpace().orElse(null);
        this.manager = NDManager.newBaseManager(this.device);
        int frames = grid.frames();
        int conditionSize = controlSpace == null ? 0 : controlSpace.size();
        // conditioned, every fully connected layer reads the condition beside its input (MidiNet)
        generator = controlSpace == null ? new SequentialBlock() : new ConditionedSequence();
        for (int h : config.generatorHidden()) {
            addLayer(generator, Linear.builder().setUnits(h).build());
            generator.add(Activation.leakyReluBlock(0.2f));
        }
        addLayer(generator, Linear.builder().setUnits((long) frames * width).build());
        if (config.timeScales().size() > 1 || config.timeScales().get(0) != 1) {
            generator.add(new LambdaBlock(list -> new NDList(summedOverScales(list.singletonOrThrow()))));
        }
        // conditioned, every frame's projection and the summary's dense layer read the condition too
        features = controlSpace == null ? new SequentialBlock() : new ConditionedSequence();
        if (config.onsetStream()) {
            features.add(new LambdaBlock(list -> new NDList(withChanges(list.singletonOrThrow()))));
        }
        if (config.drums()) {
            features.add(new LambdaBlock(list -> new NDList(withPlaceInBar(list.singletonOrThrow()))));
        }
        addLayer(features, Linear.builder().setUnits(config.discriminatorEmbedding()).optBias(false).build());
        features.add(LSTM.builder()
                .setStateSize(config.discriminatorHidden())
                .setNumLayers(config.discriminatorLayers())
                .optBatchFirst(true)
                .build());
        features.add(new LambdaBlock(list -> new NDList(withBatchSpread(list.singletonOrThrow().mean(new int[] {1})))));
        addLayer(features, Linear.builder().setUnits(config.discriminatorDense()).build());
        features.add(Activation.leakyReluBlock(0.2f));
        critic = Linear.builder().setUnits(1).build();
        try {
            Shape[] condition = controlSpace == null ? new Shape[0] : new Shape[] {new Shape(1, conditionSize)};
            generator.initialize(manager, DataType.FLOAT32, withCondition(new Shape(1, config.noiseSize()), condition));
            features.initialize(manager, DataType.FLOAT32, withCondition(new Shape(1, frames, width),
                    condition));
            critic.initialize(manager, DataType.FLOAT32, new Shape(1, config.discriminatorDense()));
            Random random = new Random(config.seed());
            Initialisers.initialise(generator, random);
            Initialisers.initialise(features, random);
            Initialisers.initialise(critic, random);
            List<Parameter> out = new ArrayList<>();
            generator.getParameters().forEach(p -> out.add(p.getValue()));
            Parameter bias = out.get(out.size() - 1);
            float[] silent = new float[(int) bias.getArray().getShape().size()];
            Arrays.fill(silent, SILENT_BIAS / config.timeScales().size());
            if (config.drums()) {
                for (int f = 0; f < frames; f++) {
                    Arrays.fill(silent, f * width + PianoRoll.KEYS, (f + 1) * width, SILENT_DRUM_BIAS);
                }
            }
            Initialisers.set(bias, silent);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The last layer's outputs (batch, frames x 88) as cell logits: for every time scale, each key's outputs averaged
     * over the scale's spans of frames and held across them, summed over the scales. The same set of functions as the
     * outputs themselves (the map is invertible), but a step that moves one cell moves its beat with it, so the
     * generator finds held notes as easily as single cells - without a parameter more.
     */
    NDArray summedOverScales(NDArray outputs) {
        if (config.drums()) {
            // the keys spread over the time scales, the drums' own outputs beside them (see the class comment)
            long batch = outputs.getShape().get(0);
            NDArray frames = outputs.reshape(batch, grid.frames(), width);
            NDArray keys = keysOverScales(frames.get(":, :, 0:" + PianoRoll.KEYS)
                    .reshape(batch, (long) grid.frames() * PianoRoll.KEYS))
                    .reshape(batch, grid.frames(), PianoRoll.KEYS);
            return keys.concat(frames.get(":, :, " + PianoRoll.KEYS + ":"), 2)
                    .reshape(batch, (long) grid.frames() * width);
        }
        return keysOverScales(outputs);
    }

    private NDArray keysOverScales(NDArray outputs) {
        long batch = outputs.getShape().get(0);
        int frames = grid.frames();
        NDArray sum = null;
        for (int scale : config.timeScales()) {
            NDArray spans = outputs.reshape(batch, frames / scale, scale, PianoRoll.KEYS);
            NDArray held = (scale == 1 ? spans : spans.mean(new int[] {2}, true).broadcast(spans.getShape()))
                    .reshape(batch, (long) frames * PianoRoll.KEYS);
            sum = sum == null ? held : sum.add(held);
        }
        return sum;
    }

    /**
     * Appends to every frame of rolls (batch, frames, 88) its change from the previous frame (the first from
     * silence): +1 where a key starts, -1 where it stops. A single-sixteenth note is then two large changes rather
     * than one cell among thousands, and the discriminator can count notes and their lengths.
     */
    static NDArray withChanges(NDArray rolls) {
        Shape shape = rolls.getShape();
        long frames = shape.get(1);
        NDArray silence = rolls.getManager().zeros(new Shape(shape.get(0), 1, shape.get(2)), rolls.getDataType());
        NDArray previous = frames == 1 ? silence : silence.concat(rolls.get(":, 0:" + (frames - 1) + ", :"), 1);
        return rolls.concat(rolls.sub(previous), 2);
    }

    /**
     * Appends to every frame of rolls (batch, frames, n) its place in the bar, one-hot over the bar's steps. A groove
     * is where its hits fall in the bar (a kick on one, a snare on two and four); an LSTM that must count steps to
     * know where it is learnt that slowly (a toy drum GAN's phrases had 40 % of their hits off the eighths after 120
     * steps without, against none in the corpus). Drum models only: a piano model's networks stay those of before.
     */
    NDArray withPlaceInBar(NDArray rolls) {
        Shape shape = rolls.getShape();
        int frames = (int) shape.get(1);
        int steps = grid.stepsPerBar();
        float[] places = new float[frames * steps];
        for (int f = 0; f < frames; f++) {
            places[f * steps + f % steps] = 1f;
        }
        NDArray place = rolls.getManager().create(places, new Shape(1, frames, steps))
                .broadcast(new Shape(shape.get(0), frames, steps));
        return rolls.concat(place.toType(rolls.getDataType(), false), 2);
    }

    /** Adds a layer that, in a conditioned model, also reads the condition. */
    private static void addLayer(SequentialBlock sequence, ai.djl.nn.Block layer) {
        if (sequence instanceof ConditionedSequence conditioned) {
            conditioned.addJoined(layer);
        } else {
            sequence.add(layer);
        }
    }

    private static Shape[] withCondition(Shape input, Shape[] condition) {
        Shape[] out = new Shape[1 + condition.length];
        out[0] = input;
        System.arraycopy(condition, 0, out, 1, condition.length);
        return out;
    }

    /**
     * Appends to every phrase's summary how much the batch's summaries differ (their standard deviation over the
     * batch, averaged; ProGAN's minibatch standard deviation): real batches are varied, so a generator that plays the
     * same phrase for every noise is told apart, which is what keeps it from collapsing.
     */
    private static NDArray withBatchSpread(NDArray summaries) {
        long batch = summaries.getShape().get(0);
        NDArray centred = summaries.sub(summaries.mean(new int[] {0}, true));
        NDArray spread = centred.mul(centred).mean(new int[] {0}).add(1e-8f).sqrt().mean();
        return summaries.concat(spread.reshape(1, 1).repeat(0, batch), 1);
    }

    public static PianoRollGan create(RollGanConfig config, Device device) {
        return new PianoRollGan(config, device);
    }

    public static PianoRollGan load(RollGanConfig config, Device device, byte[] parameters) {
        return ParameterBytes.loadedOrClosed(new PianoRollGan(config, device),
                model -> model.loadParameters(parameters));
    }

    /** Replaces the parameters with those {@link #saveParameters} wrote for the same configuration. */
    public void loadParameters(byte[] parameters) {
        ParameterBytes.load(manager, parameters, generator, features, critic);
    }

    public RollGanConfig config() {
        return config;
    }

    /** The grid of the phrases it writes. */
    public RollGrid grid() {
        return grid;
    }

    /** Cells of a frame as the networks see them: the 88 keys, then the drum classes when it writes drums. */
    int frameWidth() {
        return width;
    }

    /** Cells of a phrase as the networks see them. */
    int phraseCells() {
        return grid.frames() * width;
    }

    /**
     * Writes a phrase as 1s and 0s into {@code target[offset .. offset + phraseCells())}, frame by frame: its keys and,
     * when the model writes drums, its drum hits.
     */
    void fill(PianoRoll roll, float[] target, int offset) {
        if (!config.drums()) {
            roll.fill(target, offset);
            return;
        }
        Arrays.fill(target, offset, offset + phraseCells(), 0f);
        for (int c : roll.cells()) {
            target[offset + c / PianoRoll.KEYS * width + c % PianoRoll.KEYS] = 1f;
        }
        for (int c : roll.drumCells()) {
            target[offset + c / PianoRoll.DRUMS * width + PianoRoll.KEYS + c % PianoRoll.DRUMS] = 1f;
        }
    }

    public Device device() {
        return device;
    }

    /** How the model reads controls; empty when it was trained without them. */
    public Optional<ControlSpace> controlSpace() {
        return Optional.ofNullable(controlSpace);
    }

    /** Native arrays the model holds now: constant across epochs unless something leaks. */
    public int nativeArrayCount() {
        return manager.getManagedArrays().size();
    }

    NDManager manager() {
        return manager;
    }

    SequentialBlock generator() {
        return generator;
    }

    /** The discriminator's blocks: features, then the logit. */
    List<ai.djl.nn.Block> discriminatorBlocks() {
        return List.of(features, critic);
    }

    /** Cell probabilities (batch, frames, 88) from noise and the condition (batch, c; null without controls). */
    NDArray generate(ParameterStore store, NDArray noise, NDArray condition, boolean training) {
        NDList input = condition == null ? new NDList(noise) : new NDList(noise, condition);
        NDArray logits = generator.forward(store, input, training).singletonOrThrow();
        return logits.getNDArrayInternal().sigmoid().reshape(noise.getShape().get(0), grid.frames(), width);
    }

    /** Discriminator features (batch, dense) of rolls (batch, frames, 88) under their conditions (null: none). */
    NDArray features(ParameterStore store, NDArray rolls, NDArray condition, boolean training) {
        NDList input = condition == null ? new NDList(rolls) : new NDList(rolls, condition);
        return features.forward(store, input, training).singletonOrThrow();
    }

    /**
     * The condition vector of {@code controls}; null for a model without controls, which refuses any control. Refuses
     * an unknown label by listing the known ones.
     */
    float[] conditionVector(Controls controls) {
        Controls asked = controls == null ? Controls.none() : controls;
        if (controlSpace == null) {
            if (!asked.isEmpty()) {
                throw new IllegalArgumentException("this model was trained without controls: it cannot be asked for "
                        + asked + "; ask it without key, notesPerSecond and label, or train one with controls");
            }
            return null;
        }
        return controlSpace.vector(asked);
    }

    /**
     * {@code vectors} (rows of the condition's size, one after another) as a (rows, c) array; null for null. The
     * pitch-class shares come already times 12 from {@link ControlSpace#vector}; scaled here again (x144) they were
     * tens where the noise is ones, and one key's large values drowned the others.
     */
    NDArray conditionInput(NDManager scope, float[] vectors) {
        if (vectors == null) {
            return null;
        }
        return scope.create(vectors, new Shape(vectors.length / controlSpace.size(), controlSpace.size()));
    }

    /** The same condition for {@code count} rows; null for null. */
    private float[] repeated(float[] vector, int count) {
        if (vector == null) {
            return null;
        }
        float[] out = new float[vector.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(vector, 0, out, i * vector.length, vector.length);
        }
        return out;
    }

    /** The logit of "real" (batch, 1) from {@link #features}. */
    NDArray critic(ParameterStore store, NDArray features, boolean training) {
        return critic.forward(store, new NDList(features), training).singletonOrThrow();
    }

    /** Real phrases as a (batch, frames, 88 or 88 + drums) array of 0s and 1s. */
    NDArray realInput(NDManager scope, List<PianoRoll> rolls) {
        int cells = phraseCells();
        float[] dense = new float[rolls.size() * cells];
        for (int i = 0; i < rolls.size(); i++) {
            PianoRoll roll = rolls.get(i);
            if (roll.frames() != grid.frames()) {
                throw new IllegalArgumentException("phrase " + i + " has " + roll.frames() + " frames, the GAN writes "
                        + grid.frames());
            }
            fill(roll, dense, i * cells);
        }
        return scope.create(dense, new Shape(rolls.size(), grid.frames(), width));
    }

    /** {@code count} independent phrases from noise drawn with {@code noiseSeed}: the same seed, the same phrases. */
    public List<PianoRoll> sample(long noiseSeed, int count) {
        return sample(noiseSeed, count, Controls.none());
    }

    /**
     * {@code count} independent phrases asked for {@code controls} (absent ones left to the model), from noise drawn
     * with {@code noiseSeed}. A model trained without controls refuses any; an unknown label is refused by name.
     */
    public List<PianoRoll> sample(long noiseSeed, int count, Controls controls) {
        GradMode.off();
        if (count < 0 || count > 100_000) {
            throw new IllegalArgumentException("count must be in [0, 100000], got " + count);
        }
        float[] condition = conditionVector(controls);
        return phrases(independentNoise(noiseSeed, count), count, repeated(condition, count));
    }

    /**
     * The cell probabilities of {@link #sample}'s phrases without controls, (count x frames x width) in a row, before
     * {@link #decode}.
     */
    float[] cellProbabilities(long noiseSeed, int count) {
        return cellProbabilities(noiseSeed, count, Controls.none());
    }

    /** {@link #cellProbabilities(long, int)} asked for {@code controls}. */
    float[] cellProbabilities(long noiseSeed, int count, Controls controls) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray z = scope.create(independentNoise(noiseSeed, count), new Shape(count, config.noiseSize()));
            NDArray condition = conditionInput(scope, repeated(conditionVector(controls), count));
            return generate(new ParameterStore(scope, false), z, condition, false).toFloatArray();
        }
    }

    private float[] independentNoise(long noiseSeed, int count) {
        Random random = new Random(noiseSeed);
        float[] noise = new float[count * config.noiseSize()];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        return noise;
    }

    /**
     * A piece of {@code phrases} consecutive phrases from {@code noiseSeed}: each phrase's noise keeps
     * {@value #PHRASE_NOISE_CORRELATION} of the previous one's, so the piece wanders rather than jumps.
     */
    public PianoRoll piece(long noiseSeed, int phrases) {
        return piece(noiseSeed, phrases, Controls.none());
    }

    /** {@link #piece(long, int)} with every phrase asked for {@code controls}, refused as {@link #sample} refuses. */
    public PianoRoll piece(long noiseSeed, int phrases, Controls controls) {
        GradMode.off();
        if (phrases < 1 || phrases > 1000) {
            throw new IllegalArgumentException("phrases must be in [1, 1000], got " + phrases);
        }
        float[] condition = conditionVector(controls);
        Random random = new Random(noiseSeed);
        int z = config.noiseSize();
        float[] noise = new float[phrases * z];
        double keep = PHRASE_NOISE_CORRELATION;
        double fresh = Math.sqrt(1 - keep * keep);
        for (int p = 0; p < phrases; p++) {
            for (int i = 0; i < z; i++) {
                double g = random.nextGaussian();
                noise[p * z + i] = (float) (p == 0 ? g : keep * noise[(p - 1) * z + i] + fresh * g);
            }
        }
        return PianoRoll.concat(phrases(noise, phrases, repeated(condition, phrases)));
    }

    private List<PianoRoll> phrases(float[] noise, int count, float[] conditions) {
        List<PianoRoll> out = new ArrayList<>(count);
        if (count == 0) {
            return out;
        }
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDArray z = scope.create(noise, new Shape(count, config.noiseSize()));
            float[] cells = generate(store, z, conditionInput(scope, conditions), false).toFloatArray();
            int size = phraseCells();
            for (int i = 0; i < count; i++) {
                out.add(decode(cells, i * size));
            }
        }
        return out;
    }

    /** The phrase in {@code probabilities[offset ..]} as it sounds (with hysteresis if {@code holdThreshold} < 0.5). */
    PianoRoll decode(float[] probabilities, int offset) {
        if (!config.drums()) {
            return PianoRoll.fromDense(probabilities, offset, grid.frames(), THRESHOLD,
                    (float) config.holdThreshold());
        }
        int frames = grid.frames();
        float[] keys = new float[frames * PianoRoll.KEYS];
        float[] drums = new float[frames * PianoRoll.DRUMS];
        for (int f = 0; f < frames; f++) {
            System.arraycopy(probabilities, offset + f * width, keys, f * PianoRoll.KEYS, PianoRoll.KEYS);
            System.arraycopy(probabilities, offset + f * width + PianoRoll.KEYS, drums, f * PianoRoll.DRUMS,
                    PianoRoll.DRUMS);
        }
        return PianoRoll.fromDense(keys, 0, frames, THRESHOLD, (float) config.holdThreshold())
                .withDrumCells(PianoRoll.drumHitsFromDense(drums, 0, frames, THRESHOLD));
    }

    /** How long each phrase it writes plays: its bars at {@link #SECONDS_PER_BEAT}. */
    public double phraseSeconds() {
        return (double) grid.frames() / grid.stepsPerBeat() * SECONDS_PER_BEAT;
    }

    /** The notes (and drum hits) of a roll it wrote, at {@link #SECONDS_PER_BEAT} and {@link #VELOCITY}. */
    public Score score(PianoRoll roll) {
        return roll.toScore(grid.stepsPerBeat(), SECONDS_PER_BEAT, VELOCITY);
    }

    /** Generator, discriminator features and logit parameters, in that order. */
    public byte[] saveParameters() {
        return ParameterBytes.save(generator, features, critic);
    }

    public long parameterCount() {
        return ParameterBytes.parameterCount(generator) + ParameterBytes.parameterCount(features)
                + ParameterBytes.parameterCount(critic);
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "PianoRollGan" + Arrays.asList(config.noiseSize(), config.generatorHidden(), grid);
    }
}
