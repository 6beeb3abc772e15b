package org.musicgen.trainer.training;

import ai.djl.Device;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.musicgen.core.baseline.NgramModel;
import org.musicgen.core.baseline.UnigramModel;
import org.musicgen.core.metrics.PitchClassHistogram;
import org.musicgen.core.model.EpochResult;
import org.musicgen.core.model.GanConfig;
import org.musicgen.core.model.GanEpochResult;
import org.musicgen.core.model.GanModel;
import org.musicgen.core.model.GanTrainer;
import org.musicgen.core.model.LstmConfig;
import org.musicgen.core.model.LstmModel;
import org.musicgen.core.model.LstmTrainer;
import org.musicgen.core.model.ModelCheckpoint;
import org.musicgen.core.model.ProgressListener;
import org.musicgen.platform.events.ModelTrained;
import org.musicgen.platform.events.TrainingProgress;
import org.musicgen.platform.messaging.KeyedSend;
import org.musicgen.platform.storage.ObjectStoreUnavailableException;
import org.musicgen.platform.storage.Buckets;
import org.musicgen.trainer.messaging.TrainingEventPublisher;
import org.musicgen.trainer.run.EpochMetrics;
import org.musicgen.trainer.run.ModelKind;
import org.musicgen.trainer.run.TrainingRun;
import org.musicgen.trainer.run.TrainingRunRepository;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Trains one run from where its record says it is: a fresh run starts at epoch 1, an interrupted one
 * loads its last checkpoint and continues with the next epoch. Every epoch ends with a checkpoint in the
 * object store, then the run record, then a progress event; the run is announced on
 * {@code models.trained} before it is recorded COMPLETED, so a crash in between re-announces it with the
 * same event id rather than never.
 */
@ApplicationScoped
public class TrainingRunner {

    private static final Logger LOG = Logger.getLogger(TrainingRunner.class);
    /** The split is part of a run's identity: a resumed run must validate on the same pieces. */
    static final long SPLIT_SEED = 20261125L;
    private static final long STEP_EVENT_INTERVAL_NANOS = 2_000_000_000L;
    /** GAN samples drawn after every epoch to measure its pitch classes against the held-out pieces. */
    private static final int SAMPLES = 64;
    private static final long SAMPLE_SEED = 1;

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

