package org.musicgen.core.model.lstm;

import org.musicgen.core.control.ControlSpace;
import org.musicgen.core.model.net.GradMode;
import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.ModelTrainer;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.TrainingWindows;
import org.musicgen.core.model.net.ExclusiveGradients;
import org.musicgen.core.model.net.Gradients;
import org.musicgen.core.model.net.Optimizers;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * Trains an {@link LstmModel} with a hand-written loop: next-token cross-entropy at every position (or only the
 * last, with {@link LstmConfig#predictLastOnly()}), global-norm gradient clipping and a learning-rate schedule.
 *
 * <p>Data parallel: with several devices each batch is split into one shard per device; the model's
 * {@link ParameterStore} keeps one copy of the parameters per device and its parameter server sums the shard
 * gradients before the update (the same mechanism DJL's own trainer uses). Only the single-device path has been
 * exercised here (no multi-GPU machine was available).
 *
 * <p>Not thread-safe: one trainer per training run. Close it to release the optimiser state.
 */
public final class LstmTrainer implements ModelTrainer<LstmWindow> {
    /** Mean cross-entropy per predicted token (nats) over the epoch. */
    public static final String TRAIN_LOSS = "trainLoss";
    /** The learning rate at the end of the epoch. */
    public static final String LEARNING_RATE = "learningRate";
    /** Tokens predicted in the epoch. */
    public static final String TOKENS = "tokens";
    /** Achieved training GFLOP/s (approximate). */
    public static final String GFLOPS = "gflops";
    /** Held-out loss without controls (nats per predicted token): what bits per note are measured on. */
    public static final String VALIDATION_LOSS = "validationLoss";
    /** Held-out loss told each window's controls, for a model that reads them: how much the controls inform. */
    public static final String VALIDATION_LOSS_WITH_CONTROLS = "validationLossWithControls";
    private final LstmModel model;
    private final LstmConfig config;
    private final Device[] devices;
    private final NDManager manager;
    private ParameterStore store;
    private Tracker schedule;
    private int stepsPerEpoch;
    private int plannedEpochs;
    private int epoch;
    private long globalStep;

    public LstmTrainer(LstmModel model) {
        this(model, new Device[] {model.device()});
    }

    /**
     * @param devices devices to split each batch across; the first should be the model's device
     */
    public LstmTrainer(LstmModel model, Device[] devices) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = model.config();
        if (devices == null || devices.length == 0) {
            devices = new Device[] {model.device()};
        }
        this.devices = devices.clone();
        this.manager = model.manager().newSubManager();
        this.plannedEpochs = config.epochs();
    }

    /** Devices the batches are split across. */
    public Device[] devices() {
        return devices.clone();
    }

    private void ensureOptimizer(int steps) {
        if (store != null) {
            return;
        }
        stepsPerEpoch = steps;
        // A resumed run continues its schedule where it stopped instead of warming up again.
        int offset = epoch * stepsPerEpoch;
        Tracker[] full = {fullSchedule()};
        schedule = step -> full[0].getNewValue(step + offset);
        replan = () -> full[0] = fullSchedule();
        Optimizer optimizer = Optimizers.optimizer(config.optimizer(), step -> schedule.getNewValue(step),
                config.weightDecay(), 0.9, manager);
        store = new ParameterStore(manager, false);
        store.setParameterServer(new LocalParameterServer(optimizer), devices);
    }

    private Runnable replan = () -> { };

    private Tracker fullSchedule() {
        return Optimizers.schedule(config.learningRate(), config.lrSchedule(), config.warmupSteps(),
                stepsPerEpoch * plannedEpochs);
    }

    /**
     * The schedule spans {@code epochs} from now on (at most the configured epochs): a run with a time budget plans
     * the epochs that fit once it has timed one, so that a cosine decays within the run instead of being cut off
     * near its peak.
     */
    @Override
    public void planEpochs(int epochs) {
        int planned = Math.max(1, Math.min(config.epochs(), epochs));
        if (planned != plannedEpochs) {
            plannedEpochs = planned;
            replan.run();
        }
    }

    /** The epochs the learning-rate schedule spans now. */
    public int plannedEpochs() {
        return plannedEpochs;
    }

    /**
     * Runs one epoch over {@code train} (shuffled with {@code shuffle}) and returns its summary; it ends early after
     * the step at which {@code listener} requests a stop.
     */
    @Override
    public EpochResult trainEpoch(List<LstmWindow> train, Random shuffle, ProgressListener listener) {
        GradMode.off(); // the steps' gradient collectors turn it on and back off; the updates run without it
        TrainingWindows.check(LstmWindow.ids(train), "training", config.sequenceLength(), model.vocabularySize());
        if (listener == null) {
            listener = ProgressListener.NONE;
        }
        List<LstmWindow> order = new ArrayList<>(train);
        Collections.shuffle(order, shuffle == null ? new Random(config.seed() + epoch) : shuffle);
        Random dropouts = new Random(config.seed() * 31 + epoch);
        int batchSize = config.batchSize();
        int steps = (order.size() + batchSize - 1) / batchSize;
        ensureOptimizer(steps);
        epoch++;
        long start = System.nanoTime();
        double lossSum = 0;
        long tokens = 0;
        int done = 0;
        for (int s = 0; s < steps; s++) {
            List<LstmWindow> batch = order.subList(s * batchSize, Math.min(order.size(), (s + 1) * batchSize));
            long t0 = System.nanoTime();
            double loss = trainStep(batch, dropouts);
            long predicted = (long) batch.size() * predictedPerSequence();
            double seconds = (System.nanoTime() - t0) / 1e9;
            lossSum += loss * predicted;
            tokens += predicted;
            globalStep++;
            done++;
            listener.onStep(new ProgressListener.StepProgress(epoch, s + 1, steps, globalStep, loss, Double.NaN,
                    predicted / Math.max(seconds, 1e-9)));
            if (listener.stopRequested()) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double tps = tokens / Math.max(seconds, 1e-9);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(TRAIN_LOSS, lossSum / Math.max(1, tokens));
        metrics.put(LEARNING_RATE, (double) schedule.getNewValue((int) globalStep));
        metrics.put(TOKENS, (double) tokens);
        metrics.put(GFLOPS, tps * model.trainingFlopsPerToken() / 1e9);
        return new EpochResult(epoch, done, seconds, tps, metrics);
    }

    private int predictedPerSequence() {
        return config.predictLastOnly() ? 1 : config.sequenceLength() - 1;
    }

    private double trainStep(List<LstmWindow> batch, Random dropouts) {
        try (NDManager scope = manager.newSubManager()) {
            List<NDArray> params = Gradients.parameterArrays(model.block(), store, devices);
            Gradients.zeroGradients(params);
            double lossSum = 0;
            int n = batch.size();
            int shards = Math.min(devices.length, n);
            try (GradientCollector collector = ExclusiveGradients.open()) {
                int from = 0;
                for (int d = 0; d < shards; d++) {
                    int to = from + (n - from) / (shards - d);
                    List<LstmWindow> shard = batch.subList(from, to);
                    NDArray loss = loss(scope, store, shard, devices[d], true, dropouts);
                    // weight by shard size so that the summed gradient is the batch mean
                    NDArray weighted = loss.mul((float) shard.size() / n);
                    collector.backward(weighted);
                    lossSum += loss.getFloat() * shard.size();
                    from = to;
                }
            }
            Gradients.clipGradients(params, config.gradientClip());
            store.updateAllParameters();
            return lossSum / n;
        }
    }

    /**
     * Mean cross-entropy (nats) of the predicted tokens of {@code windows}; told their controls (each group dropped
     * as {@code dropouts} draws, no group dropped when it is null), or none when {@code withControls} is false.
     */
    private NDArray loss(NDManager scope, ParameterStore params, List<LstmWindow> windows, Device device,
            boolean withControls, Random dropouts) {
        boolean training = dropouts != null;
        int len = config.sequenceLength();
        long[] inputs = new long[windows.size() * (len - 1)];
        int targetsPerSeq = predictedPerSequence();
        long[] targets = new long[windows.size() * targetsPerSeq];
        for (int b = 0; b < windows.size(); b++) {
            int[] seq = windows.get(b).ids();
            for (int t = 0; t < len - 1; t++) {
                inputs[b * (len - 1) + t] = seq[t];
            }
            if (config.predictLastOnly()) {
                targets[b] = seq[len - 1];
            } else {
                for (int t = 1; t < len; t++) {
                    targets[b * (len - 1) + t - 1] = seq[t];
                }
            }
        }
        NDManager deviceScope = device.equals(scope.getDevice()) ? scope : scope.newSubManager(device);
        NDArray in = deviceScope.create(inputs, new Shape(windows.size(), len - 1));
        NDArray target = deviceScope.create(targets, new Shape(windows.size(), targetsPerSeq, 1));
        NDArray controls = null;
        Optional<ControlSpace> space = config.controlSpace();
        if (withControls && space.isPresent()) {
            int size = space.get().size();
            float[] values = new float[windows.size() * (len - 1) * size];
            boolean[] none = new boolean[4];
            for (int b = 0; b < windows.size(); b++) {
                boolean[] drop = dropouts == null ? none : LstmWindow.dropped(config.controlDropout(), dropouts);
                windows.get(b).writeControls(space.get(), values, b * (len - 1) * size, drop);
            }
            controls = deviceScope.create(values, new Shape(windows.size(), len - 1, size));
        }
        NDArray logits = model.forward(params, in, controls, training);
        if (config.predictLastOnly()) {
            logits = logits.get(":, -1:, :");
        }
        NDArray logp = logits.logSoftmax(-1);
        return logp.gather(target, 2).mean().neg();
    }

    /**
     * Mean cross-entropy per predicted token (nats) over {@code validation}, without dropout;
     * perplexity = exp(result).
     */
    public double evaluate(List<LstmWindow> validation) {
        return evaluate(validation, false);
    }

    /** As {@link #evaluate(List)}, told each window's controls when {@code withControls}. */
    public double evaluate(List<LstmWindow> validation, boolean withControls) {
        GradMode.off();
        TrainingWindows.check(LstmWindow.ids(validation), "validation", config.sequenceLength(),
                model.vocabularySize());
        if (validation.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        int batchSize = Math.max(config.batchSize(), 64);
        for (int i = 0; i < validation.size(); i += batchSize) {
            List<LstmWindow> batch = validation.subList(i, Math.min(validation.size(), i + batchSize));
            try (NDManager scope = manager.newSubManager()) {
                ParameterStore evalStore = new ParameterStore(scope, false);
                NDArray loss = loss(scope, evalStore, batch, model.device(), withControls, null);
                sum += loss.getFloat() * batch.size();
            }
        }
        return sum / validation.size();
    }

    /** Validation loss (nats per predicted token) and perplexity over {@code validation}. */
    @Override
    public Map<String, Double> heldOutMetrics(List<LstmWindow> validation) {
        GradMode.off();
        double loss = evaluate(validation);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(VALIDATION_LOSS, loss);
        metrics.put("validationPerplexity", Math.exp(loss));
        if (config.controls() && validation.stream().anyMatch(w -> w.controls() != null || w.label() != null)) {
            metrics.put(VALIDATION_LOSS_WITH_CONTROLS, evaluate(validation, true));
        }
        return metrics;
    }

    @Override
    public String selectionMetric() {
        return VALIDATION_LOSS;
    }

    @Override
    public LstmConfig config() {
        return config;
    }

    @Override
    public String throughputUnit() {
        return "tokens";
    }

    @Override
    public Map<String, byte[]> saveParameters() {
        return Map.of("model", model.saveParameters());
    }

    /**
     * Continues a run restored from a checkpoint written after {@code epochsDone} epochs: epoch numbers,
     * shuffling and the learning-rate schedule carry on from there (the optimiser's moments restart).
     * Call before the first {@link #trainEpoch}.
     */
    @Override
    public void resumeAfter(int epochsDone) {
        if (store != null) {
            throw new IllegalStateException("resumeAfter must be called before training starts");
        }
        if (epochsDone < 0) {
            throw new IllegalArgumentException("epochsDone must be >= 0, got " + epochsDone);
        }
        epoch = epochsDone;
    }

    @Override
    public int epochsDone() {
        return epoch;
    }

    @Override
    public void close() {
        manager.close();
    }
}
