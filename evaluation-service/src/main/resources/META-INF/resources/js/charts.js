// Small SVG charts for the results page: line charts of training curves and interval ("forest") plots.
// Written for this page; no library. Colours come from CSS classes.
(function () {
  'use strict';

  var NS = 'http://www.w3.org/2000/svg';

  function el(name, attributes, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function text(parent, x, y, content, cls, anchor) {
    var t = el('text', { x: x, y: y, 'class': cls || 'axis-label', 'text-anchor': anchor || 'middle' }, parent);
    t.textContent = content;
    return t;
  }

  // About `count` round tick values covering [min, max].
  function ticks(min, max, count) {
    if (!(max > min)) { return [min]; }
    var raw = (max - min) / Math.max(1, count);
    var magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * magnitude; })
      .filter(function (s) { return s >= raw; })[0] || raw;
    var out = [];
    for (var v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
      out.push(Math.round(v / step) * step);
    }
    return out;
  }

  function format(v) {
    var a = Math.abs(v);
    if (a !== 0 && (a < 0.01 || a >= 10000)) { return v.toExponential(1); }
    return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  }

  /**
   * Line chart. series: [{ name, cls, points: [[x, y], ...] }]. Replaces the container's chart.
   * options: { title, xLabel, yLabel }
   */
  function line(container, series, options) {
    options = options || {};
    var old = container.querySelector('svg.chart, ul.legend');
    while (old) { old.parentNode.removeChild(old); old = container.querySelector('svg.chart, ul.legend'); }
    var width = 440;
    var height = 250;
    var m = { top: 14, right: 14, bottom: 40, left: 52 };
    var all = [];
    series.forEach(function (s) { s.points.forEach(function (p) { if (p[1] !== null && isFinite(p[1])) { all.push(p); } }); });

    var svg = el('svg', {
      'class': 'chart', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': options.title || 'chart', preserveAspectRatio: 'xMidYMid meet'
    });
    el('title', {}, svg).textContent = options.title || '';
    if (all.length === 0) {
      text(svg, width / 2, height / 2, 'No epoch finished yet', 'empty-label');
      container.appendChild(svg);
      return svg;
    }
    var xs = all.map(function (p) { return p[0]; });
    var ys = all.map(function (p) { return p[1]; });
    var x0 = Math.min.apply(null, xs);
    var x1 = Math.max.apply(null, xs);
    if (x1 === x0) { x0 -= 1; x1 += 1; }
    var y0 = Math.min.apply(null, ys);
    var y1 = Math.max.apply(null, ys);
    var pad = (y1 - y0) * 0.08 || Math.abs(y1) * 0.1 || 1;
    y0 -= pad;
    y1 += pad;
    var X = function (v) { return m.left + (v - x0) / (x1 - x0) * (width - m.left - m.right); };
    var Y = function (v) { return height - m.bottom - (v - y0) / (y1 - y0) * (height - m.top - m.bottom); };

    var grid = el('g', { 'class': 'grid' }, svg);
    ticks(y0, y1, 5).forEach(function (v) {
      el('line', { x1: m.left, x2: width - m.right, y1: Y(v), y2: Y(v) }, grid);
      text(svg, m.left - 8, Y(v) + 4, format(v), 'tick', 'end');
    });
    ticks(x0, x1, Math.min(8, Math.round(x1 - x0))).filter(function (v) { return Math.round(v) === v; })
      .forEach(function (v) {
        el('line', { x1: X(v), x2: X(v), y1: height - m.bottom, y2: height - m.bottom + 5, 'class': 'tick-mark' }, svg);
        text(svg, X(v), height - m.bottom + 18, String(v), 'tick');
      });
    el('line', { x1: m.left, x2: width - m.right, y1: height - m.bottom, y2: height - m.bottom, 'class': 'axis' }, svg);
    el('line', { x1: m.left, x2: m.left, y1: m.top, y2: height - m.bottom, 'class': 'axis' }, svg);
    text(svg, (m.left + width - m.right) / 2, height - 6, options.xLabel || 'epoch');
    var yl = text(svg, 14, (m.top + height - m.bottom) / 2, options.yLabel || 'loss');
    yl.setAttribute('transform', 'rotate(-90 14 ' + (m.top + height - m.bottom) / 2 + ')');

    series.forEach(function (s) {
      var pts = s.points.filter(function (p) { return p[1] !== null && isFinite(p[1]); });
      if (pts.length === 0) { return; }
      var d = pts.map(function (p, i) { return (i ? 'L' : 'M') + X(p[0]).toFixed(1) + ' ' + Y(p[1]).toFixed(1); }).join(' ');
      el('path', { d: d, 'class': 'series ' + s.cls }, svg);
      pts.forEach(function (p) {
        var dot = el('circle', { cx: X(p[0]), cy: Y(p[1]), r: 3, 'class': 'dot ' + s.cls }, svg);
        el('title', {}, dot).textContent = s.name + ', epoch ' + p[0] + ': ' + format(p[1]);
      });
    });
    container.appendChild(svg);

    var legend = document.createElement('ul');
    legend.className = 'legend';
    series.forEach(function (s) {
      var item = document.createElement('li');
      var key = document.createElement('span');
      key.className = 'key ' + s.cls;
      key.setAttribute('aria-hidden', 'true');
      item.appendChild(key);
      var last = s.points.length ? s.points[s.points.length - 1][1] : null;
      item.appendChild(document.createTextNode(s.name + (last !== null && last !== undefined ? ' (last ' + format(last) + ')' : '')));
      legend.appendChild(item);
    });
    container.appendChild(legend);
    return svg;
  }

  /** Interval plot on the 1-5 scale: rows [{ label, cls, mean, low, high }]. */
  function forest(container, rows) {
    container.textContent = '';
    var width = 640;
    var rowHeight = 26;
    var m = { top: 8, right: 16, bottom: 26, left: 130 };
    var height = m.top + m.bottom + rows.length * rowHeight;
    var svg = el('svg', { 'class': 'chart forest-chart', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'Means with 95% confidence intervals on the 1 to 5 scale' });
    var X = function (v) { return m.left + (v - 1) / 4 * (width - m.left - m.right); };
    [1, 2, 3, 4, 5].forEach(function (v) {
      el('line', { x1: X(v), x2: X(v), y1: m.top, y2: height - m.bottom, 'class': 'grid-line' }, svg);
      text(svg, X(v), height - 8, String(v), 'tick');
    });
    rows.forEach(function (r, i) {
      var y = m.top + i * rowHeight + rowHeight / 2;
      text(svg, m.left - 10, y + 4, r.label, 'row-label', 'end');
      if (r.mean === null || r.mean === undefined) {
        text(svg, X(3), y + 4, 'no ratings yet', 'empty-label');
        return;
      }
      if (r.low !== null && r.low !== undefined) {
        el('line', { x1: X(Math.max(1, r.low)), x2: X(Math.min(5, r.high)), y1: y, y2: y, 'class': 'ci ' + r.cls }, svg);
      }
      var dot = el('circle', { cx: X(r.mean), cy: y, r: 6, 'class': 'dot ' + r.cls }, svg);
      el('title', {}, dot).textContent = r.label + ': mean ' + r.mean.toFixed(2)
        + (r.low !== null && r.low !== undefined ? ', 95% CI ' + r.low.toFixed(2) + ' to ' + r.high.toFixed(2) : '');
    });
    container.appendChild(svg);
  }

  window.MusicgenCharts = { line: line, forest: forest };
}());
