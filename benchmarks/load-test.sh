#!/usr/bin/env bash
# Load test (issue 7), bounded in time and count, on loopback: ingest-service and generator-service as separate
# processes on a local stack, writes authorised with an API key (MUSICGEN_API_KEY if set, else a random one; sent as
# X-API-Key). 8 clients upload 64 distinct synthetic corpora (3 pieces each, every 4th as a zip; 202 expected) and
# each is followed to READY; then 8 clients send 80 generation requests, LSTM and GAN alternately (201 expected).
# A gate: exit status 0 only with no errors, every corpus READY, requests without the key refused (401), all within
# the time limit (300 s; past it the run stops with status 3). Results: benchmarks/target/load-test/result.{json,md}.
#
#   benchmarks/load-test.sh [--no-build] [--uploads 64] [--clients 8] [--pieces 3] [--zip-every 4]
#       [--generations 80] [--time-limit 300] [--torch-threads N]
source "$(dirname "$0")/service-bench-common.sh"
exec "$java_cmd" "${jvm_options[@]}" -cp "$classpath" org.musicgen.bench.LoadTest "${args[@]+"${args[@]}"}"
