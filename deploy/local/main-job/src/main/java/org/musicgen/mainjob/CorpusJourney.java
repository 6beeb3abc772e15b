package org.musicgen.mainjob;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Follows one corpus through the system: ingestion, the two default training runs, the generated samples. Reports
 * what changes (stage, epoch, losses, ETA) to a listener and fails with what it saw when a stage does not finish.
 */
public final class CorpusJourney {

    private static final long POLL_MILLIS = 1000;

    private final PlatformClient client;
    private final Consumer<String> report;

    public CorpusJourney(PlatformClient client, Consumer<String> report) {
        this.client = client;
        this.report = report;
    }

    /** Waits until the corpus is READY; fails if it FAILED. */
    public JsonNode awaitCorpus(String corpusId, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode corpus = client.corpus(corpusId);
            String status = corpus.path("status").asText();
            if (status.equals("READY")) {
                report.accept("corpus " + corpusId + " READY: " + describeCorpus(corpus));
                return corpus;
            }
            if (status.equals("FAILED")) {
                throw new IllegalStateException("corpus " + corpusId + " FAILED: " + corpus);
            }
            checkDeadline(deadline, "corpus " + corpusId + " still " + status);
            pause();
        }
    }

    /** Waits until {@code count} runs of the corpus exist and all are COMPLETED; fails if one FAILED. */
    public List<JsonNode> awaitTraining(String corpusId, int count, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> lastLine = new HashMap<>();
        while (true) {
            List<JsonNode> runs = client.trainingRuns(corpusId);
            boolean allDone = runs.size() >= count;
            for (JsonNode run : runs) {
                String line = describe(run);
                if (!line.equals(lastLine.put(run.path("id").asText(), line))) {
                    report.accept(line);
                }
                String status = run.path("status").asText();
                if (status.equals("FAILED") || status.equals("CANCELLED")) {
                    throw new IllegalStateException("training run " + run.path("id").asText() + " " + status + ": "
                            + run.path("error").asText(""));
                }
                allDone &= status.equals("COMPLETED");
            }
            if (allDone) {
                return runs;
            }
            checkDeadline(deadline, "training of corpus " + corpusId + " not finished: " + lastLine.values());
            pause();
        }
    }

    /** Waits until the generator holds at least {@code count} samples of the run. */
    public List<JsonNode> awaitSamples(String runId, int count, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = -1;
        while (true) {
            List<JsonNode> samples = client.samples(runId);
            if (samples.size() != seen) {
                seen = samples.size();
                report.accept(String.format("run %s: %d/%d samples generated", shortId(runId), seen, count));
            }
            if (samples.size() >= count) {
                return samples;
            }
            checkDeadline(deadline, "only " + seen + " of " + count + " samples of run " + runId);
            pause();
        }
    }

    /**
     * Waits until the generator holds the automatic batches of the corpus: {@code perModel} samples of the LSTM and of
     * the GAN, {@code excerpts} real excerpts and as many low anchors; returns them side by side.
     */
    public SampleComparison awaitBatches(String corpusId, int perModel, int excerpts, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SampleComparison comparison = SampleComparison.of(client.allSamples(), corpusId);
            if (comparison.count("lstm") >= perModel && comparison.count("gan") >= perModel
                    && comparison.count(SampleComparison.CORPUS) >= excerpts
                    && comparison.count(SampleComparison.ANCHOR) >= excerpts) {
                return comparison;
            }
            checkDeadline(deadline, String.format("batches of corpus %s: %d LSTM, %d GAN samples, %d excerpts, %d "
                    + "anchors", corpusId, comparison.count("lstm"), comparison.count("gan"),
                    comparison.count(SampleComparison.CORPUS), comparison.count(SampleComparison.ANCHOR)));
            pause();
        }
    }

    /** A READY corpus in one line: files, notes (and drum hits, when kept), encoding, windows. */
    static String describeCorpus(JsonNode corpus) {
        JsonNode counts = corpus.path("counts");
        String encoding = corpus.path("encoding").asText("seed");
        long drumHits = counts.path("drumHits").asLong(0);
        StringBuilder line = new StringBuilder(String.format("%d files, %d notes%s, %s encoding: %d windows of %d %s",
                corpus.path("acceptedFiles").size(), counts.path("notes").asLong(),
                drumHits > 0 ? " and " + drumHits + " drum hits" : "", encoding,
                counts.path("sequences").asInt(), counts.path("sequenceLength").asInt(),
                "seed".equals(encoding) ? "tokens" : "events"));
        if (counts.path("notesPerWindow").isNumber()) {
            line.append(String.format(" (about %.0f notes each)", counts.path("notesPerWindow").asDouble()));
        }
        line.append(String.format(", vocabulary %d", counts.path("vocabularySize").asInt()));
        if (counts.path("unknownShare").isNumber()) {
            line.append(String.format(", %.1f %% unknown", 100 * counts.path("unknownShare").asDouble()));
        }
        return line.toString();
    }

    static String describe(JsonNode run) {
        String model = run.path("model").asText().toUpperCase();
        String status = run.path("status").asText();
        StringBuilder line = new StringBuilder(String.format("%-4s run %s %-9s epoch %d/%d", model,
                shortId(run.path("id").asText()), status, run.path("epoch").asInt(), run.path("epochs").asInt()));
        JsonNode history = run.path("history");
        if (history.size() > 0) {
            JsonNode last = history.get(history.size() - 1);
            appendIf(line, "train loss", last.path("trainLoss"));
            appendIf(line, "validation loss", last.path("validationLoss"));
            appendIf(line, "perplexity", last.path("validationPerplexity"));
            appendIf(line, "D loss", last.path("discriminatorLoss"));
            appendIf(line, "G loss", last.path("generatorLoss"));
            appendIf(line, "diversity", last.path("sampleDiversity"));
            // the trainer's own ETA knows the run's time budget and early stopping; epochs left is the fallback
            double seconds = last.path("seconds").asDouble(0);
            int remaining = run.path("epochs").asInt() - run.path("epoch").asInt();
            if (status.equals("RUNNING") && run.path("etaSeconds").isNumber()) {
                line.append(String.format(", ETA %.0f s", run.path("etaSeconds").asDouble()));
            } else if (status.equals("RUNNING") && seconds > 0 && remaining > 0) {
                line.append(String.format(", ETA %.0f s", seconds * remaining));
            }
        }
        return line.toString();
    }

    private static void appendIf(StringBuilder line, String name, JsonNode value) {
        if (value.isNumber()) {
            line.append(String.format(", %s %.3f", name, value.asDouble()));
        }
    }

    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    private static void checkDeadline(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out: " + what);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
