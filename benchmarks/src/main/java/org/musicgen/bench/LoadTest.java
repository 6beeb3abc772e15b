package org.musicgen.bench;

import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.lstm.LstmModel;
import com.fasterxml.jackson.databind.JsonNode;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.synth.GeneratedPiece;
import org.musicgen.core.synth.SyntheticCorpus;
import org.musicgen.mainjob.LocalServices;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.musicgen.bench.GenerationBenchmark.fmt;
import static org.musicgen.bench.GenerationBenchmark.exitAfter;
import static org.musicgen.bench.GenerationBenchmark.intOption;
import static org.musicgen.bench.GenerationBenchmark.say;

/**
 * A load test on loopback, bounded in time and in count (issue 7): ingest-service and generator-service as separate
 * processes on a local stack, write requests with the API key ({@code MUSICGEN_API_KEY}, sent as {@code X-API-Key}).
 * <ol>
 *   <li>{@code --clients} concurrent clients upload {@code --uploads} distinct synthetic corpora of {@code --pieces}
 *       pieces each (every {@code --zip-every}th as one zip archive): 202 expected; each corpus is then followed
 *       to READY. Reported: upload latency, time from submission to READY, errors (an answer other than 202, a
 *       failed or unfinished corpus), throughput.</li>
 *   <li>{@code --clients} concurrent clients send {@code --generations} generation requests, alternately LSTM (the
 *       model's sequence length) and GAN (one sequence), to models of the trainer's default architectures: 201
 *       expected.</li>
 * </ol>
 * It is a gate: the exit status is 0 only when there were no errors, every corpus became READY, requests without the
 * key were refused (401) and everything finished within {@code --time-limit} seconds (default 300); past that limit
 * the run is stopped (exit status 3). Results: {@code result.json} and {@code result.md} in the output folder
 * (default {@code benchmarks/target/load-test}). {@code --torch-threads N} sets PyTorch's intra-op threads
 * ({@code ai.djl.pytorch.num_threads}) in the generator; by default it runs as the main job runs it.
 * {@code --encoding performance|seed} (default performance) is the encoding of the uploads (their {@code encoding}
 * field) and of the corpus the models are trained on.
 */
public final class LoadTest {

    private LoadTest() {
    }

