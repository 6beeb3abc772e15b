package org.musicgen.bench;

import org.musicgen.core.model.gan.token.TokenGan;
import org.musicgen.core.model.generate.LstmInference;
import org.musicgen.core.model.generate.SamplingParams;
import org.musicgen.core.model.generate.TokenSampler;
import org.musicgen.core.model.lstm.LstmModel;
import com.fasterxml.jackson.databind.JsonNode;
import org.musicgen.core.dataset.CorpusDataset;
import org.musicgen.core.encoding.Encoding;
import org.musicgen.core.encoding.Encodings;
import org.musicgen.core.metrics.SampleMetrics;
import org.musicgen.core.metrics.TrainingNgramIndex;
import org.musicgen.core.midi.MidiWriter;
import org.musicgen.core.midi.Score;
import org.musicgen.core.render.PianoRollRenderer;
import org.musicgen.core.render.PianoSynth;
import org.musicgen.mainjob.LocalServices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generation latency and throughput of the generator service on CPU (issue 4), measured over HTTP against the
 * packaged service running as its own process on a local stack:
 * <ul>
 *   <li>N sequential 500-id LSTM samples (events or tokens of the corpus's encoding), N sequential GAN samples of one sequence and of 5 chained sequences:
 *       latency p50/p95/mean (each series, the warm-up and the in-process rounds also stop once they ran
 *       {@code --phase-seconds});</li>
 *   <li>8 concurrent clients for a fixed time, LSTM and GAN: samples/s, errors, latency p50/p95;</li>
 *   <li>where the time goes: the service's own time per sample (its log), and, in this JVM with the same weights,
 *       sampling alone and each rendering stage (MIDI, audio, piano roll, metrics) of a 500-id sample.</li>
 * </ul>
 * The models have the trainer's default architectures, trained for a few epochs (latency does not depend on how
 * well they learned). The service's automatic batch is off, so nothing but the requests runs in it.
 * {@code --torch-threads N} sets PyTorch's intra-op threads ({@code ai.djl.pytorch.num_threads}) in the service and
 * in this JVM; by default both run as the main job runs them (PyTorch's default: one thread per core).
 *
 * <pre>
 * GenerationBenchmark [--samples 20] [--length 500] [--clients 8] [--lstm-seconds 45] [--gan-seconds 20]
 *     [--phase-seconds 75] [--warmup 2] [--pieces 48] [--encoding performance|seed] [--lstm-epochs 2]
 *     [--gan-epochs 2] [--in-process 5] [--torch-threads N] [--out DIR]
 * </pre>
 * The synthetic corpus is encoded as ingest would with {@code --encoding} (default performance: 500 events are about
 * 150 notes, 500 seed tokens about 680).
 * Results: {@code result.json} and {@code result.md} in the output folder (default
 * {@code benchmarks/target/generation-benchmark}), service logs in its {@code logs/}.
 */
public final class GenerationBenchmark {

    private static final Pattern SERVICE_LINE = Pattern.compile(
            "sample ([0-9a-f-]{36}): (\\w+) run \\S+, (\\d+) \\w+ ids, \\d+ notes, [0-9.,]+ s of music, in (\\d+) ms");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private GenerationBenchmark() {
    }

    /** One measured series of requests. */
    static final class Phase {
        final String name;
        final Latencies latency = new Latencies();
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        volatile String firstError;
        volatile long tokens;
        volatile long notes;
        volatile double musicSeconds;
        int clients = 1;
        double wallSeconds;

        Phase(String name) {
            this.name = name;
        }

        synchronized void record(Http.Reply reply) {
            requests.incrementAndGet();
            if (reply.status() != 201) {
                errors.incrementAndGet();
                if (firstError == null) {
                    firstError = "HTTP " + reply.status() + ": " + reply.text();
                }
                return;
            }
            latency.addNanos(reply.nanos());
            JsonNode sample = reply.json().path("sample");
            ids.add(sample.path("id").asText());
            tokens += sample.path("tokens").asLong();
            notes += sample.path("notes").asLong();
            musicSeconds += sample.path("durationSeconds").asDouble();
        }

        double samplesPerSecond() {
            return latency.count() / wallSeconds;
        }

        Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("clients", clients);
            out.put("requests", requests.get());
            out.put("ok", latency.count());
            out.put("errors", errors.get());
            if (firstError != null) {
                out.put("first_error", firstError);
            }
            out.put("wall_s", Latencies.round(wallSeconds));
            out.put("samples_per_s", round3(samplesPerSecond()));
            out.put("tokens_per_sample", latency.count() == 0 ? null : tokens / latency.count());
            out.put("notes_per_sample", latency.count() == 0 ? null : notes / latency.count());
            out.put("music_s_per_sample", latency.count() == 0 ? null
                    : Latencies.round(musicSeconds / latency.count()));
            out.put("latency", latency.summary());
            return out;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int samples = intOption(options, "samples", 20);
        int length = intOption(options, "length", 500);
        int clients = intOption(options, "clients", 8);
        int lstmSeconds = intOption(options, "lstm-seconds", 45);
        int ganSeconds = intOption(options, "gan-seconds", 20);
        int phaseSeconds = intOption(options, "phase-seconds", 75);
        int warmup = intOption(options, "warmup", 2);
        int pieces = intOption(options, "pieces", 48);
        String encodingName = Encodings.checkName(options.get("encoding"));
        int lstmEpochs = intOption(options, "lstm-epochs", 2);
        int ganEpochs = intOption(options, "gan-epochs", 2);
        int inProcess = intOption(options, "in-process", 5);
        Path root = Path.of(System.getProperty("musicgen.root", ".")).toAbsolutePath().normalize();
        Path out = root.resolve(options.getOrDefault("out", "benchmarks/target/generation-benchmark"));
        Files.createDirectories(out);
        String torchThreads = options.get("torch-threads");
        Map<String, String> generatorProperties = new HashMap<>(Map.of("musicgen.generator.batch-size", "0",
                "musicgen.generator.corpus-excerpts", "0"));
        if (torchThreads != null) {
            // Read by DJL when the engine starts: before any model exists here, and on the service's command line.
            System.setProperty("ai.djl.pytorch.num_threads", torchThreads);
            generatorProperties.put("ai.djl.pytorch.num_threads", torchThreads);
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "generation");
        result.put("started", LocalDateTime.now().withNano(0).toString());
        result.put("machine", machine());
        result.put("torch_threads", torchThreads == null ? "default (one per core)" : torchThreads);
        long runStart = System.nanoTime();

        CorpusDataset dataset = BenchModels.syntheticCorpus(pieces, encodingName);
        result.put("encoding", encodingName);
        say("corpus: %d synthetic pieces, %s encoding, %d sequences of %d ids, vocabulary %d", pieces, encodingName,
                dataset.sequences().size(), dataset.sequences().sequenceLength(), dataset.encoding().size());
        Map<String, Map<String, String>> properties = Map.of(LocalServices.GENERATOR, generatorProperties);

        say("starting the local stack (Kafka, S3) on free ports");
        try (BenchPlatform bench = BenchPlatform.start(root, out.resolve("logs"), null, properties)) {
            String corpusId = BenchModels.publishDataset(bench.stack(), dataset);
            say("training the default LSTM (%d epochs) and GAN (%d epochs) in this JVM", lstmEpochs, ganEpochs);
            try (BenchModels.Trained<LstmModel> lstm = BenchModels.trainLstm(bench.stack(), corpusId, dataset,
                    lstmEpochs);
                 BenchModels.Trained<TokenGan> gan = BenchModels.trainGan(bench.stack(), corpusId, dataset,
                         ganEpochs)) {
                say("LSTM: %d parameters, config %s (%.1f s)", lstm.model().parameterCount(), lstm.model().config(),
                        lstm.trainingSeconds());
                say("GAN: %d parameters, config %s (%.1f s)", gan.model().parameterCount(), gan.model().config(),
                        gan.trainingSeconds());
                result.put("models", Map.of(
                        "lstm", Map.of("parameters", lstm.model().parameterCount(),
                                "config", lstm.model().config().toString(), "epochs", lstmEpochs),
                        "gan", Map.of("parameters", gan.model().parameterCount(),
                                "config", gan.model().config().toString(), "epochs", ganEpochs),
                        "encoding", encodingName,
                        "vocabulary", dataset.encoding().size()));
                BenchModels.announce(bench.stack(), lstm.event());
                BenchModels.announce(bench.stack(), gan.event());

                say("starting generator-service (batch off) from its packaged application");
                long s0 = System.nanoTime();
                bench.startServices(Duration.ofMinutes(3), LocalServices.GENERATOR);
                say("generator-service ready in %.1f s", (System.nanoTime() - s0) / 1e9);
                String url = bench.url(LocalServices.GENERATOR) + "/api/samples";
                Http http = new Http(null);
                awaitModel(http, url, lstmBody(lstm.runId(), 20, 0));
                awaitModel(http, url, ganBody(gan.runId(), 0, 1));
                say("both models are registered and answer");

                IntFunction<String> lstmRequest = i -> lstmBody(lstm.runId(), length, 1000L + i);
                IntFunction<String> ganOne = i -> ganBody(gan.runId(), 2000L + i, 1);
                IntFunction<String> ganFive = i -> ganBody(gan.runId(), 3000L + i, 5);
                long warmupEnd = System.nanoTime() + phaseSeconds * 1_000_000_000L;
                for (int i = 0; i < warmup && System.nanoTime() < warmupEnd; i++) {
                    require(http.postJson(url, lstmBody(lstm.runId(), length, 900L + i), Duration.ofMinutes(5)));
                    require(http.postJson(url, ganBody(gan.runId(), 1900L + i, 1), Duration.ofMinutes(5)));
                    require(http.postJson(url, ganBody(gan.runId(), 2900L + i, 5), Duration.ofMinutes(5)));
                }
                say("warmed up (%d requests of each kind)", warmup);

                List<Phase> phases = new ArrayList<>();
                phases.add(sequential("lstm " + length + " tokens, sequential", samples, phaseSeconds, http, url,
                        lstmRequest));
                phases.add(sequential("gan 1 sequence, sequential", samples, phaseSeconds, http, url, ganOne));
                phases.add(sequential("gan 5 chained sequences, sequential", samples, phaseSeconds, http, url,
                        ganFive));
                phases.add(concurrent("lstm " + length + " tokens, " + clients + " clients", clients, lstmSeconds,
                        http, url, i -> lstmBody(lstm.runId(), length, 5000L + i)));
                phases.add(concurrent("gan 1 sequence, " + clients + " clients", clients, ganSeconds, http, url,
                        i -> ganBody(gan.runId(), 7000L + i, 1)));

                checkDownloads(http, bench.url(LocalServices.GENERATOR), phases.get(0).ids.get(0), result);

                Map<String, Double> serviceMillis = serviceMillis(bench.logFile(LocalServices.GENERATOR));
                Map<String, Object> phaseResults = new LinkedHashMap<>();
                for (Phase phase : phases) {
                    Map<String, Object> values = phase.toMap();
                    Latencies service = new Latencies();
                    for (String id : phase.ids) {
                        Double ms = serviceMillis.get(id);
                        if (ms != null) {
                            service.addMillis(ms);
                        }
                    }
                    values.put("service_time", service.summary());
                    phaseResults.put(phase.name, values);
                }
                result.put("http", phaseResults);

                say("in-process breakdown (same weights, this JVM, %d repetitions)", inProcess);
                result.put("in_process", inProcess(lstm.model(), gan.model(), dataset, length, inProcess,
                        phaseSeconds));
            }
        }
        result.put("total_s", Latencies.round((System.nanoTime() - runStart) / 1e9));
        result.put("load_average_end", loadAverage());
        Files.writeString(out.resolve("result.json"), Http.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(result) + "\n");
        String markdown = markdown(result);
        Files.writeString(out.resolve("result.md"), markdown);
        System.out.println();
        System.out.println(markdown);
        say("results in %s and %s", out.resolve("result.json"), out.resolve("result.md"));
        System.out.println(resultLine(result, length, clients));
        System.exit(0);
    }

    /** The one line the contract asks for, last on the output. */
    @SuppressWarnings("unchecked")
    static String resultLine(Map<String, Object> result, int length, int clients) {
        Map<String, Object> http = (Map<String, Object>) result.get("http");
        Map<String, Object> lstm = (Map<String, Object>) http.get("lstm " + length + " tokens, sequential");
        Map<String, Object> lstmLatency = (Map<String, Object>) lstm.get("latency");
        Map<String, Object> gan = (Map<String, Object>) ((Map<String, Object>) http.get("gan 1 sequence, sequential"))
                .get("latency");
        Map<String, Object> lstmClients = (Map<String, Object>) http.get("lstm " + length + " tokens, " + clients
                + " clients");
        Map<String, Object> in = (Map<String, Object>) result.get("in_process");
        Map<String, Object> sampling = (Map<String, Object>) in.get("lstm_sampling_" + length + "_tokens");
        Map<String, Object> downloads = (Map<String, Object>) result.get("downloads_of_one_lstm_sample");
        return String.format(Locale.ROOT, "result lstm_%d_p50_ms=%s lstm_%d_p95_ms=%s sampling_%d_p50_ms=%s "
                        + "gan_p50_ms=%s lstm_%d_clients_samples_per_s=%s audio_bytes_per_minute=%s", length,
                lstmLatency.get("p50_ms"), length, lstmLatency.get("p95_ms"), length, sampling.get("p50_ms"),
                gan.get("p50_ms"), clients, lstmClients.get("samples_per_s"),
                downloads.get("audio_bytes_per_minute"));
    }

    static String lstmBody(String runId, int length, long seed) {
        return "{\"runId\":\"" + runId + "\",\"length\":" + length + ",\"seed\":" + seed + "}";
    }

    static String ganBody(String runId, long seed, int sequences) {
        return "{\"runId\":\"" + runId + "\",\"seed\":" + seed + ",\"sequences\":" + sequences + "}";
    }

    /** Posts until the generator knows the run (it answers 404 until it consumed the models.trained event). */
    static void awaitModel(Http http, String url, String body) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Http.Reply reply = http.postJson(url, body, Duration.ofMinutes(2));
            if (reply.status() == 201) {
                return;
            }
            if (reply.status() != 404 || System.nanoTime() > deadline) {
                throw new IllegalStateException("the generator did not accept " + body + ": HTTP " + reply.status()
                        + " " + reply.text());
            }
            Thread.sleep(500);
        }
    }

    private static void require(Http.Reply reply) {
        if (reply.status() != 201) {
            throw new IllegalStateException("warm-up request failed: HTTP " + reply.status() + " " + reply.text());
        }
    }

    /** {@code count} requests one after the other, fewer if {@code seconds} passed first. */
    static Phase sequential(String name, int count, int seconds, Http http, String url, IntFunction<String> body) {
        Phase phase = new Phase(name);
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        for (int i = 0; i < count && System.nanoTime() < end; i++) {
            phase.record(http.postJson(url, body.apply(i), Duration.ofMinutes(5)));
        }
        phase.wallSeconds = (System.nanoTime() - t0) / 1e9;
        say("%-40s %s, errors %d", name, phase.latency.line(), phase.errors.get());
        return phase;
    }

    /** {@code clients} threads send back to back until {@code seconds} passed; requests under way finish. */
    static Phase concurrent(String name, int clients, int seconds, Http http, String url, IntFunction<String> body)
            throws InterruptedException {
        Phase phase = new Phase(name);
        phase.clients = clients;
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    phase.record(http.postJson(url, body.apply(next.getAndIncrement()), Duration.ofMinutes(5)));
                }
            }, "client-" + c);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        phase.wallSeconds = (System.nanoTime() - t0) / 1e9;
        say("%-40s %s, errors %d, %.2f samples/s", name, phase.latency.line(), phase.errors.get(),
                phase.samplesPerSecond());
        return phase;
    }

    /** The sample's MIDI, audio and piano roll download; their sizes go into the result. */
    private static void checkDownloads(Http http, String base, String sampleId, Map<String, Object> result) {
        Map<String, Object> sizes = new LinkedHashMap<>();
        for (String kind : List.of("midi", "audio", "pianoroll")) {
            Http.Reply reply = http.get(base + "/api/samples/" + sampleId + "/" + kind, Duration.ofSeconds(30));
            if (reply.status() != 200 || reply.body().length == 0) {
                throw new IllegalStateException("GET " + kind + " of sample " + sampleId + ": HTTP " + reply.status());
            }
            sizes.put(kind + "_bytes", reply.body().length);
            sizes.put(kind + "_get_ms", Latencies.round(reply.millis()));
        }
        double seconds = http.get(base + "/api/samples/" + sampleId, Duration.ofSeconds(30)).json()
                .path("seconds").asDouble();
        sizes.put("music_s", Latencies.round(seconds));
        // what a minute of music costs to ship: the listening form downloads the MIDI and plays it on the piano it
        // bundles (js/piano.js with its voicing, about 85 KB once per rater); the stored WAV is what it used to get
        sizes.put("audio_bytes_per_minute", Math.round(((Integer) sizes.get("midi_bytes")) * 60 / seconds));
        sizes.put("wav_bytes_per_minute", Math.round(((Integer) sizes.get("audio_bytes")) * 60 / seconds));
        result.put("downloads_of_one_lstm_sample", sizes);
    }

    /** The service's own time per sample id (generation, rendering and storing), from its log. */
    static Map<String, Double> serviceMillis(Path log) throws IOException {
        Map<String, Double> out = new HashMap<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log)) {
            Matcher m = SERVICE_LINE.matcher(line);
            if (m.find()) {
                out.put(m.group(1), Double.parseDouble(m.group(4)));
            }
        }
        return out;
    }

    /**
     * Token sampling alone and each rendering stage, as the generator does them, on the same weights: one warm-up
     * round, then {@code repetitions} rounds, fewer if {@code seconds} passed first.
     */
    private static Map<String, Object> inProcess(LstmModel lstm, TokenGan gan, CorpusDataset dataset, int length,
                                                 int repetitions, int seconds) {
        Encoding encoding = dataset.encoding();
        TrainingNgramIndex ngrams = TrainingNgramIndex.build(dataset.sequences(), TrainingNgramIndex.DEFAULT_N);
        // The generator's settings: 22,050 Hz mono, at most 120 s of audio, its synthesised piano.
        PianoSynth audio = new PianoSynth(22_050, 1.0, 120);
        int[] first = dataset.sequences().sequences().get(0);
        int[] prompt = Arrays.copyOf(first, 16);

        Latencies lstmSampling = new Latencies();
        Latencies lstmEight = new Latencies();
        Latencies gan1 = new Latencies();
        Latencies gan5 = new Latencies();
        Map<String, Latencies> lstmRender = stages();
        Map<String, Latencies> ganRender = stages();
        double musicSeconds = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int done = 0;
        // as the service samples: on the pure-Java snapshot taken once when the model is loaded, one request at a
        // time; the batch of 8 is the automatic batch's shape (rows share each reading of the weights)
        LstmInference net = LstmInference.of(lstm);
        int[][] eight = new int[8][];
        Arrays.fill(eight, prompt);
        for (int r = -1; r < repetitions && (r < 1 || System.nanoTime() < end); r++) {
            SamplingParams[] seeds = new SamplingParams[8];
            for (int i = 0; i < 8; i++) {
                seeds[i] = new SamplingParams(1.0, 0, 0.95, 1000L * r + i);
            }
            long s0 = System.nanoTime();
            TokenSampler.generate(net, eight, length, seeds, encoding::grammar);
            long t0 = System.nanoTime();
            int[] tokens = TokenSampler.generate(net, prompt, length, new SamplingParams(1.0, 0, 0.95, 100L + r),
                    encoding::grammar);
            long t1 = System.nanoTime();
            gan.sample(200L + r, 1);
            long t2 = System.nanoTime();
            int[][] chained = gan.sample(300L + r, 5);
            long t3 = System.nanoTime();
            Map<String, Long> lstmStages = render(tokens, encoding, audio, ngrams);
            int[] ganTokens = Arrays.stream(chained).flatMapToInt(Arrays::stream).toArray();
            Map<String, Long> ganStages = render(ganTokens, encoding, audio, ngrams);
            if (r < 0) {
                continue; // warm-up
            }
            lstmSampling.addNanos(t1 - t0);
            lstmEight.addNanos(t0 - s0);
            gan1.addNanos(t2 - t1);
            gan5.addNanos(t3 - t2);
            lstmStages.forEach((stage, nanos) -> lstmRender.get(stage).addNanos(nanos));
            ganStages.forEach((stage, nanos) -> ganRender.get(stage).addNanos(nanos));
            musicSeconds += encoding.decode(tokens).lengthSeconds();
            done++;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("repetitions", done);
        out.put("audio", "PianoSynth, 22,050 Hz mono");
        out.put("lstm_sampling_" + length + "_tokens", lstmSampling.summary());
        out.put("lstm_sampling_" + length + "_tokens_8_rows_together", lstmEight.summary());
        out.put("lstm_sampling_tokens_per_s", Latencies.round(length / (lstmSampling.percentile(50) / 1000)));
        out.put("lstm_ms_per_token", round3(lstmSampling.percentile(50) / length));
        out.put("lstm_music_s_per_sample", Latencies.round(musicSeconds / done));
        out.put("gan_sample_1_sequence", gan1.summary());
        out.put("gan_sample_5_sequences", gan5.summary());
        out.put("render_lstm_" + length + "_tokens", stageSummary(lstmRender));
        out.put("render_gan_5_sequences", stageSummary(ganRender));
        say("in-process: LSTM sampling %s (%.0f tokens/s); GAN 1 sequence %s; GAN 5 sequences %s", lstmSampling.line(),
                length / (lstmSampling.percentile(50) / 1000), gan1.line(), gan5.line());
        lstmRender.forEach((stage, l) -> say("in-process render (LSTM sample) %-10s %s", stage, l.line()));
        return out;
    }

    private static Map<String, Latencies> stages() {
        Map<String, Latencies> stages = new LinkedHashMap<>();
        for (String stage : List.of("midi", "audio", "pianoroll", "metrics", "total")) {
            stages.put(stage, new Latencies());
        }
        return stages;
    }

    private static Map<String, Object> stageSummary(Map<String, Latencies> stages) {
        Map<String, Object> out = new LinkedHashMap<>();
        stages.forEach((stage, latencies) -> out.put(stage, latencies.summary()));
        return out;
    }

    /** The generator's rendering (SampleRenderer), stage by stage. */
    private static Map<String, Long> render(int[] tokens, Encoding encoding, PianoSynth audio,
                                            TrainingNgramIndex ngrams) {
        Map<String, Long> out = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Score score = encoding.decode(tokens);
        new MidiWriter().write(score);
        long t1 = System.nanoTime();
        audio.render(score);
        long t2 = System.nanoTime();
        new PianoRollRenderer().png(score);
        long t3 = System.nanoTime();
        new SampleMetrics().of(tokens, encoding, ngrams);
        long t4 = System.nanoTime();
        out.put("midi", t1 - t0);
        out.put("audio", t2 - t1);
        out.put("pianoroll", t3 - t2);
        out.put("metrics", t4 - t3);
        out.put("total", t4 - t0);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> result) {
        StringBuilder md = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) result.get("machine");
        md.append("Generation benchmark (").append(result.get("encoding")).append(" encoding), ")
                .append(result.get("started")).append(", ").append(machine.get("cores"))
                .append(" cores, Java ").append(machine.get("java")).append(", PyTorch intra-op threads ")
                .append(result.get("torch_threads")).append(", load average at start ")
                .append(machine.get("load_average_start")).append(", at end ").append(result.get("load_average_end"))
                .append("\n\n");
        md.append("| requests over HTTP | clients | ok | errors | p50 ms | p95 ms | mean ms | samples/s | "
                + "service p50 ms |\n|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Object> http = (Map<String, Object>) result.get("http");
        http.forEach((name, value) -> {
            Map<String, Object> phase = (Map<String, Object>) value;
            Map<String, Object> latency = (Map<String, Object>) phase.get("latency");
            Map<String, Object> service = (Map<String, Object>) phase.get("service_time");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", name,
                    phase.get("clients"), phase.get("ok"), phase.get("errors"), fmt(latency.get("p50_ms")),
                    fmt(latency.get("p95_ms")), fmt(latency.get("mean_ms")), phase.get("samples_per_s"),
                    fmt(service.get("p50_ms"))));
        });
        Map<String, Object> in = (Map<String, Object>) result.get("in_process");
        md.append("\n| in process (same weights) | p50 ms | p95 ms |\n|---|---|---|\n");
        in.forEach((name, value) -> {
            if (value instanceof Map<?, ?> map && map.containsKey("p50_ms")) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", name, fmt(map.get("p50_ms")),
                        fmt(map.get("p95_ms"))));
            } else if (value instanceof Map<?, ?> map) {
                map.forEach((stage, s) -> md.append(String.format(Locale.ROOT, "| %s: %s | %s | %s |%n", name, stage,
                        fmt(((Map<?, ?>) s).get("p50_ms")), fmt(((Map<?, ?>) s).get("p95_ms")))));
            }
        });
        md.append(String.format(Locale.ROOT, "%nLSTM sampling: %s tokens/s (%s ms per token); audio: %s%n",
                in.get("lstm_sampling_tokens_per_s"), in.get("lstm_ms_per_token"), in.get("audio")));
        return md.toString();
    }

    static String fmt(Object value) {
        if (value instanceof Number n) {
            return String.format(Locale.ROOT, "%,.0f", n.doubleValue());
        }
        return String.valueOf(value);
    }

    static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("load_average_start", loadAverage());
        return machine;
    }

    /** The 1, 5 and 15 minute load averages: how busy the machine was with other work. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    static int intOption(Map<String, String> options, String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    private static double round3(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : 0;
    }

    /** Ends the benchmark with status 3 once {@code seconds} have passed: a run never goes on unbounded. */
    static void exitAfter(int seconds) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            say("FAIL: the time limit of %d s is exceeded; stopping", seconds);
            System.exit(3);
        }, "time-limit");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    static void say(String format, Object... args) {
        System.out.println("[" + LocalDateTime.now().format(CLOCK) + "] " + String.format(Locale.ROOT, format, args));
    }
}
