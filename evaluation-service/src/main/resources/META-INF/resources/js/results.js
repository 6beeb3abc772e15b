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

  function caption(run) {
    var last = run.points.length ? run.points[run.points.length - 1] : null;
    var name = { lstm: 'LSTM', gan: 'GAN' }[run.model] || run.model;
    var parts = [name + ' run ' + run.runId, run.status ? run.status.toLowerCase() : ''];
    if (last) {
      parts.push('epoch ' + last.epoch + (run.epochs ? '/' + run.epochs : ''));
    } else {
      parts.push('no epoch finished yet');
    }
    return parts.filter(Boolean).join(' · ');
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

  forests(data);
  Object.keys(runs).forEach(function (id) { drawRun(runs[id]); });

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
          if (!current[i].querySelector('#curves')) {
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
      } else if (update.kind === 'ratings') {
        refreshTables(update.ratings);
      }
    };
  }
}());
