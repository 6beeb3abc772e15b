// The project's synthesised piano in the browser (the listening form and the Compose page, served to both from
// platform-common): reads a sample's MIDI file and plays it as a WAV made here, so a
// rater downloads a few kilobytes per minute of music instead of megabytes. It repeats music-core's PianoSynth step
// for step: every value a sine, power or exponential gave is read from the piano's voicing (piano-22050.json, written
// by PianoSynth), and the rest is IEEE arithmetic in the same order (Math.fround where Java works in float), which
// every browser computes alike. So every rater gets the same samples, and the Java synthesiser makes them too
// (checked by PianoScriptTest). Drum hits (MIDI channel 10) sound on the synthesised drum kit that the voicing also
// carries, as PianoSynth plays them. No framework, nothing loaded from elsewhere; also loadable by node for that test.
(function (root) {
  'use strict';

  var DEFAULT_TEMPO_US = 500000; // 120 bpm when a file sets no tempo, as MidiReader
  var DRUM_CHANNEL = 9;
  var DRUM_CLASS = drumClasses();

  /** music-core's DrumKit.classOf for every pitch: the class of drum a General MIDI drum pitch sounds, or -1. */
  function drumClasses() {
    var classOf = [];
    for (var p = 0; p < 128; p++) { classOf.push(-1); }
    function assign(drum, pitches) { pitches.forEach(function (pitch) { classOf[pitch] = drum; }); }
    // Magenta's drum encoder for every General MIDI drum pitch ...
    assign(0, [35, 36]);
    assign(1, [27, 28, 31, 32, 33, 34, 37, 38, 39, 40, 56, 65, 66, 75, 85]);
    assign(2, [42, 44, 54, 68, 69, 70, 71, 73, 78, 80]);
    assign(3, [46, 67, 72, 74, 79, 81]);
    assign(4, [29, 41, 43, 45, 61, 64, 84]);
    assign(5, [47, 48, 60, 63, 77, 86, 87]);
    assign(6, [30, 50, 62, 76, 83]);
    assign(7, [49, 52, 55, 57]);
    assign(8, [51, 53, 59, 82]);
    // ... then the Roland kit's own assignments (MusicVAE), where they differ
    assign(2, [22]);
    assign(3, [26]);
    assign(4, [58]);
    assign(5, [45]);
    assign(6, [48]);
    return classOf;
  }

  /**
   * Notes of a Standard MIDI File (PPQ timing), sorted as music-core's Score sorts them, with the drum hits that
   * MidiReader.withDrums() keeps: a hit of a mapped drum pitch on channel 10 is a note of one tick on channel 9.
   */
  function parseMidi(buffer) {
    var bytes = new Uint8Array(buffer);
    var pos = 0;
    function u8() {
      if (pos >= bytes.length) { throw new Error('truncated MIDI file'); }
      return bytes[pos++];
    }
    function u16() { return (u8() << 8) | u8(); }
    function u32() { return ((u8() << 24) >>> 0) + (u8() << 16) + (u8() << 8) + u8(); }
    function varlen() {
      var v = 0;
      for (var i = 0; i < 4; i++) {
        var b = u8();
        v = v * 128 + (b & 0x7f);
        if (!(b & 0x80)) { return v; }
      }
      throw new Error('bad variable-length number');
    }
    function chunk(name) {
      var id = String.fromCharCode(u8(), u8(), u8(), u8());
      if (id !== name) { throw new Error('expected ' + name + ', found ' + id); }
      return u32();
    }

    var headerLength = chunk('MThd');
    var headerEnd = pos + headerLength;
    u16(); // format
    var trackCount = u16();
    var division = u16();
    if (division & 0x8000) { throw new Error('SMPTE-timed MIDI is not supported'); }
    pos = headerEnd;

    var tempos = [];
    var tracks = [];
    for (var t = 0; t < trackCount && pos < bytes.length; t++) {
      var end = chunk('MTrk') + pos;
      var tick = 0;
      var status = 0;
      var events = [];
      while (pos < end) {
        tick += varlen();
        var b = u8();
        if (b === 0xff) {
          var type = u8();
          var len = varlen();
          if (type === 0x51 && len >= 3) {
            var us = (bytes[pos] << 16) | (bytes[pos + 1] << 8) | bytes[pos + 2];
            if (us > 0) { tempos.push([tick, us]); }
          }
          pos += len;
          status = 0;
          continue;
        }
        if (b === 0xf0 || b === 0xf7) {
          pos += varlen();
          status = 0;
          continue;
        }
        var first;
        if (b & 0x80) {
          status = b;
          first = u8();
        } else {
          if (!status) { throw new Error('running status without a status byte'); }
          first = b;
        }
        var command = status & 0xf0;
        var second = command === 0xc0 || command === 0xd0 ? 0 : u8();
        if (command === 0x90 || command === 0x80) {
          events.push([tick, command === 0x90 && second > 0, status & 0x0f, first, second]);
        }
      }
      pos = end;
      tracks.push({ events: events, end: tick });
    }

    // the tempo map, built as MidiReader builds it
    tempos.sort(function (x, y) { return x[0] - y[0]; }); // stable in every current engine
    var ticks = [0];
    var secs = [0];
    var perTick = [DEFAULT_TEMPO_US / 1e6 / division];
    var k = 0;
    tempos.forEach(function (tempo) {
      var at = tempo[0];
      var sec = secs[k] + (at - ticks[k]) * perTick[k];
      if (at === ticks[k]) { k--; }
      k++;
      ticks[k] = at;
      secs[k] = sec;
      perTick[k] = tempo[1] / 1e6 / division;
    });
    function seconds(at) {
      var seg = 0;
      while (seg < k && ticks[seg + 1] <= at) { seg++; }
      return secs[seg] + (at - ticks[seg]) * perTick[seg];
    }
    function note(pitch, velocity, channel, from, to) {
      var start = seconds(from);
      return { pitch: pitch, velocity: velocity, channel: channel, onsetTick: from, durationTicks: to - from,
        onsetSeconds: start, durationSeconds: seconds(to) - start };
    }

    var notes = [];
    tracks.forEach(function (track) {
      var sounding = {}; // channel * 128 + pitch -> FIFO of [tick, velocity]
      track.events.forEach(function (e) {
        if (e[2] === DRUM_CHANNEL) {
          // a hit sounds as the drum does, whatever its note-off: one tick stands for it
          if (e[1] && DRUM_CLASS[e[3]] >= 0) { notes.push(note(e[3], e[4], e[2], e[0], e[0] + 1)); }
          return;
        }
        var key = e[2] * 128 + e[3];
        if (e[1]) {
          (sounding[key] = sounding[key] || []).push([e[0], e[4]]);
        } else if (sounding[key] && sounding[key].length) {
          var start = sounding[key].shift();
          notes.push(note(e[3], start[1], e[2], start[0], e[0]));
        }
      });
      Object.keys(sounding).forEach(function (key) {
        sounding[key].forEach(function (start) {
          notes.push(note(key % 128, start[1], Math.floor(key / 128), start[0], Math.max(start[0], track.end)));
        });
      });
    });
    notes.sort(function (a, b) {
      return a.onsetTick - b.onsetTick || a.pitch - b.pitch || a.channel - b.channel
        || a.durationTicks - b.durationTicks || a.velocity - b.velocity;
    });
    return notes;
  }

  /** A synthesiser for one voicing (the parsed piano-22050.json); keeps each key's tone and each drum once made. */
  function Synth(voicing) {
    this.voicing = voicing;
    this.tones = [];
    this.drums = [];
  }

  /** A drum struck at full velocity (DrumSounds.synthesise): swept sines and filtered xorshift noise. */
  Synth.prototype.drum = function (drumClass) {
    if (!this.drums[drumClass]) {
      var voice = this.voicing.drums[drumClass];
      var attack = this.voicing.drumAttack;
      var length = voice.length;
      var out = new Float64Array(length);
      voice.tones.forEach(function (tone) {
        var amplitude = tone[0];
        var damping = tone[1];
        var to = tone[3];
        var excess = tone[2] - tone[3];
        var sweep = tone[4];
        var s = 0;
        var c = 1;
        for (var i = 0; i < length; i++) {
          out[i] += amplitude * s;
          var e = to + excess;
          c -= e * s;
          s += e * c;
          excess *= sweep;
          amplitude *= damping;
        }
      });
      if (voice.noises.length) {
        var white = new Float64Array(length);
        var x = voice.seed | 0;
        for (var j = 0; j < length; j++) {
          x ^= x << 13; // int32 arithmetic, as Java's int
          x ^= x >>> 17;
          x ^= x << 5;
          white[j] = x / 2147483648;
        }
        voice.noises.forEach(function (noise) {
          var amplitude = noise[0];
          var damping = noise[1];
          var low = noise[2];
          var high = noise[3];
          var previous = 0;
          var highPassed = 0;
          var lowPassed = 0;
          for (var i = 0; i < length; i++) {
            highPassed = high * (highPassed + white[i] - previous);
            previous = white[i];
            lowPassed += low * (highPassed - lowPassed);
            out[i] += amplitude * lowPassed;
            amplitude *= damping;
          }
        });
      }
      var sound = new Float32Array(length);
      for (var i = 0; i < length; i++) {
        var envelope = i < attack ? i / attack : 1;
        var fade = Math.min(1, (length - i) / (0.1 * length));
        sound[i] = out[i] * envelope * fade;
      }
      this.drums[drumClass] = sound;
    }
    return this.drums[drumClass];
  };

  Synth.prototype.tone = function (key) {
    if (!this.tones[key]) {
      var voice = this.voicing.voices[key];
      var attack = this.voicing.attack;
      var length = voice.length;
      var out = new Float64Array(length);
      voice.partials.forEach(function (partial) {
        var cw = partial[1];
        var sw = partial[2];
        var damping = partial[3];
        var re = partial[0];
        var im = 0;
        for (var i = 0; i < length; i++) {
          out[i] += im;
          var nre = (re * cw - im * sw) * damping;
          im = (re * sw + im * cw) * damping;
          re = nre;
        }
      });
      var tone = new Float32Array(length);
      for (var i = 0; i < length; i++) {
        var envelope = i < attack ? i / attack : 1;
        var fade = Math.min(1, (length - i) / (0.1 * length));
        tone[i] = out[i] / voice.norm * envelope * fade;
      }
      this.tones[key] = tone;
    }
    return this.tones[key];
  };

  /** Seconds faded out at the end of a clip: PianoSynth.FADE_SECONDS. */
  var FADE_SECONDS = 1.0;

  /**
   * 16-bit samples of the notes, as PianoSynth.pcm; given clipSeconds, as PianoSynth.pcm(score, clipSeconds): exactly
   * that long, its last second faded out.
   */
  Synth.prototype.pcm = function (notes, clipSeconds) {
    var v = this.voicing;
    var rate = v.sampleRate;
    var frames;
    var fade = 0;
    if (typeof clipSeconds === 'number' && isFinite(clipSeconds) && clipSeconds >= 0) {
      frames = Math.round(Math.min(v.maxSeconds, clipSeconds) * rate);
      fade = Math.min(frames, Math.round(FADE_SECONDS * rate));
    } else {
      var end = 0;
      notes.forEach(function (n) {
        if (n.channel !== DRUM_CHANNEL) {
          end = Math.max(end, n.onsetSeconds + n.durationSeconds + v.releaseSeconds);
        } else if (DRUM_CLASS[n.pitch] >= 0) {
          end = Math.max(end, n.onsetSeconds + v.drums[DRUM_CLASS[n.pitch]].length / rate);
        }
      });
      frames = Math.ceil(Math.min(v.maxSeconds, end + v.tailSeconds) * rate);
    }
    var mix = new Float32Array(frames);
    var release = v.release;
    var self = this;
    var f = Math.fround;
    notes.forEach(function (n) {
      if (n.channel === DRUM_CHANNEL) {
        self.addDrum(mix, n);
        return;
      }
      var key = n.pitch - v.lowest;
      if (key < 0 || key >= v.voices.length) { return; }
      var start = Math.round(n.onsetSeconds * rate);
      if (start >= frames) { return; }
      var tone = self.tone(key);
      var held = Math.max(1, Math.round(n.durationSeconds * rate));
      var length = Math.min(Math.min(tone.length, held + release), frames - start);
      var gain = f(v.gains[Math.max(1, n.velocity)]);
      for (var i = 0; i < length; i++) {
        var damper = i < held ? 1 : f(1 - f(f(i - held) / release));
        mix[start + i] += f(f(tone[i] * gain) * damper); // the Float32Array rounds the sum as Java's float does
      }
    });
    var pcm = new Int16Array(frames);
    var fadeFrom = frames - fade;
    for (var i = 0; i < frames; i++) {
      var x = i < fadeFrom ? mix[i] : mix[i] * ((frames - i) / fade);
      if (x > 0.8) {
        x = 0.8 + 0.2 * knee((x - 0.8) / 0.2);
      } else if (x < -0.8) {
        x = -0.8 - 0.2 * knee((-x - 0.8) / 0.2);
      }
      pcm[i] = Math.round(x * 32767);
    }
    return pcm;
  };

  /** The hit's drum sound, at its velocity, from its onset on (PianoSynth.addDrum). */
  Synth.prototype.addDrum = function (mix, n) {
    var drum = n.pitch >= 0 && n.pitch < 128 ? DRUM_CLASS[n.pitch] : -1;
    var start = Math.round(n.onsetSeconds * this.voicing.sampleRate);
    if (drum < 0 || start >= mix.length) { return; }
    var sound = this.drum(drum);
    var length = Math.min(sound.length, mix.length - start);
    var f = Math.fround;
    var gain = f(this.voicing.gains[Math.max(1, n.velocity)]);
    for (var i = 0; i < length; i++) {
      mix[start + i] += f(sound[i] * gain);
    }
  };

  function knee(t) { return t / (1 + t); }

  /** The notes as a mono 16-bit WAV file, the bytes PianoSynth.render writes (with clipSeconds: render(score, s)). */
  Synth.prototype.wav = function (notes, clipSeconds) {
    var pcm = this.pcm(notes, clipSeconds);
    var rate = this.voicing.sampleRate;
    var out = new DataView(new ArrayBuffer(44 + pcm.length * 2));
    function text(at, s) { for (var i = 0; i < s.length; i++) { out.setUint8(at + i, s.charCodeAt(i)); } }
    text(0, 'RIFF');
    out.setUint32(4, 36 + pcm.length * 2, true);
    text(8, 'WAVEfmt ');
    out.setUint32(16, 16, true);
    out.setUint16(20, 1, true);
    out.setUint16(22, 1, true);
    out.setUint32(24, rate, true);
    out.setUint32(28, rate * 2, true);
    out.setUint16(32, 2, true);
    out.setUint16(34, 16, true);
    text(36, 'data');
    out.setUint32(40, pcm.length * 2, true);
    for (var i = 0; i < pcm.length; i++) { out.setInt16(44 + 2 * i, pcm[i], true); }
    return new Uint8Array(out.buffer);
  };

  /** The General MIDI drum pitch's class in DrumKit's order (kick, snare, ...), or -1. */
  function drumClass(pitch) { return pitch >= 0 && pitch < 128 ? DRUM_CLASS[pitch] : -1; }

  var api = { parseMidi: parseMidi, Synth: Synth, drumClass: drumClass, DRUM_CHANNEL: DRUM_CHANNEL };
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else {
    root.MusicgenPiano = api;
  }
})(this);