    /** One upload, ready to send. */
    private record Upload(int index, List<Http.Part> parts, int pieces, boolean zip, int bytes) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = GenerationBenchmark.options(args);
        int uploads = intOption(options, "uploads", 64);
        int clients = intOption(options, "clients", 8);
        int pieces = intOption(options, "pieces", 3);
        int zipEvery = intOption(options, "zip-every", 4);
        int generations = intOption(options, "generations", 80);
        int timeLimit = intOption(options, "time-limit", 300);
        int trainingPieces = intOption(options, "training-pieces", 24);
        String encoding = Encodings.checkName(options.get("encoding"));
        Path root = Path.of(System.getProperty("musicgen.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve(options.getOrDefault("out", "benchmarks/target/load-test"));
        Files.createDirectories(out);
        String torchThreads = options.get("torch-threads");

        long start = System.nanoTime();
        long deadline = start + timeLimit * 1_000_000_000L;
        exitAfter(timeLimit);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "load-test");
        result.put("started", LocalDateTime.now().withNano(0).toString());
        result.put("machine", GenerationBenchmark.machine());
        result.put("torch_threads", torchThreads == null ? "default (one per core)" : torchThreads);
        result.put("encoding", encoding);
        result.put("limits", Map.of("uploads", uploads, "clients", clients, "pieces_per_upload", pieces,
                "zip_every", zipEvery, "generations", generations, "time_limit_s", timeLimit));
        List<String> failures = new ArrayList<>();

        String apiKey = System.getenv("MUSICGEN_API_KEY");
        if (apiKey == null || apiKey.isBlank()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            apiKey = HexFormat.of().formatHex(random);
        }
        Map<String, String> generatorProperties = new java.util.HashMap<>(Map.of("musicgen.generator.batch-size", "0",
                "musicgen.generator.corpus-excerpts", "0"));
        if (torchThreads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", torchThreads);
            generatorProperties.put("ai.djl.pytorch.num_threads", torchThreads);
        }
        Map<String, Map<String, String>> properties = Map.of(LocalServices.GENERATOR, generatorProperties);

        say("starting the local stack (Kafka, S3) on free ports");
        try (BenchPlatform bench = BenchPlatform.start(root, out.resolve("logs"), apiKey, properties)) {
            CorpusDataset dataset = BenchModels.syntheticCorpus(trainingPieces, encoding);
            String corpusId = BenchModels.publishDataset(bench.stack(), dataset);
            String lstmRun;
            String ganRun;
            say("training the default LSTM and GAN for one epoch each (the models the requests use)");
            try (BenchModels.Trained<LstmModel> lstm = BenchModels.trainLstm(bench.stack(), corpusId, dataset, 1);
                 BenchModels.Trained<TokenGan> gan = BenchModels.trainGan(bench.stack(), corpusId, dataset, 1)) {
                BenchModels.announce(bench.stack(), lstm.event());
                BenchModels.announce(bench.stack(), gan.event());
                lstmRun = lstm.runId();
                ganRun = gan.runId();
            }

            say("starting ingest-service and generator-service (API key required for writes)");
            long s0 = System.nanoTime();
            bench.startServices(Duration.ofMinutes(3), LocalServices.INGEST, LocalServices.GENERATOR);
            say("services ready in %.1f s", (System.nanoTime() - s0) / 1e9);
            String ingest = bench.url(LocalServices.INGEST);
            String generator = bench.url(LocalServices.GENERATOR);
            Http http = new Http(apiKey);

            List<Upload> bodies = uploads(uploads, pieces, zipEvery, encoding);
            Map<String, Object> keyChecks = keyChecks(ingest, generator, lstmRun, bodies.get(0), failures);
            result.put("requests_without_key", keyChecks);
            GenerationBenchmark.awaitModel(http, generator + "/api/samples",
                    GenerationBenchmark.lstmBody(lstmRun, 20, 0));
            GenerationBenchmark.awaitModel(http, generator + "/api/samples",
                    GenerationBenchmark.ganBody(ganRun, 0, 1));

            result.put("uploads", uploadPhase(http, ingest, bodies, clients, deadline, failures));
            result.put("generation", generationPhase(http, generator, lstmRun, ganRun, generations, clients,
                    deadline, failures));
        }
        double total = (System.nanoTime() - start) / 1e9;
        result.put("total_s", Latencies.round(total));
        result.put("load_average_end", GenerationBenchmark.loadAverage());
        if (total > timeLimit) {
            failures.add(String.format(Locale.ROOT, "took %.0f s, more than the limit of %d s", total, timeLimit));
        }
        result.put("pass", failures.isEmpty());
        result.put("failures", failures);
        Files.writeString(out.resolve("result.json"), Http.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(result) + "\n");
        String markdown = markdown(result);
        Files.writeString(out.resolve("result.md"), markdown);
        System.out.println();
        System.out.println(markdown);
        say("results in %s", out.resolve("result.json"));
        if (failures.isEmpty()) {
            say("PASS: no errors, every corpus READY, every sample generated, within %d s", timeLimit);
            System.exit(0);
        }
        say("FAIL: %s", String.join("; ", failures));
        System.exit(1);
    }

