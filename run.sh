#!/usr/bin/env bash
# The main job: builds the project, starts the local stack (Kafka, S3) and the four services as separate
# processes, submits a corpus (the bundled synthetic one unless --corpus names a directory, zip or MIDI file),
# trains the LSTM and the GAN, generates samples and prints the URL of the listening form. Ctrl-C stops
# everything; the data stays in .local-stack/ (or $MUSICGEN_DATA_DIR) for the next start.
#
#   ./run.sh [--corpus DIR|ZIP|MID] [--pieces N] [--drums] [--encoding performance|performance-drums|seed]
#            [--data-dir DIR] [--external] [--exit-when-done] [--no-build]
#
# --encoding is the corpus's encoding (the upload's 'encoding' field): performance (the default, expressive events),
# performance-drums (the same with drum hits) or seed (the reference study's note/chord tokens).
# --drums gives the synthetic pieces a drum part and trains them in performance-drums (with --corpus: the encoding).
#
# --external uses an existing Kafka and object store: set KAFKA_BOOTSTRAP_SERVERS, MUSICGEN_STORAGE_ENDPOINT,
# MUSICGEN_STORAGE_ACCESS_KEY and MUSICGEN_STORAGE_SECRET_KEY.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build=true
args=()
for arg in "$@"; do
  if [ "$arg" = "--no-build" ]; then build=false; else args+=("$arg"); fi
done

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java_cmd="$JAVA_HOME/bin/java"; else java_cmd=java; fi

if $build; then
  echo "[run] building (./mvnw -B -q install -DskipTests; the first build downloads dependencies and takes a few minutes)"
  (cd "$root" && ./mvnw -B -q install -DskipTests)
fi

job="$root/deploy/local/main-job"
cp_file="$job/target/main-job.classpath"
if [ ! -f "$cp_file" ] || [ ! -d "$job/target/classes" ]; then
  echo "[run] the project is not built: run without --no-build" >&2
  exit 1
fi

exec "$java_cmd" -Xmx256m -Dmusicgen.root="$root" -cp "$job/target/classes:$(cat "$cp_file")" \
  org.musicgen.mainjob.MainJob "${args[@]+"${args[@]}"}"
