#!/usr/bin/env bash
# Ingestion benchmark: music-core (parse alone, and parse + tokenise + segment) against the widely used
# @tonejs/midi parser under Node, on the same files. Usage: benchmarks/ingest-benchmark.sh [dir]
# (default: ../shared/corpora). Installs @tonejs/midi itself into a temporary folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/../shared/corpora}"
[ -d "$dir" ] || { echo "no such directory: $dir" >&2; exit 2; }
cd "$root"

./mvnw -B -q -pl benchmarks -am install -DskipTests
cp_file=$(mktemp)
./mvnw -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
classpath="benchmarks/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"

node_dir="${MUSICGEN_BENCH_NODE_DIR:-${TMPDIR:-/tmp}/musicgen-bench-node}"
mkdir -p "$node_dir"
cp benchmarks/node/package.json benchmarks/node/parse-tonejs.mjs "$node_dir/"
if [ ! -d "$node_dir/node_modules/@tonejs/midi" ]; then
  (cd "$node_dir" && npm install --no-package-lock --no-audit --no-fund --silent)
fi

echo "# machine: $(nproc) cores, $(java -version 2>&1 | head -1), node $(node --version)"
java_out=$(java -Xmx2g -cp "$classpath" org.musicgen.bench.IngestBenchmark "$dir" --warmup 3 --repeats 5)
node_out=$(node "$node_dir/parse-tonejs.mjs" "$dir" 3 5)
echo "$java_out"
echo "$node_out"
field() { echo "$1" | grep "^$2 " | tr ' ' '\n' | sed -n "s/^$3=//p"; }
jp=$(field "$java_out" java.parse files_per_s)
jw=$(field "$java_out" java.pipeline files_per_s)
tp=$(field "$node_out" tonejs.parse files_per_s)
awk -v jp="$jp" -v jw="$jw" -v tp="$tp" 'BEGIN {
  printf "ratio java.parse/tonejs.parse=%.2f java.pipeline/tonejs.parse=%.2f (above 1: music-core is faster)\n", jp/tp, jw/tp }'
