'use strict';
// The live page of a taylorism server. Everything it shows that comes from workers (names, errors, standard error)
// is set as text, never as HTML; the token goes in a header on every call (no cookie), kept for this tab only.
(() => {
  const API = '/api/v1/';
  const MAX_ROWS = 200;       // table rows in the page at once
  const MAX_BARS = 5000;      // timeline bars in the page at once (the oldest ended ones go first)
  const MAX_LINKS = 2000;     // dependency lines in the page at once
  const STATUSES = ['succeeded', 'failed', 'crashed', 'killed', 'cancelled', 'timed_out', 'memory_exceeded'];
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  let token = sessionStorage.getItem('taylorism-token');
  let state = freshState();

  function freshState() {
    return {
      sets: new Map(),      // name -> what the table shows
      pending: [], pendingTotal: 0, counts: {}, runId: '', status: '',
      rows: new Map(),      // timeline row (slot or node) -> index
      bars: new Map(),      // name#attempt -> {rect, start, end, name, status}
      links: [], t0: null, ended: false, stream: null, poll: null, ticker: null, renderQueued: false, lastRender: 0, endOrder: 0,
      selected: null, setsChanged: true, pendingChanged: true,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Calls.

  async function call(path, options = {}) {
    const headers = {Authorization: 'Bearer ' + token};
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(API + path, {method: options.method || 'GET', headers, body: options.body, cache: 'no-store'});
    if (response.status === 401) {
      showLogin('This token is not the server\'s.');
      throw new Error('unauthorized');
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.error || response.statusText);
    }
    return body;
  }

  function say(text) {
    $('message').textContent = text;
  }

  // ---------------------------------------------------------------------------------------------
  // Login.

  function showLogin(error) {
    stop();
    state = freshState();
    sessionStorage.removeItem('taylorism-token');
    token = null;
    $('run').hidden = true;
    clearRun();
    $('login').hidden = false;
    $('login-error').textContent = error || '';
  }

  function clearRun() {
    $('timeline').replaceChildren();
    document.querySelector('#sets tbody').replaceChildren();
    document.querySelector('#pending tbody').replaceChildren();
    $('counts').replaceChildren();
    $('details').hidden = true;
  }

  function stop() {
    if (state.stream) {
      state.stream.abort();
    }
    if (state.poll) {
      clearInterval(state.poll);
    }
    if (state.ticker) {
      clearInterval(state.ticker);
    }
  }

  async function open() {
    try {
      const report = await call('report');
      $('login').hidden = true;
      $('run').hidden = false;
      load(report);
      listen();
      state.poll = setInterval(() => {
        overview();
      }, 5000);
      state.ticker = setInterval(queueRender, 1000);
      overview();
    } catch (e) {
      if (e.message !== 'unauthorized') {
        showLogin('The server does not answer: ' + e.message);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the run is.

  function load(report) {
    state.runId = report.runId || '';
    state.status = report.status;
    state.counts = report.counts || {};
    for (const worker of report.workers || []) {
      for (const attempt of worker.attempts || []) {
        bar(worker.name, attempt.attempt, attempt.startedAt, endOf(attempt.startedAt, attempt.durationMs), 'retried', null, null);
      }
      ended({name: worker.name, status: worker.status, cause: worker.cause, attempt: worker.attempt, duration_ms: worker.durationMs,
        exit_code: worker.exitCode, signal: worker.signal, error: worker.error ? worker.error.message : null,
        ticket: worker.ticket, node: worker.node, started_at: worker.startedAt, ended_at: worker.endedAt,
        peak_rss_mb: worker.peakRssMb, carried_from: worker.carriedFrom, after: (worker.instructions || {}).after});
    }
    for (const running of report.running || []) {
      started({name: running.name, attempt: running.attempt, ticket: running.ticket, node: running.node, started_at: running.startedAt});
    }
    state.pending = report.pending || [];
    state.pendingTotal = state.pending.length;
    queueRender();
  }

  function endOf(start, durationMs) {
    return start ? new Date(Date.parse(start) + (durationMs || 0)).toISOString() : null;
  }

  function started(event) {
    const set = state.sets.get(event.name) || {name: event.name};
    Object.assign(set, {status: 'running', attempt: event.attempt, startedAt: event.started_at, after: event.after || set.after});
    state.sets.set(event.name, set);
    state.setsChanged = true;
    bar(event.name, event.attempt, event.started_at, null, 'running', event.ticket, event.node);
    if (set.after) {
      link(event.name, event.attempt, set.after);
    }
  }

  function ended(event) {
    const set = state.sets.get(event.name) || {name: event.name};
    Object.assign(set, {status: event.status, cause: event.cause, attempt: event.attempt, durationMs: event.duration_ms,
      exitCode: event.exit_code, signal: event.signal, error: event.error, peakRssMb: event.peak_rss_mb,
      carriedFrom: event.carried_from, endOrder: ++state.endOrder});
    if (event.after) {
      set.after = event.after;
    }
    state.sets.set(event.name, set);
    state.setsChanged = true;
    if (event.started_at && !event.carried_from) {
      bar(event.name, event.attempt, event.started_at, event.ended_at, event.status, event.ticket, event.node);
    }
  }

  function retrying(event) {
    bar(event.name, event.attempt, event.started_at, event.ended_at, 'retried', event.ticket, event.node);
    const set = state.sets.get(event.name);
    if (set) {
      set.status = 'pending';
      state.setsChanged = true;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Live: the event stream (read with fetch, so that the token goes in a header), and a summary every 5 s.

  async function listen() {
    const controller = new AbortController();
    state.stream = controller;
    try {
      const response = await fetch(API + 'events', {headers: {Authorization: 'Bearer ' + token}, signal: controller.signal});
      if (response.status === 401) {
        showLogin('This token is not the server\'s.');
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) {
          break;
        }
        buffer += decoder.decode(value, {stream: true});
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          handle(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch (e) {
      if (e.name === 'AbortError') {
        return;
      }
    }
    if (!state.ended && token) {
      setTimeout(listen, 3000);
    }
  }

  function handle(block) {
    let type = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) {
        type = line.slice(7);
      } else if (line.startsWith('data: ')) {
        data += line.slice(6);
      }
    }
    if (!data) {
      return;
    }
    const event = JSON.parse(data);
    if (type === 'started') {
      started(event);
    } else if (type === 'ended') {
      ended(event);
    } else if (type === 'retrying') {
      retrying(event);
    } else if (type === 'run-ended') {
      state.ended = true;
      overview();
    } else if (type === 'reconfigured' || type === 'config-rejected') {
      say(type === 'reconfigured' ? 'settings changed: ' + event.change : 'settings file rejected: ' + event.error);
    }
    queueRender();
  }

  async function overview() {
    try {
      const now = await call('overview');
      state.status = now.status;
      state.counts = now.counts;
      if (JSON.stringify(now.pending) !== JSON.stringify(state.pending) || now.pendingTotal !== state.pendingTotal) {
        state.pending = now.pending;
        state.pendingTotal = now.pendingTotal;
        state.pendingChanged = true;
      }
      const threads = $('max-threads');
      if (document.activeElement !== threads && now.settings && now.settings.max_threads !== undefined) {
        threads.value = now.settings.max_threads;
      }
      queueRender();
    } catch (e) {
      if (e.message !== 'unauthorized') {
        say('the server does not answer: ' + e.message);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The timeline: one row per slot (or per node on a cluster), one bar per attempt, in seconds since the first
  // start; the SVG's view box grows with the run, so that a bar is drawn once and only running ones change.

  function svg() {
    let root = $('timeline').firstElementChild;
    if (!root) {
      root = document.createElementNS(SVG, 'svg');
      root.setAttribute('preserveAspectRatio', 'none');
      root.appendChild(document.createElementNS(SVG, 'g')).setAttribute('id', 'links');
      root.appendChild(document.createElementNS(SVG, 'g')).setAttribute('id', 'bars');
      root.addEventListener('mousemove', tooltip);
      root.addEventListener('mouseleave', () => { $('tooltip').hidden = true; });
      $('timeline').appendChild(root);
    }
    return root;
  }

  function seconds(time) {
    return (Date.parse(time) - state.t0) / 1000;
  }

  function bar(name, attempt, start, end, status, ticket, node) {
    if (!start) {
      return;
    }
    const key = name + '#' + attempt;
    const startMs = Date.parse(start);
    if (state.t0 === null || startMs < state.t0) {
      state.t0 = startMs;
      for (const other of state.bars.values()) {
        place(other);
      }
    }
    let drawn = state.bars.get(key);
    if (!drawn) {
      const row = rowOf(node ? 'node ' + node : ticket === null || ticket === undefined ? 'slot ?' : 'slot ' + (ticket + 1));
      const rect = document.createElementNS(SVG, 'rect');
      rect.dataset.key = key;
      drawn = {rect, name, attempt, start, end, status, row};
      state.bars.set(key, drawn);
      svg().querySelector('#bars').appendChild(rect);
      trimBars();
    }
    drawn.end = end;
    drawn.status = status;
    drawn.peak = (state.sets.get(name) || {}).peakRssMb;
    drawn.rect.setAttribute('class', 'bar s-' + status);
    place(drawn);
  }

  function rowOf(key) {
    if (!state.rows.has(key)) {
      state.rows.set(key, state.rows.size);
    }
    return state.rows.get(key);
  }

  function place(drawn) {
    const start = seconds(drawn.start);
    const end = drawn.end ? seconds(drawn.end) : (Date.now() - state.t0) / 1000;
    drawn.rect.setAttribute('x', start);
    drawn.rect.setAttribute('y', drawn.row + 0.1);
    drawn.rect.setAttribute('height', 0.8);
    drawn.rect.setAttribute('width', Math.max(end - start, 0.001));
  }

  function trimBars() {
    if (state.bars.size <= MAX_BARS) {
      return;
    }
    for (const [key, drawn] of state.bars) {
      if (drawn.end) {
        drawn.rect.remove();
        state.bars.delete(key);
        $('timeline-note').textContent = 'the latest ' + MAX_BARS + ' attempts';
        if (state.bars.size <= MAX_BARS) {
          return;
        }
      }
    }
  }

  /** Lines from the end of each set it waited for to its start. */
  function link(name, attempt, after) {
    const upstream = taylorismFlows.upstreamNames(after, name, state.sets.keys());
    for (const from of upstream) {
      if (state.links.length >= MAX_LINKS) {
        state.links.shift().line.remove();
      }
      const line = document.createElementNS(SVG, 'line');
      line.setAttribute('class', 'dependency');
      svg().querySelector('#links').appendChild(line);
      state.links.push({line, from, to: name + '#' + attempt});
    }
  }

  function lastBarOf(name) {
    let found = null;
    for (const drawn of state.bars.values()) {
      if (drawn.name === name && (!found || drawn.attempt > found.attempt)) {
        found = drawn;
      }
    }
    return found;
  }

  function drawTimeline() {
    if (state.t0 === null) {
      return;
    }
    const root = svg();
    const width = Math.max((Date.now() - state.t0) / 1000, 1);
    const rows = Math.max(state.rows.size, 1);
    root.setAttribute('viewBox', '0 0 ' + width + ' ' + rows);
    root.style.height = (rows * 16) + 'px';
    for (const drawn of state.bars.values()) {
      if (!drawn.end) {
        place(drawn);
      }
    }
    for (const link of state.links) {
      const from = lastBarOf(link.from);
      const to = state.bars.get(link.to);
      if (!from || !to || !from.end) {
        link.line.setAttribute('visibility', 'hidden');
        continue;
      }
      link.line.setAttribute('visibility', 'visible');
      link.line.setAttribute('x1', seconds(from.end));
      link.line.setAttribute('y1', from.row + 0.5);
      link.line.setAttribute('x2', seconds(to.start));
      link.line.setAttribute('y2', to.row + 0.5);
    }
  }

  function tooltip(event) {
    const key = event.target.dataset ? event.target.dataset.key : null;
    const drawn = key ? state.bars.get(key) : null;
    const tip = $('tooltip');
    if (!drawn) {
      tip.hidden = true;
      return;
    }
    const end = drawn.end ? Date.parse(drawn.end) : Date.now();
    const lines = [drawn.name + (drawn.attempt > 1 ? ' (attempt ' + drawn.attempt + ')' : ''), drawn.status,
      ((end - Date.parse(drawn.start)) / 1000).toFixed(1) + ' s'];
    if (drawn.peak) {
      lines.push(drawn.peak + ' MB peak');
    }
    tip.textContent = lines.join('\n');
    tip.style.left = (event.clientX + 12) + 'px';
    tip.style.top = (event.clientY + 12) + 'px';
    tip.hidden = false;
  }

  // ---------------------------------------------------------------------------------------------
  // Counts, table, pending list: drawn at most once a second, whatever the rate of events.

  /** Draws soon: at most twice a second, whatever the rate of events (a run of thousands ends hundreds a second). */
  function queueRender() {
    if (state.renderQueued) {
      return;
    }
    state.renderQueued = true;
    const wait = Math.max(0, 500 - (Date.now() - (state.lastRender || 0)));
    setTimeout(() => requestAnimationFrame(() => {
      state.renderQueued = false;
      state.lastRender = Date.now();
      render();
    }), wait);
  }

  function render() {
    $('run-id').textContent = state.runId;
    $('run-status').textContent = state.status || '';
    drawCounts();
    drawTimeline();
    // The tables are drawn again only when what they show changed: a row stays put under the pointer.
    if (state.setsChanged) {
      state.setsChanged = false;
      drawSets();
    }
    if (state.pendingChanged) {
      state.pendingChanged = false;
      drawPending();
    }
  }

  function drawCounts() {
    const counts = state.counts || {};
    const done = STATUSES.reduce((sum, status) => sum + (counts[status] || 0), 0);
    const total = done + (counts.pending || 0) + (counts.running || 0);
    const items = [];
    for (const status of [...STATUSES, 'running', 'pending']) {
      const item = document.createElement('span');
      item.className = 'count s-' + status;
      item.dataset.status = status;
      item.textContent = status + ' ' + (counts[status] || 0);
      items.push(item);
    }
    $('counts').replaceChildren(...items);
    $('progress-done').style.width = (total ? 100 * done / total : 0) + '%';
    const elapsed = state.t0 === null ? 0 : (Date.now() - state.t0) / 1000;
    $('eta').textContent = done + ' of ' + total + ' done' + (done > 0 && done < total
      ? ', about ' + Math.round(elapsed * (total - done) / done) + ' s to go' : '');
  }

  function drawSets() {
    const status = $('status-filter').value;
    const search = $('name-filter').value.toLowerCase();
    const sort = $('sort').value;
    let sets = [...state.sets.values()].filter((set) => (!status || set.status === status)
      && (!search || set.name.toLowerCase().includes(search)));
    const by = {
      end: (a, b) => (b.endOrder || 0) - (a.endOrder || 0),
      duration: (a, b) => (b.durationMs || 0) - (a.durationMs || 0),
      memory: (a, b) => (b.peakRssMb || 0) - (a.peakRssMb || 0),
      name: (a, b) => a.name.localeCompare(b.name),
    };
    sets.sort(by[sort]);
    const shown = sets.slice(0, MAX_ROWS);
    const rows = shown.map((set) => {
      const row = document.createElement('tr');
      row.className = 'selectable';
      row.dataset.name = set.name;
      for (const text of [set.name, set.status, set.cause || '', set.durationMs === undefined ? '' : (set.durationMs / 1000).toFixed(1) + ' s',
        set.peakRssMb || '', set.attempt || '']) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.appendChild(cell);
      }
      row.children[1].className = 'status-cell s-' + set.status;
      const action = document.createElement('td');
      if (set.status === 'running') {
        action.appendChild(cancelButton(set.name));
      }
      row.appendChild(action);
      row.addEventListener('click', () => details(set.name));
      return row;
    });
    document.querySelector('#sets tbody').replaceChildren(...rows);
    $('sets-more').textContent = sets.length > shown.length ? (sets.length - shown.length) + ' more: narrow the search' : '';
  }

  function drawPending() {
    const rows = (state.pending || []).map((pending) => {
      const row = document.createElement('tr');
      for (const text of [pending.name, pending.reason || '']) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.appendChild(cell);
      }
      const action = document.createElement('td');
      action.appendChild(cancelButton(pending.name));
      row.appendChild(action);
      return row;
    });
    document.querySelector('#pending tbody').replaceChildren(...rows);
    $('pending-count').textContent = state.pendingTotal > rows.length ? '(the first ' + rows.length + ' of ' + state.pendingTotal + ')'
      : '(' + rows.length + ')';
  }

  function cancelButton(name) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'cancel';
    button.addEventListener('click', (event) => {
      event.stopPropagation();
      act(() => call('cancel', {method: 'POST', body: JSON.stringify({name})}), 'cancelled ' + name);
    });
    return button;
  }

  async function details(name) {
    const set = state.sets.get(name);
    if (!set) {
      return;
    }
    state.selected = name;
    $('details').hidden = false;
    $('details-name').textContent = name;
    const fields = [['status', set.status], ['cause', set.cause], ['error', set.error], ['exit code', set.exitCode],
      ['signal', set.signal], ['attempt', set.attempt], ['carried from run', set.carriedFrom]];
    const items = [];
    for (const [label, value] of fields) {
      if (value === undefined || value === null || value === '') {
        continue;
      }
      const term = document.createElement('dt');
      term.textContent = label;
      const description = document.createElement('dd');
      description.textContent = String(value);
      items.push(term, description);
    }
    $('details-fields').replaceChildren(...items);
    $('details-stderr').textContent = '…';
    try {
      const stderr = await call('sets/' + encodeURIComponent(name) + '/stderr');
      if (state.selected === name) {
        $('details-stderr').textContent = stderr.tail || '(empty)';
      }
    } catch (e) {
      if (state.selected === name) {
        $('details-stderr').textContent = '(' + e.message + ')';
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Controls: the same calls as the command line's clients.

  async function act(action, done) {
    try {
      await action();
      say(done);
      overview();
    } catch (e) {
      if (e.message !== 'unauthorized') {
        say('refused: ' + e.message);
      }
    }
  }

  function wire() {
    for (const status of STATUSES.concat(['running', 'pending'])) {
      const option = document.createElement('option');
      option.value = status;
      option.textContent = status;
      $('status-filter').appendChild(option);
    }
    for (const id of ['status-filter', 'name-filter', 'sort']) {
      $(id).addEventListener('input', () => {
        state.setsChanged = true;
        queueRender();
      });
    }
    for (const signal of ['halt', 'resume', 'stop']) {
      $(signal).addEventListener('click', () => act(() => call('signals/' + signal.toUpperCase(), {method: 'POST'}),
        signal.toUpperCase() + ' sent'));
    }
    $('set-threads').addEventListener('click', () => {
      const threads = Number($('max-threads').value);
      act(() => call('settings', {method: 'PATCH', body: JSON.stringify({max_threads: threads})}), 'max threads set to ' + threads);
    });
    $('login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      token = $('token').value.trim();
      $('token').value = '';
      sessionStorage.setItem('taylorism-token', token);
      open();
    });
  }

  wire();
  if (location.hash.startsWith('#token=')) {
    token = decodeURIComponent(location.hash.slice(7));
    sessionStorage.setItem('taylorism-token', token);
    history.replaceState(null, '', location.pathname);
  }
  if (token) {
    open();
  } else {
    showLogin('');
  }
})();