    public void run(String runId, BooleanSupplier cancelled) {
        TrainingRun run = runs.find(runId).orElse(null);
        if (run == null || run.status().isFinal()) {
            return;
        }
        try {
            DatasetLoader.TrainingData data = datasets.load(run.corpusId(), config.validationFraction(), SPLIT_SEED)
                    .orElseThrow(() -> new IllegalStateException("the dataset of corpus " + run.corpusId()
                            + " is missing from the object store"));
            Device[] devices = DeviceSelector.select(run.requestedDevice());
            TrainingRun started = run.running(DeviceSelector.describe(devices), clock.instant());
            runs.save(started);
            announce(started, null, null);
            LOG.infof("run %s (%s on corpus %s): epoch %d of %d on %s, %d training and %d validation sequences",
                    runId, run.model().wireName(), run.corpusId(), run.epoch() + 1, run.epochs(),
                    started.device(), data.split().train().size(), data.split().validation().size());
            TrainingRun trained = run.model() == ModelKind.LSTM
                    ? trainLstm(started, data, devices, cancelled)
                    : trainGan(started, data, devices, cancelled);
            finish(trained, data);
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

    private TrainingRun trainLstm(TrainingRun run, DatasetLoader.TrainingData data, Device[] devices,
                                  BooleanSupplier cancelled) {
        LstmConfig lstm = ModelSettings.lstm(run.preset(), run.hyperParameters(), data.sequenceLength());
        int vocabularySize = data.vocabulary().size();
        try (LstmModel model = run.latestCheckpointKey() == null
                ? LstmModel.create(lstm, vocabularySize, devices[0])
                : LstmModel.load(lstm, vocabularySize, devices[0], parametersOf(run));
             LstmTrainer trainer = new LstmTrainer(model, devices)) {
            trainer.resumeAfter(run.epoch());
            for (int epoch = run.epoch() + 1; epoch <= run.epochs(); epoch++) {
                EpochResult result = trainer.trainEpoch(data.split().train(), new Random(lstm.seed() * 31 + epoch),
                        stepListener(run, cancelled));
                double validation = trainer.evaluate(data.split().validation());
                EpochMetrics metrics = new EpochMetrics(epoch, result.trainLoss(), validation, Math.exp(validation),
                        null, null, null, result.seconds(), result.tokensPerSecond());
                run = epochDone(run, metrics, new ModelCheckpoint("lstm", epoch, ModelCheckpoint.configOf(lstm),
                        data.vocabularyBytes(), Map.of("model", model.saveParameters())));
            }
        }
        return run;
    }

    private TrainingRun trainGan(TrainingRun run, DatasetLoader.TrainingData data, Device[] devices,
                                 BooleanSupplier cancelled) {
        GanConfig gan = ModelSettings.gan(run.preset(), run.hyperParameters(), data.sequenceLength());
        int vocabularySize = data.vocabulary().size();
        PitchClassHistogram heldOut = PitchClassHistogram.of(data.split().validation(), data.vocabulary());
        try (GanModel model = run.latestCheckpointKey() == null
                ? GanModel.create(gan, vocabularySize, devices[0])
                : GanModel.load(gan, vocabularySize, devices[0], parametersOf(run));
             GanTrainer trainer = new GanTrainer(model)) {
            trainer.resumeAfter(run.epoch());
            for (int epoch = run.epoch() + 1; epoch <= run.epochs(); epoch++) {
                GanEpochResult result = trainer.trainEpoch(data.split().train(), new Random(gan.seed() * 31 + epoch),
                        stepListener(run, cancelled));
                double distance = PitchClassHistogram.of(List.of(model.sample(SAMPLE_SEED, SAMPLES)), data.vocabulary())
                        .distanceTo(heldOut);
                EpochMetrics metrics = new EpochMetrics(epoch, null, null, null, result.dLoss(), result.gLoss(),
                        distance, result.seconds(), result.sequencesPerSecond());
                run = epochDone(run, metrics, new ModelCheckpoint("gan", epoch, ModelCheckpoint.configOf(gan),
                        data.vocabularyBytes(), Map.of("model", model.saveParameters())));
            }
        }
        return run;
    }

    private TrainingRun epochDone(TrainingRun run, EpochMetrics metrics, ModelCheckpoint checkpoint) {
        String key = runs.checkpointKey(run.id(), metrics.epoch());
        runs.saveCheckpoint(key, checkpoint.encode());
        TrainingRun updated = run.epochDone(metrics, key, clock.instant());
        runs.save(updated);
        announce(updated, metrics, null);
        double perEpoch = updated.history().stream().mapToDouble(EpochMetrics::seconds).average().orElse(0);
        LOG.infof("run %s epoch %d/%d: %s, %.1f s (%.0f %s/s), about %.0f s left", run.id(), metrics.epoch(),
                run.epochs(), describe(metrics), metrics.seconds(), metrics.throughput(),
                run.model() == ModelKind.LSTM ? "tokens" : "sequences", perEpoch * (run.epochs() - metrics.epoch()));
        return updated;
    }

    /** Final metrics of the best epoch, the announcement of its checkpoint, then COMPLETED. */
    private void finish(TrainingRun run, DatasetLoader.TrainingData data) throws KeyedSend.EventNotSentException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<int[]> train = data.split().train();
        List<int[]> validation = data.split().validation();
        int vocabularySize = data.vocabulary().size();
        EpochMetrics best = run.bestEpoch();
        metrics.put("bestEpoch", (double) best.epoch());
        if (run.model() == ModelKind.LSTM) {
            metrics.put("validationLoss", best.validationLoss());
            metrics.put("validationPerplexity", best.validationPerplexity());
            metrics.put("unigramPerplexity", new UnigramModel(vocabularySize).fit(train).perplexity(validation));
            metrics.put("trigramPerplexity", new NgramModel(vocabularySize, 3).fit(train).perplexity(validation));
        } else {
            metrics.put("discriminatorLoss", best.discriminatorLoss());
            metrics.put("generatorLoss", best.generatorLoss());
            metrics.put("samplePitchClassDistance", best.pitchClassDistance());
            metrics.put("uniformPitchClassDistance", uniformPitchClassDistance(data));
        }
        events.trained(ModelTrained.of(run.id(), run.corpusId(), run.model().wireName(), Buckets.CHECKPOINTS,
                run.checkpointKeyOf(best.epoch()), run.epoch(), metrics, clock.instant()));
        TrainingRun completed = run.completed(metrics, clock.instant());
        runs.save(completed);
        announce(completed, null, null);
        LOG.infof("run %s COMPLETED: %s", run.id(), metrics);
    }

    /** The yardstick of the GAN's pitch-class distance: tokens drawn uniformly from the vocabulary. */
    private static double uniformPitchClassDistance(DatasetLoader.TrainingData data) {
        Random random = new Random(SAMPLE_SEED);
        List<int[]> uniform = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            uniform.add(random.ints(data.sequenceLength(), 1, data.vocabulary().size()).toArray());
        }
        return PitchClassHistogram.of(uniform, data.vocabulary())
                .distanceTo(PitchClassHistogram.of(data.split().validation(), data.vocabulary()));
    }

