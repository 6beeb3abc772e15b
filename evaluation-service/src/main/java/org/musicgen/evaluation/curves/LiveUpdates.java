package org.musicgen.evaluation.curves;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/** In-process fan-out of what changes the results page: training curves and the number of ratings. */
@ApplicationScoped
public class LiveUpdates {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final BroadcastProcessor<LiveUpdate> processor = BroadcastProcessor.create();

    /** A run's curve changed; {@code drums} is the drums figure over every run after the change. */
    public void curve(RunCurve curve, DrumsComparison drums) {
        processor.onNext(new LiveUpdate("curve", curve, null, drums));
    }

    public void ratings(int total) {
        processor.onNext(new LiveUpdate("ratings", null, total, null));
    }

    /** Every update from now on, plus a heartbeat that keeps idle connections open through proxies. */
    public Multi<LiveUpdate> stream() {
        Multi<LiveUpdate> heartbeat = Multi.createFrom().ticks().every(HEARTBEAT)
                .map(tick -> new LiveUpdate("ping", null, null, null));
        return Multi.createBy().merging().streams(processor, heartbeat);
    }

    /**
     * One Server-Sent Event's data.
     *
     * @param kind    {@code curve} (a run's curve changed), {@code ratings} (a rating was stored) or {@code ping}
     * @param run     the run's whole curve, for {@code curve}
     * @param ratings the number of ratings now, for {@code ratings}
     * @param drums   for {@code curve}: the figure of piano and drums vs piano alone, recomputed with that curve
     */
    public record LiveUpdate(String kind, RunCurve run, Integer ratings, DrumsComparison drums) {
    }
}
