// The results page: interval plots from the embedded results, training curves kept live over Server-Sent Events,
// and the tables refreshed in place when new ratings arrive.
(function () {
  'use strict';

  var charts = window.MusicgenCharts;
  var data = JSON.parse(document.getElementById('results-data').textContent);
  var runs = {};
  (data.runs || []).forEach(function (run) { runs[run.runId] = run; });

  // the per-source plots show the screened listeners, as the table beside them
  function forests(results) {
    (results.screenedQuestions || results.questions || []).forEach(function (q) {
      var box = document.querySelector('.forest[data-question="' + q.id + '"]');
      if (!box) { return; }
      charts.forest(box, q.models.map(function (s) {
        var label = s.model === 'corpus' ? 'Real excerpts' : s.label;
        return { label: label, cls: s.model, mean: s.summary.mean, low: s.summary.ciLow, high: s.summary.ciHigh };
      }));
    });
  }

  function seriesOf(run) {
    var pts = function (field) {
      return run.points.map(function (p) { return [p.epoch, p[field] === undefined ? null : p[field]]; });
    };
    if (run.model === 'gan') {
      return [
        { name: 'discriminator loss', cls: 's-disc', points: pts('discriminatorLoss') },
        { name: 'generator loss', cls: 's-gen', points: pts('generatorLoss') },
        // the collapse watch: a generator that plays the same thing every time falls far below the real phrases
        { name: 'sample diversity', cls: 's-div', points: pts('sampleDiversity') },
        { name: 'real phrases\' diversity', cls: 's-realdiv', points: pts('realDiversity') }
      ];
    }
    return [
      { name: 'training loss', cls: 's-train', points: pts('trainLoss') },
      { name: 'validation loss', cls: 's-val', points: pts('validationLoss') }
    ];
  }

  // status and the last epoch: "completed · epoch 8/8"
  function progress(run) {
    var last = run.points.length ? run.points[run.points.length - 1] : null;
    return [run.status ? run.status.toLowerCase() : '',
      last ? 'epoch ' + last.epoch + (run.epochs ? '/' + run.epochs : '') : 'no epoch finished yet']
      .filter(Boolean).join(' · ');
  }

  function caption(run) {
    var name = { lstm: 'LSTM', gan: 'GAN' }[run.model] || run.model;
    return [name + ' run ' + run.runId, run.encoding || '', progress(run)].filter(Boolean).join(' · ');
  }

  function drawRun(run) {
    var box = document.getElementById('curves');
    var figure = box.querySelector('figure[data-run="' + CSS.escape(run.runId) + '"]');
    if (!figure) {
      figure = document.createElement('figure');
      figure.className = 'curve';
      figure.setAttribute('data-run', run.runId);
      figure.appendChild(document.createElement('figcaption'));
      box.appendChild(figure);
      var none = document.getElementById('no-runs');
      if (none) { none.hidden = true; }
    }
    var cap = figure.querySelector('figcaption');
    cap.textContent = '';
    var swatch = document.createElement('span');
    swatch.className = 'swatch ' + run.model;
    swatch.setAttribute('aria-hidden', 'true');
    cap.appendChild(swatch);
    cap.appendChild(document.createTextNode(caption(run)));
    charts.line(figure, seriesOf(run), {
      title: (run.model || '').toUpperCase() + ' run ' + run.runId
        + (run.model === 'gan' ? ' losses and diversity per epoch' : ' loss per epoch'),
      xLabel: 'epoch', yLabel: run.model === 'gan' ? 'loss, diversity' : 'loss'
    });
  }

  // The study's figure: per model, its latest run on a corpus with drums beside its latest piano-only run. Which
  // runs those are is decided by the service (DrumsComparison), which sends the figure anew with each curve.
  var SIDES = [
    { key: 'drums', name: 'piano and drums', cls: 's-drums' },
    { key: 'piano', name: 'piano alone', cls: 's-piano' }
  ];
  var drums = data.drumsComparison || null;

  function drumsSeries(panel) {
    var out = [];
    SIDES.forEach(function (side) {
      var run = panel[side.key];
      if (!run) { return; }
      var pts = function (field) {
        return run.points.map(function (p) { return [p.epoch, p[field] === undefined ? null : p[field]]; });
      };
      if (panel.model === 'gan') {
        out.push({ name: side.name + ' · generator', cls: side.cls, points: pts('generatorLoss') });
        out.push({ name: side.name + ' · discriminator', cls: side.cls + ' dashed', points: pts('discriminatorLoss') });
      } else {
        out.push({ name: side.name, cls: side.cls, points: pts('trainLoss') });
      }
    });
    return out;
  }

  function runLine(side, run) {
    var item = document.createElement('li');
    item.setAttribute('data-side', side.key);
    item.appendChild(document.createTextNode(side.name + ': '));
    if (!run) {
      item.appendChild(document.createTextNode('none yet'));
      return item;
    }
    item.setAttribute('data-run', run.runId);
    item.appendChild(document.createTextNode('run '));
    var code = document.createElement('code');
    code.textContent = run.runId;
    item.appendChild(code);
    item.appendChild(document.createTextNode(' on ' + run.corpusId + ' (' + (run.encoding || 'encoding not reported')
      + ') · ' + progress(run)));
    return item;
  }

  function drawDrums(figure) {
    var box = document.getElementById('drums-figure');
    if (!box || !figure) { return; }
    figure.panels.forEach(function (panel) {
      var fig = box.querySelector('figure[data-model="' + CSS.escape(panel.model) + '"]');
      if (!fig) { return; }
      var list = fig.querySelector('ul.drums-runs');
      list.textContent = '';
      SIDES.forEach(function (side) { list.appendChild(runLine(side, panel[side.key])); });
      var note = fig.querySelector('p.missing');
      if (panel.missing) {
        if (!note) {
          note = document.createElement('p');
          note.className = 'empty-note missing';
          fig.appendChild(note);
        }
        note.textContent = panel.missing;
      } else if (note) {
        note.parentNode.removeChild(note);
      }
      if (!panel.drums && !panel.piano) {
        // nothing to draw: the note says what is missing, no empty axes
        var old = fig.querySelector('svg.chart, ul.legend');
        while (old) { old.parentNode.removeChild(old); old = fig.querySelector('svg.chart, ul.legend'); }
        return;
      }
      charts.line(fig, drumsSeries(panel), {
        title: panel.label + (panel.model === 'gan' ? ' generator and discriminator loss' : ' training loss')
          + ' per epoch: piano and drums vs piano alone',
        xLabel: 'epoch', yLabel: 'loss'
      });
      // the list of runs and the note stay under the chart
      fig.appendChild(list);
      if (panel.missing) { fig.appendChild(fig.querySelector('p.missing')); }
    });
  }

  forests(data);
  Object.keys(runs).forEach(function (id) { drawRun(runs[id]); });
  drawDrums(drums);

  // New ratings: fetch the page again and swap the tables (not the charts of the curves).
  var refreshTimer = null;
  function refreshTables(total) {
    var note = document.getElementById('live-note');
    if (note) { note.textContent = 'Updating: ' + total + ' ratings now…'; }
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(function () {
      fetch('/results', { credentials: 'same-origin' }).then(function (r) { return r.text(); }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        var current = document.querySelectorAll('main > section');
        var next = fresh.querySelectorAll('main > section');
        for (var i = 0; i < current.length && i < next.length; i++) {
          if (!current[i].querySelector('#curves, #drums-figure')) {
            current[i].replaceWith(document.importNode(next[i], true));
          }
        }
        var json = fresh.getElementById('results-data');
        if (json) {
          data = JSON.parse(json.textContent);
          forests(data);
        }
        var again = document.getElementById('live-note');
        if (again) { again.textContent = 'Updated live.'; }
      }).catch(function () { /* the next update tries again */ });
    }, 1500);
  }

  // On (re)connection, catch up with what happened while the page was not listening.
  function catchUp() {
    fetch('/api/results', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (fresh) {
        if (!fresh) { return; }
        (fresh.runs || []).forEach(function (run) {
          if (JSON.stringify(runs[run.runId]) !== JSON.stringify(run)) {
            runs[run.runId] = run;
            drawRun(run);
          }
        });
        if (fresh.drumsComparison && JSON.stringify(fresh.drumsComparison) !== JSON.stringify(drums)) {
          drums = fresh.drumsComparison;
          drawDrums(drums);
        }
        if (fresh.ratings !== data.ratings) { refreshTables(fresh.ratings); }
      }).catch(function () { /* the stream's next event brings the news */ });
  }

  if (window.EventSource) {
    var source = new EventSource('/api/results/events');
    source.onopen = catchUp;
    source.onmessage = function (event) {
      var update;
      try { update = JSON.parse(event.data); } catch (e) { return; }
      if (update.kind === 'curve' && update.run) {
        runs[update.run.runId] = update.run;
        drawRun(update.run);
        if (update.drums) {
          drums = update.drums;
          drawDrums(drums);
        }
      } else if (update.kind === 'ratings') {
        refreshTables(update.ratings);
      }
    };
  }
}());
