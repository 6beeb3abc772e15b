// Renders a MIDI file with the listening form's piano.js under node, for PianoScriptTest:
// node render-midi.cjs <piano.js> <voicing.json> <in.mid> <out.wav> [clipSeconds]; prints the parsed notes as JSON.
const fs = require('fs');
const [script, voicingFile, midiFile, wavFile, clip] = process.argv.slice(2);
const piano = require(script);
const voicing = JSON.parse(fs.readFileSync(voicingFile, 'utf8'));
const midi = fs.readFileSync(midiFile);
const notes = piano.parseMidi(midi.buffer.slice(midi.byteOffset, midi.byteOffset + midi.length));
fs.writeFileSync(wavFile, new piano.Synth(voicing).wav(notes, clip === undefined ? undefined : Number(clip)));
process.stdout.write(JSON.stringify(notes));
