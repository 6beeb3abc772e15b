// Parses every .mid/.midi under a directory with @tonejs/midi, timed the same way as IngestBenchmark:
// files read into memory first, warm-up rounds, median of the timed repeats.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import tonejs from '@tonejs/midi';

const { Midi } = tonejs;
const [dir, warmupArg = '3', repeatsArg = '5'] = process.argv.slice(2);

function walk(path) {
  return readdirSync(path).sort().flatMap((name) => {
    const full = join(path, name);
    if (statSync(full).isDirectory()) return walk(full);
    return /\.midi?$/i.test(name) ? [full] : [];
  });
}

const files = walk(dir).map((f) => readFileSync(f));
function parseAll() {
  let notes = 0;
  for (const bytes of files) {
    try {
      const midi = new Midi(bytes);
      for (const track of midi.tracks) {
        if (track.channel !== 9) notes += track.notes.length;
      }
    } catch {
      // unreadable files count as zero notes, as in the Java benchmark
    }
  }
  return notes;
}

const notes = parseAll();
for (let i = 0; i < Number(warmupArg); i++) parseAll();
const seconds = [];
for (let i = 0; i < Number(repeatsArg); i++) {
  const start = process.hrtime.bigint();
  parseAll();
  seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
}
seconds.sort((a, b) => a - b);
const median = seconds[Math.floor(seconds.length / 2)];
console.log(`tonejs.parse seconds=${median.toFixed(4)} files_per_s=${(files.length / median).toFixed(1)} ` +
  `notes_per_s=${(notes / median).toFixed(0)} notes=${notes}`);
