#!/usr/bin/env bash
# Drum round trip on real files (issue 27): every MIDI file under DIR (default ../shared/corpora/groove, the Groove
# MIDI Dataset) read with drums, encoded in performance-drums, decoded, written and read again; each hit must come back
# with its class, 10 ms step and velocity bin on channel 10. Tests cannot read corpora outside the repository, so this
# is where real drums are checked. The last line is
#   result files=N hits=H merged_share=S mismatched=M   (merged: two hits of one drum in one 10 ms step, by design)
#
#   benchmarks/drum-roundtrip.sh [DIR] [--limit N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/../shared/corpora/groove}"
[ -d "$dir" ] || { echo "no such directory: $dir" >&2; exit 2; }
shift || true
cd "$root"
./mvnw -B -q -pl benchmarks -am compile
exec java -Xmx1g -cp music-core/target/classes:benchmarks/target/classes org.musicgen.bench.DrumRoundTrip "$dir" "$@"
