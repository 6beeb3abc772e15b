#!/usr/bin/env bash
# Generation benchmark (issue 4): latency p50/p95 of one 500-token LSTM sample and of one GAN sample (one sequence,
# and 5 chained) on CPU, and samples/s with 8 concurrent clients, over HTTP against generator-service running as its
# own process on a local stack (real Kafka and S3 on free loopback ports). The models have the trainer's default
# architectures, trained for 2 epochs in the benchmark; the service's automatic batch is off. Also reports where the
# time goes: the service's own time per sample, LSTM token sampling alone (tokens/s) and each rendering stage.
# About 4-5 minutes after the build. Results: benchmarks/target/generation-benchmark/result.{json,md}; the last line is
#   result lstm_500_p50_ms=A lstm_500_p95_ms=B sampling_500_p50_ms=C gan_p50_ms=D lstm_8_clients_samples_per_s=E
#          audio_bytes_per_minute=F   (one line; issue 13)
#
#   benchmarks/generation-benchmark.sh [--no-build] [--samples 20] [--length 500] [--clients 8]
#       [--lstm-seconds 45] [--gan-seconds 20] [--phase-seconds 75] [--warmup 2] [--lstm-epochs 2] [--gan-epochs 2]
#       [--in-process 5] [--torch-threads N]
source "$(dirname "$0")/service-bench-common.sh"
exec "$java_cmd" "${jvm_options[@]}" -cp "$classpath" org.musicgen.bench.GenerationBenchmark "${args[@]+"${args[@]}"}"
