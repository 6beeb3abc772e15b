#!/usr/bin/env bash
# Training benchmark: LSTM tokens/s (with FLOPs per token, so it reads as achieved GFLOP/s), GAN
# sequences/s, and the LSTM's held-out perplexity against unigram and Kneser-Ney trigram baselines after a
# fixed time budget. Usage:
#   benchmarks/training-benchmark.sh [--corpus DIR | --synthetic N [--one-key true]] [--minutes M]
#       [--model lstm|gan|both] [--sequence-length L] [--stride S] [--device cpu|gpu] [name=value ...]
# Default: the shared JSB chorales (train/ for training, valid/ for perplexity), 3 minutes per model.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--corpus "$root/../shared/corpora/jsb-chorales" --minutes 3 --sequence-length 64 --stride 16)
fi
./mvnw -B -q -pl benchmarks -am install -DskipTests
cp_file=$(mktemp)
./mvnw -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
classpath="benchmarks/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec java -Xmx4g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$classpath" org.musicgen.bench.TrainingBenchmark "${args[@]}"
