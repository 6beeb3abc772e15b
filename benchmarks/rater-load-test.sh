#!/usr/bin/env bash
# Raters at load, a replica killed (issue 29), bounded in time and count, on loopback: the local stack (real Kafka and
# S3), a listening test planted on it (LSTM, GAN and real clips of one length, low anchors naming their real
# excerpts), two evaluation-service replicas (the packaged application, separate JVMs and ports) and 200 simulated
# raters for 300 s, each a cookie session doing series of single, paired and Turing trials (and the catch items it is
# given) at human-like pauses scaled by 0.1, every request sent in turn to the replicas among the ready ones (a request
# with no answer or a 5xx goes to the other). Halfway one replica is SIGKILLed and started again. Then the export is
# held against every answer the raters were told was stored. Exit status 0 only when nothing was lost, duplicated or
# unexpected; past the time limit (seconds + 1200) the run stops with status 3. Results:
# benchmarks/target/rater-load-test/result.{json,md}; the last line of the output is `result key=value ...`.
#
#   benchmarks/rater-load-test.sh [--no-build] [--raters 200] [--seconds 300] [--kill-at 150] [--pace-scale 0.1]
#       [--listen-seconds 20] [--ramp-seconds 20] [--settle-seconds 120] [--lstm 24] [--gan 24] [--corpus 24]
#       [--anchors 12] [--clip-seconds 4] [--time-limit 1500]
source "$(dirname "$0")/service-bench-common.sh"
exec "$java_cmd" "${jvm_options[@]}" -cp "$classpath" org.musicgen.bench.RaterLoadTest "${args[@]+"${args[@]}"}"