    private byte[] parametersOf(TrainingRun run) {
        return ModelCheckpoint.decode(runs.loadCheckpoint(run.latestCheckpointKey())).parameters("model");
    }

    private ProgressListener stepListener(TrainingRun run, BooleanSupplier cancelled) {
        long[] lastEvent = {System.nanoTime()};
        return step -> {
            if (cancelled.getAsBoolean()) {
                throw new RunCancelledException(run.id());
            }
            long now = System.nanoTime();
            if (now - lastEvent[0] < STEP_EVENT_INTERVAL_NANOS) {
                return;
            }
            lastEvent[0] = now;
            boolean gan = run.model() == ModelKind.GAN;
            live.emit(new TrainingProgress(UUID.randomUUID().toString(), TrainingProgress.TYPE, clock.instant(),
                    run.id(), run.corpusId(), run.model().wireName(), run.status().name(), step.epoch(), run.epochs(),
                    step.step(), step.stepsInEpoch(), gan ? null : step.loss(), null, null,
                    gan ? step.secondaryLoss() : null, gan ? step.loss() : null, step.tokensPerSecond(), null, null));
            LOG.debugf("run %s epoch %d step %d/%d loss %.4f", run.id(), step.epoch(), step.step(),
                    step.stepsInEpoch(), step.loss());
        };
    }

    /** Tells Kafka and this instance's SSE streams about a status change or a finished epoch. */
    private void announce(TrainingRun run, EpochMetrics metrics, Double etaSeconds) {
        TrainingProgress event = new TrainingProgress(UUID.randomUUID().toString(), TrainingProgress.TYPE,
                clock.instant(), run.id(), run.corpusId(), run.model().wireName(), run.status().name(), run.epoch(),
                run.epochs(), null, null,
                metrics == null ? null : metrics.trainLoss(),
                metrics == null ? null : metrics.validationLoss(),
                metrics == null ? null : metrics.validationPerplexity(),
                metrics == null ? null : metrics.discriminatorLoss(),
                metrics == null ? null : metrics.generatorLoss(),
                metrics == null ? null : metrics.throughput(), etaSeconds, run.latestCheckpointKey());
        live.emit(event);
        try {
            events.progress(event);
        } catch (RuntimeException e) {
            LOG.warnf("progress event of run %s not sent: %s", run.id(), e.getMessage());
        }
    }

    private static String describe(EpochMetrics m) {
        return m.trainLoss() != null
                ? String.format("train loss %.4f, validation loss %.4f (perplexity %.2f)", m.trainLoss(),
                m.validationLoss(), m.validationPerplexity())
                : String.format("discriminator loss %.4f, generator loss %.4f, pitch-class distance %.4f",
                m.discriminatorLoss(), m.generatorLoss(), m.pitchClassDistance());
    }
}
