// The Compose page: lists the trained models, asks one for a piece with the controls chosen here, shows the phases
// while it is written, then plays it on the project's piano (piano.js, the same bytes as the Java PianoSynth), shows
// its piano roll, the controls asked against those reached, and offers the MIDI. No framework, nothing from elsewhere.
// The API key lives in sessionStorage only (this tab, until it closes) and travels in the X-API-Key header: never in a
// cookie, a URL or a log line.
(function () {
  'use strict';

  var KEY_STORE = 'musicgen.apiKey';
  var TONICS = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
  // the final metrics worth a glance when choosing, per family, in this order (all of them in the card's tooltip)
  var SHOWN_METRICS = {
    lstm: [['bitsPerNote', 'bits per note'], ['ngramBitsPerNote', 'n-gram bits per note'],
      ['validationPerplexity', 'validation perplexity']],
    gan: [['generatorLoss', 'generator loss'], ['discriminatorLoss', 'discriminator loss'],
      ['samplePitchClassDistance', 'pitch-class distance']]
  };
  var SAMPLE_METRICS = [['pitch_class_entropy', 'pitch-class entropy'], ['pitch_range', 'pitch range'],
    ['polyphony', 'polyphony'], ['scale_consistency', 'scale consistency'], ['repetition_rate', 'repetition rate'],
    ['copied_share', 'copied from training'], ['empty_beat_rate', 'empty beats']];

  var state = { models: [], selected: null, piano: null, url: null, timer: null };

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  // ----- the API key: this tab's session only -----
  function apiKey() {
    try { return window.sessionStorage.getItem(KEY_STORE) || ''; } catch (e) { return ''; }
  }

  function showKeyState() {
    var set = apiKey() !== '';
    $('key-entry').hidden = set;
    $('key-set').hidden = !set;
  }

  function saveKey(event) {
    event.preventDefault();
    var input = $('api-key');
    var key = input.value.trim();
    input.value = '';
    if (!key) { input.focus(); return; }
    try { window.sessionStorage.setItem(KEY_STORE, key); } catch (e) { showError('This browser keeps no session storage: the key cannot be kept.'); }
    showKeyState();
  }

  function forgetKey() {
    try { window.sessionStorage.removeItem(KEY_STORE); } catch (e) { /* nothing kept */ }
    showKeyState();
    $('api-key').focus();
  }

  // ----- models -----
  function format(value) {
    if (typeof value !== 'number' || !isFinite(value)) { return String(value); }
    var abs = Math.abs(value);
    return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  }

  function loadModels() {
    return fetch('/api/models', { headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) { throw new Error('the model list answered HTTP ' + r.status); }
      return r.json();
    }).then(renderModels).catch(function (e) {
      $('models').innerHTML = '';
      $('models').appendChild(el('p', 'error', 'The trained models could not be listed: ' + e.message));
    });
  }

  function renderModels(corpora) {
    var box = $('models');
    box.innerHTML = '';
    state.models = [];
    if (!corpora.length) {
      box.appendChild(el('p', 'note', 'No trained model yet. Models appear here once a training run has finished.'));
      $('compose').disabled = true;
      return;
    }
    corpora.forEach(function (corpus) {
      var section = el('section', 'corpus');
      section.appendChild(el('h3', null, 'Corpus ' + corpus.corpusId));
      var list = el('div', 'model-list');
      list.setAttribute('role', 'radiogroup');
      list.setAttribute('aria-label', 'Models of corpus ' + corpus.corpusId);
      corpus.models.forEach(function (model) {
        state.models.push(model);
        list.appendChild(modelCard(model));
      });
      section.appendChild(list);
      box.appendChild(section);
    });
    var first = box.querySelector('input[name=model]');
    first.checked = true;
    select(state.models[0]);
  }

  function modelCard(model) {
    var label = el('label', 'model');
    var input = el('input');
    input.type = 'radio';
    input.name = 'model';
    input.value = model.runId;
    input.addEventListener('change', function () { select(model); });
    var box = el('span', 'box');
    var family = model.model === 'lstm' ? 'LSTM' : model.kind === 'roll-gan' ? 'GAN (piano roll)' : 'GAN (tokens)';
    box.appendChild(el('span', 'name', family));
    box.appendChild(el('span', 'run', 'run ' + model.runId.slice(0, 8) + ' · '
      + new Date(model.trainedAt).toLocaleDateString()));
    var chips = el('span', 'chips');
    chips.appendChild(el('span', 'chip', model.encoding + ' encoding'));
    chips.appendChild(el('span', 'chip ' + (model.controls ? 'yes' : 'no'),
      model.controls ? 'takes controls' : 'no controls'));
    box.appendChild(chips);
    var facts = el('dl');
    function fact(name, value) {
      facts.appendChild(el('dt', null, name));
      facts.appendChild(el('dd', null, value));
    }
    fact('labels', model.labels.length ? shortList(model.labels) : 'none');
    (SHOWN_METRICS[model.model] || []).forEach(function (m) {
      if (model.metrics[m[0]] !== undefined) { fact(m[1], format(model.metrics[m[0]])); }
    });
    fact('epochs', String(model.checkpointEpoch === model.epochs ? model.epochs
      : model.checkpointEpoch + ' (best) of ' + model.epochs));
    box.appendChild(facts);
    box.title = Object.keys(model.metrics).sort().map(function (k) {
      return k + ' = ' + format(model.metrics[k]);
    }).join('\n');
    label.appendChild(input);
    label.appendChild(box);
    return label;
  }

  function shortList(values) {
    return values.length <= 6 ? values.join(', ') : values.slice(0, 6).join(', ') + ' and ' + (values.length - 6)
      + ' more';
  }

  function select(model) {
    state.selected = model;
    var controls = $('controls');
    controls.disabled = !model.controls;
    $('like-prompt').disabled = !model.controls;
    if (!model.controls) { $('like-prompt').checked = false; }
    var note = $('controls-note');
    note.hidden = model.controls;
    note.textContent = 'This model was trained without controls: it writes as it likes. Key, density, label and '
      + '"like the prompt" need a model trained with controls.';
    var labels = $('label');
    labels.innerHTML = '';
    labels.appendChild(option('', 'any'));
    model.labels.forEach(function (l) { labels.appendChild(option(l, l)); });
    labels.disabled = !model.controls || !model.labels.length;
    var lstm = model.model === 'lstm';
    $('temperature').disabled = !lstm;
    $('temperature').title = lstm ? '' : 'The GAN draws from noise: no temperature';
    $('selected-model').textContent = (lstm ? 'LSTM' : 'GAN') + ' · run ' + model.runId.slice(0, 8);
    $('compose').disabled = false;
  }

  function option(value, text) {
    var o = el('option', null, text);
    o.value = value;
    return o;
  }

  // ----- composing -----
  function Phases(names) {
    var list = $('phases');
    list.innerHTML = '';
    this.items = names.map(function (name) {
      var li = el('li');
      li.appendChild(el('span', 'label', name));
      li.appendChild(el('span', 'took', ''));
      list.appendChild(li);
      return li;
    });
    this.index = -1;
    this.started = performance.now();
    this.phaseStarted = this.started;
    var self = this;
    clearInterval(state.timer);
    state.timer = setInterval(function () { self.tick(); }, 100);
  }

  Phases.prototype.next = function () {
    var now = performance.now();
    if (this.index >= 0) {
      this.items[this.index].className = 'done';
      this.items[this.index].lastChild.textContent = seconds(now - this.phaseStarted);
    }
    this.index++;
    this.phaseStarted = now;
    if (this.index < this.items.length) { this.items[this.index].className = 'active'; }
  };

  Phases.prototype.tick = function () {
    if (this.index >= 0 && this.index < this.items.length) {
      this.items[this.index].lastChild.textContent = seconds(performance.now() - this.phaseStarted);
    }
  };

  Phases.prototype.finish = function () {
    while (this.index < this.items.length) { this.next(); }
    clearInterval(state.timer);
    return performance.now() - this.started;
  };

  Phases.prototype.stop = function () { clearInterval(state.timer); };

  function seconds(ms) { return (ms / 1000).toFixed(1) + ' s'; }

  function number(id) {
    var v = $(id).value.trim();
    return v === '' ? null : Number(v);
  }

  function request(model) {
    var req = { runId: model.runId };
    var s = number('seconds');
    if (s !== null) { req.seconds = s; }
    var seed = number('seed');
    if (seed !== null) { req.seed = seed; }
    if (model.model === 'lstm') {
      var t = number('temperature');
      if (t !== null) { req.temperature = t; }
    }
    if (model.controls) {
      if ($('key').value) { req.key = $('key').value; }
      var density = number('density');
      if (density !== null) { req.notesPerSecond = density; }
      if ($('label').value) { req.label = $('label').value; }
      if ($('like-prompt').checked) { req.likePrompt = true; }
    }
    return req;
  }

  function compose(event) {
    event.preventDefault();
    var model = state.selected;
    if (!model) { showError('Choose a model first.'); return; }
    var req = request(model);
    var file = $('prompt').files[0];
    if (req.likePrompt && !file) { showError('"Like the prompt" needs a MIDI prompt: choose a file.'); return; }
    var headers = { Accept: 'application/json' };
    var key = apiKey();
    if (key) { headers['X-API-Key'] = key; }
    var body;
    if (file) {
      body = new FormData();
      body.append('request', JSON.stringify(req));
      body.append('prompt', file, file.name);
    } else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(req);
    }
    hideError();
    $('compose').disabled = true;
    $('progress').hidden = false;
    $('progress-bar').removeAttribute('value');
    var phases = new Phases([file ? 'Sending the prompt; the model composes on the server' : 'The model composes on the server',
      'Fetching the MIDI and the piano roll', 'Playing it on the piano in this browser']);
    phases.next();
    fetch('/api/samples', { method: 'POST', headers: headers, body: body, credentials: 'omit' }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (json) {
        if (!r.ok) {
          var why = json.detail || json.title || ('HTTP ' + r.status);
          if (r.status === 401) { why += '. Enter the API key above.'; forgetKey(); }
          throw new Error(why);
        }
        return json;
      });
    }).then(function (view) {
      phases.next();
      return Promise.all([fetchMidi(view), loadRoll(view.links.pianoroll), piano()]).then(function (got) {
        phases.next();
        return play(view, got[0], got[2]);
      });
    }).then(function (view) {
      var total = phases.finish();
      $('progress-bar').value = 1;
      $('progress-bar').max = 1;
      showResult(view, total);
    }).catch(function (e) {
      phases.stop();
      $('progress').hidden = true;
      showError(e.message);
    }).then(function () { $('compose').disabled = false; });
  }

  function fetchMidi(view) {
    return fetch(view.links.midi).then(function (r) {
      if (!r.ok) { throw new Error('the MIDI answered HTTP ' + r.status); }
      return r.arrayBuffer();
    });
  }

  function loadRoll(url) {
    return new Promise(function (resolve) {
      var img = $('roll');
      img.onload = function () { resolve(); };
      img.onerror = function () { resolve(); };
      img.src = url;
    });
  }

  function piano() {
    if (!window.MusicgenPiano) { return Promise.resolve(null); }
    if (!state.piano) {
      state.piano = fetch('/audio/piano-22050.json').then(function (r) {
        if (!r.ok) { throw new Error('piano: HTTP ' + r.status); }
        return r.json();
      }).then(function (voicing) { return new window.MusicgenPiano.Synth(voicing); });
      state.piano.catch(function () { state.piano = null; });
    }
    return state.piano.catch(function () { return null; });
  }

  // The MIDI on the bundled piano: the bytes the service's WAV holds, made here from a few KB; the WAV otherwise.
  function play(view, midi, synth) {
    var audio = $('player');
    if (state.url) { URL.revokeObjectURL(state.url); state.url = null; }
    if (synth && window.URL && URL.createObjectURL) {
      try {
        var wav = synth.wav(window.MusicgenPiano.parseMidi(midi), view.sample.clipSeconds || undefined);
        state.url = URL.createObjectURL(new Blob([wav], { type: 'audio/wav' }));
        audio.src = state.url;
        audio.dataset.source = 'piano';
        return view;
      } catch (e) { /* the stored WAV below */ }
    }
    audio.src = view.links.audio;
    audio.dataset.source = 'wav';
    return view;
  }

  // ----- the result -----
  function showResult(view, totalMs) {
    var sample = view.sample;
    var result = $('result');
    result.hidden = false;
    result.dataset.sample = sample.id;
    $('result-summary').textContent = format(view.seconds) + ' s, ' + sample.notes + ' notes, from the '
      + (sample.model === 'lstm' ? 'LSTM' : 'GAN') + ' of run ' + sample.runId.slice(0, 8) + ', seed '
      + sample.parameters.seed + '. Composed and ready in ' + seconds(totalMs) + '.';
    $('download').href = view.links.midi;
    $('download').setAttribute('download', 'musicgen-' + sample.id.slice(0, 8) + '.mid');
    $('wav').href = view.links.audio;
    var controls = sample.controls || {};
    renderControls(controls.asked || {}, controls.reached || {});
    renderMetrics(view);
    $('result-title').tabIndex = -1;
    result.scrollIntoView({ behavior: 'smooth', block: 'start' });
    $('result-title').focus({ preventScroll: true });
  }

  function renderControls(asked, reached) {
    var body = $('controls-table').tBodies[0];
    body.innerHTML = '';
    function row(name, a, r) {
      var tr = el('tr');
      tr.appendChild(el('th', null, name));
      var ta = el('td', a === null ? 'none' : null, a === null ? 'any' : a);
      var tb = el('td', r === null ? 'none' : null, r === null ? '—' : r);
      tr.appendChild(ta);
      tr.appendChild(tb);
      tr.dataset.control = name;
      body.appendChild(tr);
    }
    row('Key', asked.key || null, reached.key || null);
    row('Notes per second', num(asked.notesPerSecond), num(reached.notesPerSecond));
    row('Label', asked.label || null, asked.label ? 'not measured' : null);
    renderPitchClasses(asked.pitchClasses, reached.pitchClasses);
  }

  function num(v) { return typeof v === 'number' ? format(v) : null; }

  function renderPitchClasses(asked, reached) {
    var box = $('pitch-classes');
    box.innerHTML = '';
    if (!asked && !reached) { return; }
    var legend = el('div', 'pc-legend');
    [['asked', asked ? 'asked' : 'asked: any'], ['reached', 'reached']].forEach(function (p) {
      var span = el('span');
      span.appendChild(el('span', 'sw ' + p[0]));
      span.appendChild(document.createTextNode(p[1]));
      legend.appendChild(span);
    });
    box.appendChild(legend);
    var top = 0;
    [asked, reached].forEach(function (h) { (h || []).forEach(function (v) { top = Math.max(top, v); }); });
    var bars = el('div', 'pc-bars');
    var names = el('div', 'pc-names');
    for (var i = 0; i < 12; i++) {
      var pc = el('div', 'pc');
      [['asked', asked], ['reached', reached]].forEach(function (p) {
        if (!p[1]) { return; }
        var bar = el('span', 'bar ' + p[0]);
        bar.style.height = (top > 0 ? 100 * p[1][i] / top : 0).toFixed(1) + '%';
        bar.title = p[0] + ' ' + TONICS[i] + ': ' + (100 * p[1][i]).toFixed(1) + ' %';
        pc.appendChild(bar);
      });
      bars.appendChild(pc);
      names.appendChild(el('span', null, TONICS[i]));
    }
    box.appendChild(bars);
    box.appendChild(names);
  }

  function renderMetrics(view) {
    var dl = $('metrics');
    dl.innerHTML = '';
    function item(name, value) {
      dl.appendChild(el('dt', null, name));
      dl.appendChild(el('dd', null, value));
    }
    item('length', format(view.seconds) + ' s');
    item('notes', String(view.sample.notes));
    item(view.sample.encoding + ' events', String(view.events));
    SAMPLE_METRICS.forEach(function (m) {
      var v = view.sample.metrics[m[0]];
      if (v !== undefined) { item(m[1], format(v)); }
    });
  }

  function showError(message) {
    var box = $('error');
    box.textContent = message;
    box.hidden = false;
  }

  function hideError() { $('error').hidden = true; }

  function fillKeys() {
    var select = $('key');
    ['major', 'minor'].forEach(function (mode) {
      var group = el('optgroup');
      group.label = mode;
      TONICS.forEach(function (t) { group.appendChild(option(t + ' ' + mode, t + ' ' + mode)); });
      select.appendChild(group);
    });
  }

  function start() {
    fillKeys();
    showKeyState();
    $('key-form').addEventListener('submit', saveKey);
    $('key-forget').addEventListener('click', forgetKey);
    $('compose-form').addEventListener('submit', compose);
    $('dice').addEventListener('click', function () { $('seed').value = Math.floor(Math.random() * 1000000); });
    $('compose').disabled = true;
    loadModels();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
