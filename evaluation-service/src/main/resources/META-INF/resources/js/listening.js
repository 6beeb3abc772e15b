// The listening form: consent, then the rater's blind series of trials. No framework, no external code.
(function () {
  'use strict';

  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var $ = function (id) { return document.getElementById(id); };
  var sections = ['consent', 'trial', 'done', 'empty'];

  var state = {
    trials: [],      // trials left in the series, in order
    total: 0,        // trials in the series
    done: 0,         // answered in the series
    current: null,   // the trial on screen
    players: [],     // one per piece on screen
    urls: [],        // object URLs of the audio made here for the trial on screen
    piano: null,     // promise of the bundled piano (piano.js with its voicing)
    rolls: [],       // after an answer: the piano rolls the rater may now see (left first)
    answered: false, // the trial on screen is answered and its notes may be revealed
    busy: false
  };

  function show(id) {
    sections.forEach(function (s) { $(s).hidden = s !== id; });
    var heading = $(id).querySelector('h1');
    if (heading && id !== 'consent') { heading.focus(); }
  }

  function error(message) {
    var box = $('error');
    box.textContent = message || '';
    box.hidden = !message;
  }

  function hint(message) { $('trial-hint').textContent = message || ''; }

  function api(method, url, body) {
    var headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      headers['X-CSRF-Token'] = csrf;
      headers['Content-Type'] = 'application/json';
    }
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { status: response.status, data: data, retryAfter: response.headers.get('Retry-After') };
      });
    });
  }

  function detail(result, fallback) {
    return (result.data && result.data.detail) || fallback;
  }

  // ----- series --------------------------------------------------------------------------------------------

  function load(method) {
    error('');
    return api(method, '/api/trials').then(function (result) {
      if (result.status !== 200) {
        error(detail(result, 'The trials could not be loaded (' + result.status + '). Reload the page to try again.'));
        return;
      }
      state.trials = result.data.trials;
      state.total = result.data.total;
      state.done = result.data.done;
      next();
    }, function () {
      error('The service cannot be reached. Check your connection and reload the page.');
    });
  }

  function next() {
    stopAll();
    if (state.trials.length === 0) {
      if (state.total === 0) {
        show('empty');
      } else {
        $('done-text').textContent = 'You answered ' + state.done + ' of ' + state.total
          + ' trials. Your answers are saved.';
        show('done');
      }
      return;
    }
    state.current = state.trials.shift();
    render(state.current);
  }

  // ----- one trial -----------------------------------------------------------------------------------------

  function twoPieces(trial) { return trial.kind === 'pair' || trial.kind === 'turing'; }

  var INSTRUCTIONS = {
    single: 'Play the piece, then answer the three questions.',
    pair: 'Play both pieces, then choose the one you prefer.',
    turing: 'One of these two pieces was written by a person, the other by a computer program. '
      + 'Play both, then say which one a person wrote.'
  };

  function render(trial) {
    var pair = twoPieces(trial);
    var turing = trial.kind === 'turing';
    var number = state.done + 1;
    $('trial-number').textContent = number;
    $('trial-total').textContent = state.total;
    $('trial-progress').max = state.total;
    $('trial-progress').value = state.done;
    $('trial-instructions').textContent = INSTRUCTIONS[trial.kind] || INSTRUCTIONS.single;
    $('trial-form').reset();
    $('single-questions').hidden = pair;
    $('pair-question').hidden = !pair;
    $('pair-legend').textContent = turing ? 'Which one was written by a person?' : 'Which piece do you prefer?';
    $('confidence-question').hidden = !turing;
    state.rolls = [];
    setAnswered(false);
    hint('');

    var pieces = $('pieces');
    pieces.textContent = '';
    state.urls.forEach(function (url) { URL.revokeObjectURL(url); });
    state.urls = [];
    pieces.classList.toggle('two', pair);
    state.players = trial.samples.map(function (sample, index) {
      var name = pair ? 'Piece ' + (index === 0 ? 'A' : 'B') : 'Piece';
      return player(sample, name, pieces);
    });
    show('trial');
  }

  function player(sample, name, parent) {
    var card = document.createElement('div');
    card.className = 'piece';
    var title = document.createElement('h2');
    title.textContent = name;
    card.appendChild(title);

    var audio = document.createElement('audio');
    audio.preload = 'auto';
    audio.dataset.sample = sample.id;
    var ready = source(sample, audio);
    card.appendChild(audio);

    var controls = document.createElement('div');
    controls.className = 'player';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'play';
    button.setAttribute('aria-pressed', 'false');
    var time = document.createElement('span');
    time.className = 'time';
    time.textContent = '0:00';
    var bar = document.createElement('progress');
    bar.max = 1;
    bar.value = 0;
    bar.setAttribute('aria-label', 'Position in ' + name.toLowerCase());
    controls.appendChild(button);
    controls.appendChild(bar);
    controls.appendChild(time);
    card.appendChild(controls);

    var heard = document.createElement('p');
    heard.className = 'heard';
    heard.textContent = 'Not played yet';
    card.appendChild(heard);

    if (sample.pianoRoll) { // only when the test shows the notes while listening
      roll(card, sample.pianoRoll, name);
    }
    parent.appendChild(card);

    var p = { audio: audio, ready: ready, button: button, heard: false, name: name, card: card, failed: false,
      sample: sample.id };
    function label() {
      var playing = !audio.paused && !audio.ended;
      button.textContent = (playing ? '❚❚ Pause ' : '▶ Play ') + name.charAt(0).toLowerCase() + name.slice(1);
      button.setAttribute('aria-pressed', playing ? 'true' : 'false');
    }
    label();
    button.addEventListener('click', function () { toggle(p); });
    audio.addEventListener('play', label);
    audio.addEventListener('pause', label);
    audio.addEventListener('ended', function () { label(); markHeard(p); });
    audio.addEventListener('timeupdate', function () {
      var d = isFinite(audio.duration) ? audio.duration : 0;
      bar.max = d || 1;
      bar.value = audio.currentTime;
      time.textContent = clock(audio.currentTime) + (d ? ' / ' + clock(d) : '');
      if (d && audio.currentTime >= Math.min(5, d * 0.9)) { markHeard(p); }
    });
    audio.addEventListener('error', function () {
      p.failed = true;
      heard.textContent = 'This piece could not be played. You can skip this trial.';
      card.classList.add('failed');
    });
    return p;
  }

  // The sample's MIDI (a few KB) played on the bundled piano, which makes the same samples in every browser; the
  // stored WAV when the sample has no MIDI or the piano cannot be used here. Resolves once the audio has a source.
  function source(sample, audio) {
    if (!sample.midi || !window.MusicgenPiano || !window.fetch || !window.URL || !URL.createObjectURL) {
      audio.src = sample.audio;
      return Promise.resolve();
    }
    if (!state.piano) {
      state.piano = fetch('/audio/piano-22050.json').then(function (r) {
        if (!r.ok) { throw new Error('piano: HTTP ' + r.status); }
        return r.json();
      }).then(function (voicing) { return new window.MusicgenPiano.Synth(voicing); });
      state.piano.catch(function () { state.piano = null; });
    }
    var midi = fetch(sample.midi).then(function (r) {
      if (!r.ok) { throw new Error('MIDI: HTTP ' + r.status); }
      return r.arrayBuffer();
    });
    return Promise.all([state.piano, midi]).then(function (both) {
      var wav = both[0].wav(window.MusicgenPiano.parseMidi(both[1]), sample.clipSeconds);
      var url = URL.createObjectURL(new Blob([wav], { type: 'audio/wav' }));
      state.urls.push(url);
      audio.src = url;
    }).catch(function () { audio.src = sample.audio; });
  }

  function roll(card, url, name) {
    var img = document.createElement('img');
    img.className = 'roll';
    img.src = url;
    img.alt = 'Piano roll of ' + name.toLowerCase() + ': time runs left to right, higher notes are higher up, drums (if any) in the labelled rows at the bottom.';
    card.appendChild(img);
    return img;
  }

  // ----- after the answer: the notes ----------------------------------------------------------------------

  function setAnswered(answered) {
    state.answered = answered;
    $('answered').hidden = !answered;
    $('answer-actions').hidden = answered;
    $('reveal').hidden = !answered || state.rolls.length === 0;
    $('reveal').disabled = false;
    Array.prototype.forEach.call(document.querySelectorAll('#trial-form fieldset'), function (f) {
      f.disabled = answered;
    });
    if (answered) { $('continue').focus(); }
  }

  function reveal() {
    if (!state.answered || $('reveal').disabled) { return; }
    $('reveal').disabled = true;
    state.rolls.forEach(function (url) {
      var p = state.players.filter(function (pl) { return url.indexOf('/' + pl.sample + '/') > 0; })[0];
      if (p) { roll(p.card, url, p.name); }
    });
    $('continue').focus();
  }

  function markHeard(p) {
    if (!p.heard) {
      p.heard = true;
      p.card.querySelector('.heard').textContent = 'Heard ✓';
      p.card.classList.add('was-heard');
    }
  }

  function clock(seconds) {
    var s = Math.floor(seconds || 0);
    return Math.floor(s / 60) + ':' + (s % 60 < 10 ? '0' : '') + (s % 60);
  }

  function toggle(p) {
    if (!p) { return; }
    if (!p.audio.getAttribute('src')) { // still being made from its MIDI: play once it is there
      if (!p.waiting) {
        p.waiting = true;
        p.ready.then(function () { p.waiting = false; toggle(p); });
      }
      return;
    }
    if (p.audio.paused || p.audio.ended) {
      state.players.forEach(function (other) { if (other !== p) { other.audio.pause(); } });
      var playing = p.audio.play();
      if (playing && playing.catch) {
        playing.catch(function () { hint('Your browser blocked playback; press the play button again.'); });
      }
    } else {
      p.audio.pause();
    }
  }

  function stopAll() {
    state.players.forEach(function (p) { p.audio.pause(); });
  }

  // ----- answers -------------------------------------------------------------------------------------------

  function fieldsets() {
    return Array.prototype.slice.call(document.querySelectorAll('#single-questions fieldset'));
  }

  function answered(fieldset) {
    return !!fieldset.querySelector('input:checked');
  }

  function answerWithKey(value) {
    var all = fieldsets();
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest('#single-questions fieldset') : null;
    var target = focused && !answered(focused) ? focused
      : all.filter(function (f) { return !answered(f); })[0] || focused || all[all.length - 1];
    var input = target.querySelector('input[value="' + value + '"]');
    input.checked = true;
    var rest = all.filter(function (f) { return !answered(f); });
    if (rest.length) {
      rest[0].querySelector('input').focus();
    } else {
      $('submit').focus();
    }
  }

  function submit() {
    if (state.busy || !state.current) { return; }
    var trial = state.current;
    var missing = state.players.filter(function (p) { return !p.heard; });
    if (missing.length) {
      hint('Please listen to ' + missing.map(function (p) { return p.name.toLowerCase(); }).join(' and ')
        + ' first.');
      return;
    }
    var body;
    if (twoPieces(trial)) {
      var choice = document.querySelector('input[name="preferred"]:checked');
      if (!choice) {
        hint(trial.kind === 'turing' ? 'Choose the piece a person wrote (A or B).'
          : 'Choose the piece you prefer (A or B).');
        return;
      }
      body = {
        trialId: trial.id,
        sampleId: trial.samples[0].id,
        pairedWith: trial.samples[1].id,
        preferred: choice.value === 'A' ? trial.samples[0].id : trial.samples[1].id
      };
      var sure = document.querySelector('input[name="confidence"]:checked');
      if (trial.kind === 'turing' && sure) { body.confidence = parseInt(sure.value, 10); }
    } else {
      var scores = {};
      var open = [];
      fieldsets().forEach(function (f) {
        var checked = f.querySelector('input:checked');
        if (checked) { scores[f.getAttribute('data-question')] = parseInt(checked.value, 10); }
        else { open.push(f.querySelector('legend').textContent.trim()); }
      });
      if (open.length) { hint('Please answer: ' + open.join(' ')); return; }
      body = { trialId: trial.id, sampleId: trial.samples[0].id, scores: scores };
    }
    state.busy = true;
    $('submit').disabled = true;
    api('POST', '/api/ratings', body).then(function (result) {
      state.busy = false;
      $('submit').disabled = false;
      if (result.status === 201) {
        state.done += 1;
        $('trial-progress').value = state.done;
        state.rolls = (result.data && result.data.pianoRolls) || [];
        if (state.rolls.length) {
          hint('');
          setAnswered(true); // the notes may be seen now, before moving on
        } else {
          next();
        }
      } else if (result.status === 409) {
        state.done += 1;
        hint('');
        error(detail(result, 'You already rated this one.'));
        next();
      } else if (result.status === 429) {
        hint(detail(result, 'Too fast: wait ' + (result.retryAfter || 'a few') + ' seconds and submit again.'));
      } else if (result.status === 404) {
        error(detail(result, 'This piece is no longer in the test.'));
        load('GET');
      } else {
        hint(detail(result, 'The answer could not be saved (' + result.status + '). Please try again.'));
      }
    }, function () {
      state.busy = false;
      $('submit').disabled = false;
      hint('The service cannot be reached; your answer was not saved. Please try again.');
    });
  }

  // ----- wiring --------------------------------------------------------------------------------------------

  $('consent-form').addEventListener('submit', function (event) {
    event.preventDefault();
    if (!$('consent-box').checked) {
      $('consent-hint').textContent = 'Please tick the box to agree before you start.';
      $('consent-box').focus();
      return;
    }
    load('GET');
  });

  $('trial-form').addEventListener('submit', function (event) {
    event.preventDefault();
    submit();
  });

  $('skip').addEventListener('click', function () {
    error('');
    next();
  });

  $('more').addEventListener('click', function () { load('POST'); });

  $('continue').addEventListener('click', function () { error(''); next(); });

  $('reveal').addEventListener('click', reveal);

  document.addEventListener('keydown', function (event) {
    if ($('trial').hidden || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var tag = target && target.tagName;
    var onButton = tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || tag === 'TEXTAREA'
      || (tag === 'INPUT' && target.type === 'checkbox');
    var pair = !!state.current && twoPieces(state.current);
    var turing = !!state.current && state.current.kind === 'turing';
    var key = event.key;

    if (state.answered) { // the answer is saved: only the notes, playing again, or the next trial
      if (key === 'n' || key === 'N') {
        event.preventDefault();
        reveal();
      } else if (key === 'Enter' && !(tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY')) {
        event.preventDefault();
        next();
      } else if ((key === ' ' || key === 'Spacebar') && !onButton) {
        event.preventDefault();
        toggle(state.players[0]);
      } else if ((key === 'b' || key === 'B') && pair) {
        event.preventDefault();
        toggle(state.players[1]);
      }
      return;
    }

    if ((key === ' ' || key === 'Spacebar') && !onButton) {
      event.preventDefault();
      toggle(state.players[0]);
    } else if ((key === 'a' || key === 'A') && pair) {
      event.preventDefault();
      toggle(state.players[0]);
    } else if ((key === 'b' || key === 'B') && pair) {
      event.preventDefault();
      toggle(state.players[1]);
    } else if (/^[1-5]$/.test(key) && !pair) {
      event.preventDefault();
      answerWithKey(key);
    } else if ((key === '1' || key === '2') && pair) {
      event.preventDefault();
      var choice = document.querySelector('input[name="preferred"][value="' + (key === '1' ? 'A' : 'B') + '"]');
      choice.checked = true;
      choice.focus();
    } else if (turing && /^[gfcGFC]$/.test(key)) {
      event.preventDefault();
      var sure = document.querySelector('input[name="confidence"][value="' + { g: 1, f: 2, c: 3 }[key.toLowerCase()]
        + '"]');
      sure.checked = true;
      sure.focus();
    } else if (key === 'Enter' && !(tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY')) {
      event.preventDefault();
      submit();
    }
  });
}());
