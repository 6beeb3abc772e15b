package org.musicgen.trainer.training;

import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.ModelCheckpoint;
import org.musicgen.core.model.ModelTrainer;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.core.model.gan.token.TokenGanTrainer;
import org.musicgen.core.model.kind.ModelKind;
import org.musicgen.core.model.lstm.LstmConfig;
import org.musicgen.core.model.lstm.LstmModel;
import org.musicgen.core.model.lstm.PieceScorer;
import ai.djl.Device;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.musicgen.core.baseline.NgramModel;
import org.musicgen.core.baseline.UnigramModel;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.metrics.PitchClassHistogram;
import org.musicgen.platform.events.ModelTrained;
import org.musicgen.platform.events.TrainingProgress;
import org.musicgen.platform.messaging.KeyedSend;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.platform.storage.ObjectStoreUnavailableException;
import org.musicgen.trainer.messaging.TrainingEventPublisher;
import org.musicgen.trainer.run.EpochMetrics;
import org.musicgen.trainer.run.ModelFamily;
import org.musicgen.trainer.run.RunLimits;
import org.musicgen.trainer.run.StopReason;
import org.musicgen.trainer.run.TrainingRun;
import org.musicgen.trainer.run.TrainingRunRepository;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Trains one run from where its record says it is: a fresh run starts at epoch 1, an interrupted one
 * loads its last checkpoint and continues with the next epoch. One loop trains every model kind
 * ({@link ModelTrainer}); it stops at the run's epochs, when its time budget runs out (within an epoch if need be)
 * or when its held-out measure stops improving, whichever comes first. Every epoch ends with a checkpoint in the
 * object store, then the run record, then a progress event; the run is announced on {@code models.trained}
 * (its best epoch's checkpoint) before it is recorded COMPLETED, so a crash in between re-announces it with the
 * same event id rather than never.
 */
@ApplicationScoped
public class TrainingRunner {

    private static final Logger LOG = Logger.getLogger(TrainingRunner.class);
    /** The split is part of a run's identity: a resumed run must validate on the same pieces. */
    static final long SPLIT_SEED = 20261125L;
    private static final long STEP_LOG_INTERVAL_NANOS = 30_000_000_000L;

    private final TrainingRunRepository runs;
    private final DatasetLoader datasets;
    private final TrainingEventPublisher events;
    private final RunEvents live;
    private final TrainerConfig config;
    private final Clock clock = Clock.systemUTC();

    public TrainingRunner(TrainingRunRepository runs, DatasetLoader datasets, TrainingEventPublisher events,
                          RunEvents live, TrainerConfig config) {
        this.runs = runs;
        this.datasets = datasets;
        this.events = events;
        this.live = live;
        this.config = config;
    }

    /** A run stopped by something outside it (broker, object store); it is retried later, not failed. */
    public static final class TransientTrainingException extends RuntimeException {
        TransientTrainingException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    public void run(String runId, RunControl control) {
        TrainingRun run = runs.find(runId).orElse(null);
        if (run == null || run.status().isFinal()) {
            return;
        }
        try {
            DatasetLoader.TrainingData data = datasets.load(run.corpusId(), config.validationFraction(), SPLIT_SEED)
                    .orElseThrow(() -> new IllegalStateException("the dataset of corpus " + run.corpusId()
                            + " is missing from the object store"));
            RunLimits limits = run.requireSpec().limits();
            Device[] devices = DeviceSelector.select(run.requestedDevice());
            TrainingRun started = run.running(DeviceSelector.describe(devices), data.encoding().name(),
                    etaBetweenEpochs(run, limits), clock.instant());
            runs.save(started);
            announce(started, null, started.etaSeconds());
            LOG.infof("run %s (%s on corpus %s, %s encoding): epoch %d of %d on %s, %d training and %d validation "
                            + "sequences, %d held-out pieces; %s", runId, run.model().wireName(), run.corpusId(),
                    data.encoding().name(), run.epoch() + 1, run.epochs(), started.device(),
                    data.split().train().size(), data.split().validation().size(), data.validationPieces().size(),
                    limits);
            TrainingRun trained = started;
            if (limits.stopReason(started) == null) {
                byte[] parameters = run.latestCheckpointKey() == null ? null : parametersOf(run);
                try (RunModelOpener.Opened<?> opened = RunModelOpener.open(started, data, devices, parameters)) {
                    trained = train(started, opened, data.vocabularyBytes(), limits, control);
                }
            }
            control.check(runId);
            finish(trained, data, limits.stopReason(trained));
        } catch (RunReleasedException e) {
            // Another replica owns the run now: write nothing, it resumes from the last checkpoint there.
            LOG.infof("run %s handed over to another trainer; it resumes there from its last checkpoint", runId);
        } catch (RunCancelledException e) {
            TrainingRun current = runs.find(runId).orElse(run);
            TrainingRun cancelledRun = current.cancelled(clock.instant());
            runs.save(cancelledRun);
            announce(cancelledRun, null, null);
            LOG.infof("run %s cancelled after epoch %d", runId, current.epoch());
        } catch (ObjectStoreUnavailableException e) {
            // Not the run's fault: it stays RUNNING and the queue resumes it from its last checkpoint later.
            LOG.warnf("run %s paused, the object store is unavailable (%s); it resumes from its last checkpoint",
                    runId, e.getMessage());
            throw e;
        } catch (KeyedSend.EventNotSentException e) {
            LOG.warnf("run %s paused, the broker did not take its event (%s); it resumes from its last checkpoint",
                    runId, e.getMessage());
            throw new TransientTrainingException(e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s failed", runId);
            TrainingRun current = runs.find(runId).orElse(run);
            TrainingRun failed = current.failed(e.getMessage(), clock.instant());
            runs.save(failed);
            announce(failed, null, null);
        }
    }

    /** The one epoch loop, for every model kind. */
    private <E> TrainingRun train(TrainingRun run, RunModelOpener.Opened<E> opened, byte[] vocabularyBytes, RunLimits limits,
                                  RunControl control) {
        ModelTrainer<E> trainer = opened.trainer();
        trainer.resumeAfter(run.epoch());
        planEpochs(trainer, run, limits);
        while (limits.stopReason(run) == null) {
            long start = System.nanoTime();
            EpochWatch watch = new EpochWatch(run, limits, trainer, start, control);
            EpochResult summary = trainer.trainEpoch(opened.trainFor().apply(run.epoch() + 1), null, watch);
            Map<String, Double> values = new LinkedHashMap<>(summary.metrics());
            values.putAll(trainer.heldOutMetrics(opened.validation()));
            EpochMetrics metrics = EpochMetrics.of(summary.epoch(), values, summary.seconds(), summary.throughput(),
                    watch.endedEarly());
            // Nothing of this epoch is written unless the run is still this replica's and not cancelled.
            control.check(run.id());
            String key = runs.checkpointKey(run.id(), metrics.epoch());
            runs.saveCheckpoint(key, ModelKind.checkpoint(trainer.config(), metrics.epoch(), vocabularyBytes,
                    trainer.saveParameters()).encode());
            double elapsed = run.elapsedSeconds() + (System.nanoTime() - start) / 1e9;
            Double eta = etaBetweenEpochs(run.epochDone(metrics, key, elapsed, null, clock.instant()), limits);
            TrainingRun updated = run.epochDone(metrics, key, elapsed, eta, clock.instant());
            runs.save(updated);
            announce(updated, metrics, eta);
            LOG.infof("run %s epoch %d/%d: %s, %.1f s (%.0f %s/s)%s, %.0f s of training so far, ETA %s", run.id(),
                    metrics.epoch(), run.epochs(), describe(metrics), metrics.seconds(), metrics.throughput(),
                    trainer.throughputUnit(), metrics.endedEarly() ? ", ended early by the time budget" : "",
                    elapsed, eta == null ? "unknown" : String.format("%.0f s", eta));
            run = updated;
            planEpochs(trainer, run, limits);
        }
        return run;
    }

    /**
     * Tells the trainer how many epochs the run's budget fits at its measured pace (evaluation and checkpoint
     * included), so that its learning-rate schedule ends when the run does; nothing without a budget or a measure.
     */
    private static void planEpochs(ModelTrainer<?> trainer, TrainingRun run, RunLimits limits) {
        double perEpoch = run.secondsPerEpoch();
        if (Double.isInfinite(limits.budgetSeconds()) || Double.isNaN(perEpoch) || perEpoch <= 0) {
            return;
        }
        double budgetLeft = Math.max(0, limits.budgetSeconds() - run.elapsedSeconds());
        trainer.planEpochs(run.epoch() + (int) Math.ceil(budgetLeft / perEpoch));
    }

    /**
     * Seconds to the end between epochs: the remaining epochs at the run's mean pace (evaluation and checkpoints
     * included), never more than the budget left; null before an epoch was measured on a run without a budget.
     * Early stopping may end the run sooner; nothing can tell when.
     */
    static Double etaBetweenEpochs(TrainingRun run, RunLimits limits) {
        if (limits.stopReason(run) != null) {
            return 0.0;
        }
        double budgetLeft = Math.max(0, limits.budgetSeconds() - run.elapsedSeconds());
        double perEpoch = run.secondsPerEpoch();
        if (Double.isNaN(perEpoch)) {
            return Double.isInfinite(budgetLeft) ? null : budgetLeft;
        }
        return Math.min(perEpoch * (run.epochs() - run.epoch()), budgetLeft);
    }

    /**
     * Watches an epoch's steps: cancellation, the time budget (it ends the epoch when the budget left would not
     * cover the epoch's evaluation and checkpoint), step events (every 2 s by default) and a log line every 30 s,
     * each with an ETA from the step rate within the epoch.
     */
    private final class EpochWatch implements ProgressListener {
        /** Steps timed before a run's first epoch plans its schedule, as the training benchmark's probe does. */
        private static final int PROBE_STEPS = 20;
        private final TrainingRun run;
        private final RunLimits limits;
        private final ModelTrainer<?> trainer;
        private final String unit;
        private final long start;
        private final RunControl control;
        private long lastEvent;
        private long lastLog;
        private StepProgress last;
        private boolean stop;

        EpochWatch(TrainingRun run, RunLimits limits, ModelTrainer<?> trainer, long start, RunControl control) {
            this.run = run;
            this.limits = limits;
            this.trainer = trainer;
            this.unit = trainer.throughputUnit();
            this.start = start;
            this.control = control;
            this.lastEvent = start;
            this.lastLog = start;
        }

        @Override
        public void onStep(StepProgress step) {
            control.check(run.id());
            last = step;
            long now = System.nanoTime();
            double inEpoch = (now - start) / 1e9;
            stop = run.elapsedSeconds() + inEpoch + run.overheadPerEpoch() >= limits.budgetSeconds();
            if (run.history().isEmpty() && step.step() == PROBE_STEPS && step.stepsInEpoch() > PROBE_STEPS
                    && !Double.isInfinite(limits.budgetSeconds())) {
                double epochSeconds = inEpoch / step.step() * step.stepsInEpoch();
                double budgetLeft = limits.budgetSeconds() - run.elapsedSeconds();
                trainer.planEpochs(run.epoch() + (int) Math.ceil(budgetLeft / epochSeconds));
            }
            boolean event = now - lastEvent >= config.stepEventInterval().toNanos();
            boolean log = now - lastLog >= STEP_LOG_INTERVAL_NANOS;
            if (!event && !log) {
                return;
            }
            double eta = eta(step, inEpoch);
            if (event) {
                lastEvent = now;
                boolean gan = run.model() == ModelFamily.GAN;
                live.emit(new TrainingProgress(UUID.randomUUID().toString(), TrainingProgress.TYPE, clock.instant(),
                        run.id(), run.corpusId(), run.model().wireName(), run.status().name(), step.epoch(),
                        run.epochs(), step.step(), step.stepsInEpoch(), gan ? null : step.loss(), null, null,
                        gan ? step.secondaryLoss() : null, gan ? step.loss() : null, step.tokensPerSecond(), eta,
                        null, run.encoding()));
            }
            if (log) {
                lastLog = now;
                LOG.infof("run %s epoch %d step %d/%d: loss %.4f, %.2f steps/s (%.0f tokens/s), ETA %.0f s",
                        run.id(), step.epoch(), step.step(), step.stepsInEpoch(), step.loss(), step.step() / inEpoch,
                        step.tokensPerSecond(), eta);
            }
        }

        /** This epoch's rest at its step rate, then the remaining epochs at the run's pace; within the budget. */
        private double eta(StepProgress step, double inEpoch) {
            double overhead = run.overheadPerEpoch();
            double thisEpoch = inEpoch / step.step() * step.stepsInEpoch();
            double perEpoch = run.history().isEmpty() ? thisEpoch + overhead : run.secondsPerEpoch();
            double byEpochs = thisEpoch - inEpoch + overhead + perEpoch * Math.max(0, run.epochs() - step.epoch());
            double budgetLeft = limits.budgetSeconds() - run.elapsedSeconds() - inEpoch;
            return Math.max(0, Math.min(byEpochs, budgetLeft));
        }

        @Override
        public boolean stopRequested() {
            return stop;
        }

        /** Whether the budget ended the epoch before its last step. */
        boolean endedEarly() {
            return last != null && last.step() < last.stepsInEpoch();
        }
    }

    /** Final metrics of the best epoch, the announcement of its checkpoint, then COMPLETED. */
    private void finish(TrainingRun run, DatasetLoader.TrainingData data, StopReason reason)
            throws KeyedSend.EventNotSentException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<int[]> train = data.split().train();
        List<int[]> validation = data.split().validation();
        int vocabularySize = data.encoding().size();
        EpochMetrics best = run.bestEpoch();
        metrics.put("bestEpoch", (double) best.epoch());
        if (run.model() == ModelFamily.LSTM) {
            metrics.put("validationLoss", best.validationLoss());
            metrics.put("validationPerplexity", best.validationPerplexity());
            metrics.putAll(heldOutBits(run, best, data));
        } else {
            metrics.put("discriminatorLoss", best.discriminatorLoss());
            metrics.put("generatorLoss", best.generatorLoss());
            metrics.put("samplePitchClassDistance", best.pitchClassDistance());
            if (best.statisticsGap() != null) {
                metrics.put("statisticsGap", best.statisticsGap());
                metrics.put("statisticsInsideRealSpread", best.statisticsInsideRealSpread());
                metrics.put("sampleDiversity", best.sampleDiversity());
                metrics.put("realDiversity", best.realDiversity());
            } else {
                metrics.put("uniformPitchClassDistance", uniformPitchClassDistance(data));
            }
        }
        metrics.put("epochsTrained", (double) run.epoch());
        metrics.put("trainingSeconds", run.elapsedSeconds());
        events.trained(ModelTrained.of(run.id(), run.corpusId(), run.model().wireName(), Buckets.CHECKPOINTS,
                run.checkpointKeyOf(best.epoch()), run.epoch(), metrics, data.encoding().name(), clock.instant()));
        TrainingRun completed = run.completed(metrics, reason, clock.instant());
        runs.save(completed);
        announce(completed, null, null);
        LOG.infof("run %s COMPLETED, stopped by %s after %d epochs in %.0f s; best epoch %d: %s", run.id(),
                reason.wireName(), run.epoch(), run.elapsedSeconds(), best.epoch(), metrics);
    }

    /**
     * Bits per note of the held-out pieces (every event after the first, given the piece before it, over their
     * notes) under the best checkpoint, the best Kneser-Ney n-gram (order 1-5 chosen on these same pieces, which
     * flatters it slightly) and the unigram, all fitted on the training pieces; with per-event perplexities.
     * Empty when the dataset has no stored notes (older datasets): whole pieces are unknown then.
     */
    private Map<String, Double> heldOutBits(TrainingRun run, EpochMetrics best, DatasetLoader.TrainingData data) {
        List<int[]> train = data.trainPieces().stream().map(EncodedPiece::ids).toList();
        List<int[]> held = data.validationPieces().stream().map(EncodedPiece::ids).toList();
        long notes = data.validationPieces().stream().mapToLong(EncodedPiece::notes).sum();
        long events = held.stream().mapToLong(p -> Math.max(0, p.length - 1)).sum();
        Map<String, Double> out = new LinkedHashMap<>();
        if (train.isEmpty() || held.isEmpty() || notes == 0 || events == 0) {
            return out;
        }
        int size = data.encoding().size();
        ModelCheckpoint checkpoint = ModelCheckpoint.decode(runs.loadCheckpoint(run.checkpointKeyOf(best.epoch())));
        double lstmBits = 0;
        try (LstmModel model = LstmModel.load((LstmConfig) ModelKind.configOf(checkpoint), size, Device.cpu(),
                checkpoint.parameters("model"))) {
            for (double l : new PieceScorer(model).log2Likelihoods(held)) {
                lstmBits -= l;
            }
        }
        NgramModel.OrderSelection ngram = NgramModel.bestOrder(size, train, held, NgramModel.MAX_ORDER);
        UnigramModel unigram = new UnigramModel(size).fit(train);
        NgramModel trigram = ngram.order() == 3 ? ngram.model() : new NgramModel(size, 3).fit(train);
        double ngramBits = 0;
        double trigramBits = 0;
        double unigramBits = 0;
        for (int[] piece : held) {
            ngramBits -= ngram.model().log2Likelihood(piece);
            trigramBits -= trigram.log2Likelihood(piece);
            unigramBits -= unigram.log2Likelihood(piece);
        }
        out.put("bitsPerNote", lstmBits / notes);
        out.put("ngramBitsPerNote", ngramBits / notes);
        out.put("ngramOrder", (double) ngram.order());
        out.put("trigramBitsPerNote", trigramBits / notes);
        out.put("unigramBitsPerNote", unigramBits / notes);
        out.put("pieceValidationPerplexity", Math.pow(2, lstmBits / events));
        out.put("ngramPerplexity", Math.pow(2, ngramBits / events));
        out.put("trigramPerplexity", Math.pow(2, trigramBits / events));
        out.put("unigramPerplexity", Math.pow(2, unigramBits / events));
        return out;
    }

    /** The yardstick of the GAN's pitch-class distance: ids drawn uniformly from the encoding's known ids. */
    private static double uniformPitchClassDistance(DatasetLoader.TrainingData data) {
        Encoding encoding = data.encoding();
        int[] known = IntStream.range(0, encoding.size()).filter(id -> !encoding.isUnknown(id)).toArray();
        Random random = new Random(TokenGanTrainer.HELD_OUT_SEED);
        List<int[]> uniform = new ArrayList<>();
        for (int i = 0; i < TokenGanTrainer.HELD_OUT_SAMPLES; i++) {
            uniform.add(random.ints(data.sequenceLength(), 0, known.length).map(k -> known[k]).toArray());
        }
        return PitchClassHistogram.of(uniform, encoding)
                .distanceTo(PitchClassHistogram.of(data.split().validation(), encoding));
    }

    private byte[] parametersOf(TrainingRun run) {
        return ModelCheckpoint.decode(runs.loadCheckpoint(run.latestCheckpointKey())).parameters("model");
    }

    /** Tells Kafka and this instance's SSE streams about a status change or a finished epoch. */
    private void announce(TrainingRun run, EpochMetrics metrics, Double etaSeconds) {
        TrainingProgress event = run.progress(metrics, etaSeconds, clock.instant());
        live.emit(event);
        try {
            events.progress(event);
        } catch (RuntimeException e) {
            LOG.warnf("progress event of run %s not sent: %s", run.id(), e.getMessage());
        }
    }

    private static String describe(EpochMetrics m) {
        if (m.trainLoss() != null) {
            return String.format("train loss %.4f, validation loss %.4f (perplexity %.2f)", m.trainLoss(),
                    m.validationLoss(), m.validationPerplexity());
        }
        if (m.statisticsGap() != null) {
            return String.format("discriminator loss %.4f, generator loss %.4f, statistics gap %.4f (%.0f of 6 inside "
                            + "the real spread), diversity %.3f (real %.3f)", m.discriminatorLoss(), m.generatorLoss(),
                    m.statisticsGap(), m.statisticsInsideRealSpread(), m.sampleDiversity(), m.realDiversity());
        }
        return String.format("discriminator loss %.4f, generator loss %.4f, pitch-class distance %.4f",
                m.discriminatorLoss(), m.generatorLoss(), m.pitchClassDistance());
    }
}
