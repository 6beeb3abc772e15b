package org.musicgen.evaluation.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.musicgen.evaluation.curves.TrainingCurves;
import org.musicgen.platform.events.TrainingProgress;

/**
 * Training curves from {@code training.progress}: each epoch's losses are stored (then the offset committed) and
 * pushed to open results pages. Unreadable events go to {@code training.progress.dlq}.
 */
@ApplicationScoped
public class TrainingProgressConsumer {

    private final TrainingCurves curves;

    public TrainingProgressConsumer(TrainingCurves curves) {
        this.curves = curves;
    }

    @Incoming("training-progress")
    @Blocking(ordered = true)
    public void onProgress(TrainingProgress event) {
        curves.apply(event);
    }
}
