# Shared by generation-benchmark.sh, load-test.sh and rater-load-test.sh (sourced, not run): builds the project
# unless --no-build is among the arguments (the services' packaged applications are what the benchmarks start), then
# sets java_cmd and classpath. Extra Maven options, e.g. -o for offline, go in MAVEN_ARGS (read by Maven itself).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build=true
args=()
for arg in "$@"; do
  if [ "$arg" = "--no-build" ]; then build=false; else args+=("$arg"); fi
done
if $build; then
  echo "[bench] building the benchmarks and the services they start (./mvnw -B -q install -DskipTests -pl benchmarks -am)"
  ./mvnw -B -q install -DskipTests -pl benchmarks -am
fi
cp_file="$root/benchmarks/target/benchmarks.classpath"
for needed in "$cp_file" "$root/benchmarks/target/classes"; do
  [ -e "$needed" ] || { echo "[bench] $needed is missing: run without --no-build" >&2; exit 1; }
done
classpath="$root/benchmarks/target/classes:$(cat "$cp_file")"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java_cmd="$JAVA_HOME/bin/java"; else java_cmd=java; fi
echo "# machine: $(nproc) cores, $("$java_cmd" -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
jvm_options=(-Xmx2g -Djava.awt.headless=true -Dai.djl.offline=true -Dmusicgen.root="$root"
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn --add-exports=java.desktop/com.sun.media.sound=ALL-UNNAMED)
