'use strict';
// The timeline of one run, drawn once from the report embedded in this file: one row per slot (or node), one bar
// per attempt, lines from the sets waited for, and the table of every set. Everything from workers is set as text.
(() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const report = JSON.parse(document.getElementById('report').textContent);
  const $ = (id) => document.getElementById(id);
  const rows = new Map();
  const bars = new Map();

  $('title').textContent = 'taylorism run ' + (report.runId || '') + ': ' + report.status;
  $('counts').textContent = Object.entries(report.counts || {}).filter(([, count]) => count > 0)
    .map(([status, count]) => count + ' ' + status).join(', ') || 'nothing ran';

  const attempts = [];
  for (const worker of report.workers || []) {
    for (const earlier of worker.attempts || []) {
      attempts.push({name: worker.name, attempt: earlier.attempt, start: earlier.startedAt, durationMs: earlier.durationMs,
        status: 'retried', ticket: worker.ticket, node: worker.node});
    }
    if (worker.startedAt && !worker.carriedFrom && worker.stdout) {
      attempts.push({name: worker.name, attempt: worker.attempt, start: worker.startedAt, durationMs: worker.durationMs,
        status: worker.status, ticket: worker.ticket, node: worker.node, peak: worker.peakRssMb, after: (worker.instructions || {}).after});
    }
  }
  for (const running of report.running || []) {
    attempts.push({name: running.name, attempt: running.attempt, start: running.startedAt, durationMs: null, status: 'running',
      ticket: running.ticket, node: running.node});
  }
  const t0 = Math.min(...attempts.map((a) => Date.parse(a.start)));
  const end = Math.max(...attempts.map((a) => Date.parse(a.start) + (a.durationMs || 0)), t0 + 1000);
  const root = document.createElementNS(SVG, 'svg');
  root.setAttribute('preserveAspectRatio', 'none');
  const links = root.appendChild(document.createElementNS(SVG, 'g'));
  const drawn = root.appendChild(document.createElementNS(SVG, 'g'));
  for (const a of attempts) {
    const key = a.node ? 'node ' + a.node : 'slot ' + (a.ticket === null || a.ticket === undefined ? '?' : a.ticket + 1);
    if (!rows.has(key)) {
      rows.set(key, rows.size);
    }
    const rect = document.createElementNS(SVG, 'rect');
    const x = (Date.parse(a.start) - t0) / 1000;
    const width = Math.max((a.durationMs === null ? end - Date.parse(a.start) : a.durationMs) / 1000, 0.001);
    rect.setAttribute('x', x);
    rect.setAttribute('y', rows.get(key) + 0.1);
    rect.setAttribute('width', width);
    rect.setAttribute('height', 0.8);
    rect.setAttribute('class', 'bar s-' + a.status);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = a.name + (a.attempt > 1 ? ' (attempt ' + a.attempt + ')' : '') + '\n' + a.status + ', '
      + (width).toFixed(1) + ' s' + (a.peak ? ', ' + a.peak + ' MB peak' : '');
    rect.appendChild(title);
    drawn.appendChild(rect);
    bars.set(a.name, {x, width, row: rows.get(key), after: a.after});
  }
  const names = [...bars.keys()];
  for (const [name, bar] of bars) {
    for (const upstream of taylorismFlows.upstreamNames(bar.after, name, names)) {
      const from = bars.get(upstream);
      if (!from) {
        continue;
      }
      const line = document.createElementNS(SVG, 'line');
      line.setAttribute('class', 'dependency');
      line.setAttribute('x1', from.x + from.width);
      line.setAttribute('y1', from.row + 0.5);
      line.setAttribute('x2', bar.x);
      line.setAttribute('y2', bar.row + 0.5);
      links.appendChild(line);
    }
  }
  root.setAttribute('viewBox', '0 0 ' + Math.max((end - t0) / 1000, 1) + ' ' + Math.max(rows.size, 1));
  root.style.height = (Math.max(rows.size, 1) * 16) + 'px';
  $('timeline').appendChild(root);
  $('span').textContent = attempts.length ? ((end - t0) / 1000).toFixed(1) + ' s, ' + rows.size + ' rows' : 'no attempt';

  const table = [];
  for (const worker of report.workers || []) {
    table.push([worker.name, worker.status, worker.cause || '', (worker.durationMs / 1000).toFixed(1) + ' s', worker.peakRssMb || '',
      worker.attempt, worker.error ? worker.error.message : '']);
  }
  for (const pending of report.pending || []) {
    table.push([pending.name, 'not started', '', '', '', '', pending.reason || '']);
  }
  const body = document.querySelector('#sets tbody');
  for (const cells of table) {
    const row = document.createElement('tr');
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = String(text);
      row.appendChild(cell);
    }
    row.children[1].className = 'status-cell s-' + cells[1];
    body.appendChild(row);
  }
})();