    /** Distinct corpora: synthetic pieces of a different seed per upload; every {@code zipEvery}th as a zip. */
    private static List<Upload> uploads(int count, int pieces, int zipEvery, String encoding) {
        List<Upload> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SyntheticCorpus corpus = new SyntheticCorpus(10_000L + i);
            List<GeneratedPiece> generated = corpus.generate(pieces);
            List<Http.Part> parts = new ArrayList<>();
            parts.add(new Http.Part("name", null, null, ("load-test-" + i).getBytes(StandardCharsets.UTF_8)));
            parts.add(new Http.Part("encoding", null, null, encoding.getBytes(StandardCharsets.UTF_8)));
            boolean zip = zipEvery > 0 && i % zipEvery == zipEvery - 1;
            if (zip) {
                parts.add(new Http.Part("files", "load-test-" + i + ".zip", "application/zip", zip(generated)));
            } else {
                for (GeneratedPiece piece : generated) {
                    parts.add(new Http.Part("files", piece.fileName(), "audio/midi", piece.midi()));
                }
            }
            int bytes = parts.stream().mapToInt(p -> p.content().length).sum();
            out.add(new Upload(i, parts, pieces, zip, bytes));
        }
        return out;
    }

    private static byte[] zip(List<GeneratedPiece> pieces) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (GeneratedPiece piece : pieces) {
                zip.putNextEntry(new ZipEntry("pieces/" + piece.fileName()));
                zip.write(piece.midi());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes without the key must be refused with 401 by both services. */
    private static Map<String, Object> keyChecks(String ingest, String generator, String lstmRun, Upload upload,
                                                 List<String> failures) {
        Http anonymous = new Http(null);
        int ingestStatus = anonymous.postMultipart(ingest + "/api/corpora", upload.parts(), Duration.ofSeconds(30))
                .status();
        int generatorStatus = anonymous.postJson(generator + "/api/samples",
                GenerationBenchmark.lstmBody(lstmRun, 20, 0), Duration.ofSeconds(30)).status();
        if (ingestStatus != 401) {
            failures.add("an upload without the API key answered " + ingestStatus + ", not 401");
        }
        if (generatorStatus != 401) {
            failures.add("a generation request without the API key answered " + generatorStatus + ", not 401");
        }
        say("without the API key: upload HTTP %d, generation HTTP %d (401 expected)", ingestStatus, generatorStatus);
        return Map.of("upload_status", ingestStatus, "generation_status", generatorStatus);
    }

    private static Map<String, Object> uploadPhase(Http http, String ingest, List<Upload> uploads, int clients,
                                                   long deadline, List<String> failures) throws InterruptedException {
        say("uploads: %d corpora by %d clients", uploads.size(), clients);
        Latencies uploadLatency = new Latencies();
        Latencies toReady = new Latencies();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger uploadErrors = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger pollErrors = new AtomicInteger();
        AtomicLong sequences = new AtomicLong();
        AtomicLong lastReady = new AtomicLong();
        List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> pending = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger(clients);

        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < uploads.size() && System.nanoTime() < deadline) {
                        Upload upload = uploads.get(i);
                        long sent = System.nanoTime();
                        Http.Reply reply = http.postMultipart(ingest + "/api/corpora", upload.parts(),
                                Duration.ofMinutes(2));
                        if (reply.status() == 202) {
                            uploadLatency.addNanos(reply.nanos());
                            accepted.incrementAndGet();
                            pending.put(reply.json().path("id").asText(), sent);
                        } else {
                            uploadErrors.incrementAndGet();
                            errorSamples.add("upload " + i + ": HTTP " + reply.status() + " " + reply.text());
                        }
                    }
                } finally {
                    running.decrementAndGet();
                }
            }, "uploader-" + c);
            thread.start();
            threads.add(thread);
        }
        // One poller follows every accepted corpus to READY or FAILED.
        Thread poller = new Thread(() -> {
            while ((running.get() > 0 || !pending.isEmpty()) && System.nanoTime() < deadline) {
                for (Map.Entry<String, Long> entry : pending.entrySet()) {
                    Http.Reply reply = http.get(ingest + "/api/corpora/" + entry.getKey(), Duration.ofSeconds(30));
                    if (reply.status() != 200) {
                        pollErrors.incrementAndGet();
                        errorSamples.add("GET corpus " + entry.getKey() + ": HTTP " + reply.status() + " "
                                + reply.text());
                        continue;
                    }
                    JsonNode corpus = reply.json();
                    String status = corpus.path("status").asText();
                    if (status.equals("READY")) {
                        long now = System.nanoTime();
                        toReady.addNanos(now - entry.getValue());
                        lastReady.set(now);
                        sequences.addAndGet(corpus.path("counts").path("sequences").asLong());
                        pending.remove(entry.getKey());
                    } else if (status.equals("FAILED")) {
                        failed.incrementAndGet();
                        errorSamples.add("corpus " + entry.getKey() + " FAILED: " + corpus.path("failure").asText());
                        pending.remove(entry.getKey());
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "poller");
        poller.start();
        for (Thread thread : threads) {
            thread.join();
        }
        double uploadSeconds = (System.nanoTime() - t0) / 1e9;
        poller.join();
        double readySeconds = lastReady.get() == 0 ? Double.NaN : (lastReady.get() - t0) / 1e9;

        int notSent = uploads.size() - accepted.get() - uploadErrors.get();
        int unfinished = pending.size();
        int errors = uploadErrors.get() + failed.get() + pollErrors.get() + unfinished + notSent;
        long bytes = uploads.stream().mapToLong(Upload::bytes).sum();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uploads", uploads.size());
        out.put("zip_uploads", uploads.stream().filter(Upload::zip).count());
        out.put("bytes", bytes);
        out.put("accepted_202", accepted.get());
        out.put("ready", toReady.count());
        out.put("errors", errors);
        out.put("errors_by_kind", Map.of("not_202", uploadErrors.get(), "failed", failed.get(),
                "poll_not_200", pollErrors.get(), "not_ready_in_time", unfinished, "not_sent_in_time", notSent));
        out.put("error_samples", errorSamples.stream().limit(5).toList());
        out.put("upload_wall_s", Latencies.round(uploadSeconds));
        out.put("uploads_per_s", Latencies.round(uploads.size() / uploadSeconds));
        out.put("all_ready_s", Latencies.round(readySeconds));
        out.put("corpora_ready_per_s", Latencies.round(toReady.count() / readySeconds));
        out.put("sequences", sequences.get());
        out.put("upload_latency", uploadLatency.summary());
        out.put("submit_to_ready", toReady.summary());
        say("uploads: %d accepted, %d READY, %d errors; upload %s; submit to READY %s; all READY after %.1f s",
                accepted.get(), toReady.count(), errors, uploadLatency.line(), toReady.line(), readySeconds);
        if (errors > 0) {
            failures.add(errors + " upload errors (" + out.get("errors_by_kind") + "), e.g. "
                    + errorSamples.stream().limit(2).toList());
        }
        return out;
    }

    private static Map<String, Object> generationPhase(Http http, String generator, String lstmRun, String ganRun,
                                                       int count, int clients, long deadline, List<String> failures)
            throws InterruptedException {
        say("generation: %d requests (LSTM and GAN alternately) by %d clients", count, clients);
        String url = generator + "/api/samples";
        Latencies all = new Latencies();
        Latencies lstm = new Latencies();
        Latencies gan = new Latencies();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                    boolean isLstm = i % 2 == 0;
                    String body = isLstm
                            ? "{\"runId\":\"" + lstmRun + "\",\"seed\":" + (100 + i) + "}"
                            : GenerationBenchmark.ganBody(ganRun, 100 + i, 1);
                    sent.incrementAndGet();
                    Http.Reply reply = http.postJson(url, body, Duration.ofMinutes(2));
                    if (reply.status() == 201) {
                        all.addNanos(reply.nanos());
                        (isLstm ? lstm : gan).addNanos(reply.nanos());
                    } else {
                        errors.incrementAndGet();
                        errorSamples.add("request " + i + ": HTTP " + reply.status() + " " + reply.text());
                    }
                }
            }, "generator-client-" + c);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int notSent = count - sent.get();
        int totalErrors = errors.get() + notSent;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", count);
        out.put("created_201", all.count());
        out.put("errors", totalErrors);
        out.put("errors_by_kind", Map.of("not_201", errors.get(), "not_sent_in_time", notSent));
        out.put("error_samples", errorSamples.stream().limit(5).toList());
        out.put("wall_s", Latencies.round(seconds));
        out.put("samples_per_s", Latencies.round(all.count() / seconds));
        out.put("latency", all.summary());
        out.put("latency_lstm", lstm.summary());
        out.put("latency_gan", gan.summary());
        say("generation: %d created, %d errors, %.2f samples/s; all %s; LSTM %s; GAN %s", all.count(), totalErrors,
                all.count() / seconds, all.line(), lstm.line(), gan.line());
        if (totalErrors > 0) {
            failures.add(totalErrors + " generation errors, e.g. " + errorSamples.stream().limit(2).toList());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> result) {
        Map<String, Object> machine = (Map<String, Object>) result.get("machine");
        Map<String, Object> up = (Map<String, Object>) result.get("uploads");
        Map<String, Object> gen = (Map<String, Object>) result.get("generation");
        StringBuilder md = new StringBuilder();
        md.append("Load test (").append(result.get("encoding")).append(" encoding), ").append(result.get("started")).append(", ").append(machine.get("cores"))
                .append(" cores, Java ").append(machine.get("java")).append(", PyTorch intra-op threads in the "
                        + "generator ").append(result.get("torch_threads")).append(", load average at start ")
                .append(machine.get("load_average_start")).append(", at end ").append(result.get("load_average_end"))
                .append(", total ").append(result.get("total_s")).append(" s: ")
                .append(Boolean.TRUE.equals(result.get("pass")) ? "PASS" : "FAIL " + result.get("failures"))
                .append("\n\n");
        if (up != null) {
            Map<String, Object> ul = (Map<String, Object>) up.get("upload_latency");
            Map<String, Object> rl = (Map<String, Object>) up.get("submit_to_ready");
            md.append("| uploads | accepted (202) | READY | errors | upload p50 / p95 / max ms | submit to READY "
                    + "p50 / p95 ms | uploads/s | all READY after s |\n|---|---|---|---|---|---|---|---|\n");
            md.append(String.format(Locale.ROOT, "| %s (%s as zip) | %s | %s | %s | %s / %s / %s | %s / %s | %s | %s |%n",
                    up.get("uploads"), up.get("zip_uploads"), up.get("accepted_202"), up.get("ready"),
                    up.get("errors"), fmt(ul.get("p50_ms")), fmt(ul.get("p95_ms")), fmt(ul.get("max_ms")),
                    fmt(rl.get("p50_ms")), fmt(rl.get("p95_ms")), up.get("uploads_per_s"), up.get("all_ready_s")));
        }
        if (gen != null) {
            md.append("\n| generation requests | created (201) | errors | p50 ms | p95 ms | max ms | samples/s |\n"
                    + "|---|---|---|---|---|---|---|\n");
            for (String kind : List.of("latency", "latency_lstm", "latency_gan")) {
                Map<String, Object> l = (Map<String, Object>) gen.get(kind);
                String name = kind.equals("latency") ? "all " + gen.get("requests")
                        : kind.equals("latency_lstm") ? "LSTM (one window)" : "GAN (1 sequence)";
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", name, l.get("count"),
                        kind.equals("latency") ? gen.get("errors") : "", fmt(l.get("p50_ms")), fmt(l.get("p95_ms")),
                        fmt(l.get("max_ms")), kind.equals("latency") ? gen.get("samples_per_s") : ""));
            }
        }
        return md.toString();
    }
}
