package org.musicgen.trainer.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.musicgen.platform.events.CorpusIngested;
import org.musicgen.platform.messaging.KeyedSend;
import org.musicgen.platform.messaging.TransientRetry;
import org.musicgen.trainer.run.ModelFamily;
import org.musicgen.trainer.run.TrainingRunService;
import org.musicgen.trainer.run.RunLimits;
import org.musicgen.trainer.training.TrainerConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts one default LSTM run and one default GAN run per ingested corpus. Run ids derive from the
 * corpus id, so a redelivered event finds the runs it created; the offset is committed only after the
 * run records are stored, and an event that cannot be handled goes to {@code corpora.ingested.dlq}.
 */
@ApplicationScoped
public class CorpusIngestedConsumer {

    private static final Logger LOG = Logger.getLogger(CorpusIngestedConsumer.class);
    private static final Duration OUTAGE_PATIENCE = Duration.ofMinutes(10);

    private final TrainingRunService runs;
    private final TrainerConfig config;

    public CorpusIngestedConsumer(TrainingRunService runs, TrainerConfig config) {
        this.runs = runs;
        this.config = config;
    }

    @Incoming("corpora-ingested")
    @Blocking(ordered = true)
    public void onCorpusIngested(CorpusIngested event) throws KeyedSend.EventNotSentException {
        if (event == null || event.corpusId() == null || event.corpusId().isBlank()) {
            throw new IllegalArgumentException("unreadable corpora.ingested event: no corpusId");
        }
        if (!config.trainOnIngest()) {
            return;
        }
        // An object-store outage delays the runs' creation instead of sending the event to the dead-letter topic.
        TransientRetry.run("runs of corpus " + event.corpusId(), OUTAGE_PATIENCE, () -> createRuns(event));
    }

    private void createRuns(CorpusIngested event) throws KeyedSend.EventNotSentException {
        for (ModelFamily kind : ModelFamily.values()) {
            var run = runs.createOnce(new TrainingRunService.RunRequest(event.corpusId(), kind.wireName(), "default",
                    defaultSettings(kind), config.device()), TrainingRunService.defaultRunId(event.corpusId(), kind));
            LOG.infof("corpus %s ingested (%s encoding): default %s run %s is %s, %s", event.corpusId(),
                    event.encoding() == null ? "seed" : event.encoding(), kind.wireName(), run.id(), run.status(),
                    run.requireSpec().limits());
        }
    }

    /**
     * A default run ends on its own: at most its epochs, its minutes, or its patience, stored with the run, beside the
     * deployment's hyper-parameters for default runs.
     */
    private Map<String, String> defaultSettings(ModelFamily kind) {
        boolean lstm = kind == ModelFamily.LSTM;
        Map<String, String> settings = new HashMap<String, String>(lstm ? config.defaultLstmHyperParameters()
                : config.defaultGanHyperParameters());
        settings.putIfAbsent("epochs", Integer.toString(lstm ? config.defaultLstmEpochs() : config.defaultGanEpochs()));
        settings.putIfAbsent(RunLimits.MAX_MINUTES, Double.toString(lstm ? config.defaultLstmMaxMinutes()
                : config.defaultGanMaxMinutes()));
        settings.putIfAbsent(RunLimits.PATIENCE, Integer.toString(lstm ? config.defaultLstmPatience()
                : config.defaultGanPatience()));
        settings.putIfAbsent(RunLimits.MIN_DELTA, Double.toString(config.defaultMinDelta()));
        return settings;
    }
}
