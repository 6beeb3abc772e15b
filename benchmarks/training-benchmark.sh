#!/usr/bin/env bash
# Training benchmark: the default LSTM's held-out bits per note after a time budget, against the best
# Kneser-Ney n-gram (order 1-5 chosen on valid/) and the unigram, with samples compared to real excerpts.
# Usage:
#   benchmarks/training-benchmark.sh [--corpus DIR | --synthetic N] [--encoding performance|performance-drums|seed] [--minutes M]
#       [--model lstm|gan|both] [--samples N] [--prompt N] [--temperature T] [--top-p P] [--device cpu|gpu]
#       [--save-model FILE | --load-model FILE] [--controls [--out DIR] [--control-samples F]]
#       [name=value LSTM hyper-parameters, gan.name=value]
# --save-model writes the best LSTM parameters; --load-model samples and scores them without training (pass the
# same hyper-parameters).
# DIR holds train/, valid/ and optionally test/ (reported on). Default: the shared piano-midi corpus, 20 minutes.
# Ends with: result encoding=E lstm_bits_per_note=X ngram_bits_per_note=Y ngram_order=N unigram_bits_per_note=Z
#            unk_share=U lstm_tokens_per_s=T
# --controls (issue 26; 20 minutes by default) trains the LSTM with controls (labels from DIR/metadata.csv), measures
# key, density and composer following and 60 s coherence, writes tables, piano rolls and the learning curve into
# --out (default benchmarks/target/controls-TIME), and ends instead with: result lstm_bits_per_note=X
#   ngram_bits_per_note=Y key_accuracy=K density_error=D label_accuracy_samples=S label_accuracy_real=R
#   pitch_class_distance=P real_pitch_class_distance_p5=Q key_kept_samples=A key_kept_real=B
# --model gan ends with: result gan_sequences_per_s=S gan_metrics_inside_real_spread=K/N gan_diversity=D
#   real_diversity=R; on a corpus with drums (--encoding performance-drums, e.g. --corpus ../shared/corpora/groove)
#   the GAN writes a drum track and the line adds drum_pattern_gan=G drum_pattern_real=R drum_pattern_random=X
#   drum_hits_per_bar_gan/real, drum_kick_on_one_gan/real, drum_stats_inside_real_spread=K/6 and
#   drum_random_inside_real_spread=K/6 (random drum rolls at the corpus's hit density).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--corpus "$root/../shared/corpora/piano-midi" --encoding performance --minutes 20)
fi
./mvnw -B -q -pl benchmarks -am install -DskipTests
cp_file=$(mktemp)
./mvnw -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
classpath="benchmarks/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec java -Xmx4g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$classpath" org.musicgen.bench.TrainingBenchmark "${args[@]}"
