package org.musicgen.trainer.training;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import org.musicgen.platform.events.TrainingProgress;
import org.musicgen.trainer.run.RunStatus;

/** In-process fan-out of progress to the Server-Sent Events streams of this instance. */
@ApplicationScoped
public class RunEvents {

    private final BroadcastProcessor<TrainingProgress> processor = BroadcastProcessor.create();

    public void emit(TrainingProgress progress) {
        processor.onNext(progress);
    }

    /** The given snapshot first, then the run's progress until it reaches a final status. */
    public Multi<TrainingProgress> stream(TrainingProgress snapshot) {
        return Multi.createFrom().emitter(emitter -> {
            emitter.emit(snapshot);
            if (isFinal(snapshot)) {
                emitter.complete();
                return;
            }
            Cancellable subscription = processor.subscribe().with(progress -> {
                if (snapshot.runId().equals(progress.runId())) {
                    emitter.emit(progress);
                    if (isFinal(progress)) {
                        emitter.complete();
                    }
                }
            });
            emitter.onTermination(subscription::cancel);
        });
    }

    private static boolean isFinal(TrainingProgress progress) {
        return RunStatus.valueOf(progress.status()).isFinal();
    }
}
