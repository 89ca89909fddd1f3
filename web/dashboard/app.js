// The live dashboard: scrapes /metrics every REFRESH_MS and turns counters into rates and
// histogram buckets into percentiles in the browser, so the server keeps no history for it.
// Event types and the latest events come from GET /api/events with a pasted events:read token.
'use strict';
(() => {
  const REFRESH_MS = 1500;
  const HISTORY_S = 300;        // what the charts show
  const RATE_WINDOW_S = 5;      // the rate on the cards: smooth enough to read
  const LATENCY_CARD_S = 60;    // the percentiles on the card
  const LATENCY_CHART_S = 30;   // each point of the latency chart
  const TYPES_WINDOW_MS = 15 * 60 * 1000;
  const LATEST_ROWS = 15;
  const TOKEN_KEY = 'evs.dashboard.token';
  // Operator pages: their own requests (this page's scrapes among them) are not API traffic.
  const OPERATOR_ROUTES = ['/metrics', '/dashboard', '/docs', '/openapi.json'];

  const $ = (id) => document.getElementById(id);
  const fmt = (n, digits = 1) =>
    n === null || !Number.isFinite(n) ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const ms = (seconds) => (seconds === null ? null : seconds * 1000);

  // The Prometheus text format 0.0.4: `name{label="value",...} value [timestamp]`.
  const number = (text) => (text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text));
  function parseMetrics(text) {
    const samples = [];
    for (const line of text.split('\n')) {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) continue;
      const labels = {};
      for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
        labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
      samples.push({ name: m[1], labels, value: number(m[3]) });
    }
    return samples;
  }

  const sum = (samples, name, keep = () => true) =>
    samples.filter((s) => s.name === name && keep(s.labels)).reduce((a, s) => a + s.value, 0);
  const isApiRoute = (route) => !OPERATOR_ROUTES.some((p) => route === p || route.startsWith(`${p}/`));

  // What one scrape says, reduced to what the page shows.
  function snapshot(samples, t) {
    const codes = {};
    for (const s of samples)
      if (s.name === 'evs_http_requests_total') codes[s.labels.code] = (codes[s.labels.code] ?? 0) + s.value;
    const byLe = new Map();
    for (const s of samples)
      if (s.name === 'evs_commit_duration_seconds_bucket') {
        const le = number(s.labels.le);
        byLe.set(le, (byLe.get(le) ?? 0) + s.value);
      }
    const build = samples.find((s) => s.name === 'evs_build_info');
    const has = (name) => samples.some((s) => s.name === name);
    return {
      t,
      events: sum(samples, 'evs_events_accepted_total'),
      requests: sum(samples, 'evs_http_requests_total', (l) => isApiRoute(l.route ?? '')),
      codes,
      buckets: [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le),
      queue: sum(samples, 'evs_write_queue_events'),
      capacity: sum(samples, 'evs_write_queue_capacity_events'),
      ready: has('evs_storage_ready') ? sum(samples, 'evs_storage_ready') : null,
      build: build ? build.labels : null,
    };
  }

  // Counters only grow; after a restart they start again, and the gap is not a rate.
  const rate = (a, b, key) => (b.t > a.t && b[key] >= a[key] ? (b[key] - a[key]) / (b.t - a.t) : 0);

  // histogram_quantile: linear within the bucket that holds the rank, as Prometheus does.
  function quantile(q, buckets) {
    const total = buckets.length ? buckets[buckets.length - 1].count : 0;
    if (!(total > 0)) return null;
    const rank = q * total;
    let lower = 0;
    let below = 0;
    for (const b of buckets) {
      if (b.count >= rank) {
        if (b.le === Infinity) return lower;
        return lower + ((b.le - lower) * (rank - below)) / (b.count - below);
      }
      lower = b.le;
      below = b.count;
    }
    return lower;
  }
  // The buckets of the commits between two scrapes.
  const bucketsBetween = (a, b) =>
    b.buckets.map((x, i) => ({ le: x.le, count: x.count - (a.buckets[i]?.count ?? 0) }));

  const history = [];
  // The oldest snapshot at most `seconds` before the newest.
  function since(seconds) {
    const newest = history[history.length - 1];
    return history.find((s) => s.t >= newest.t - seconds) ?? newest;
  }

  // Charts (uPlot).
  const axis = { stroke: '#8b97a6', grid: { stroke: '#263140', width: 1 }, ticks: { stroke: '#263140', width: 1 } };
  const series = (label, stroke, unit) => ({ label, stroke, width: 2, spanGaps: false,
    value: (u, v) => (v === null || v === undefined ? '–' : `${fmt(v, 1)}${unit}`) });
  function makeChart(el, lines) {
    return new uPlot({
      width: el.clientWidth || 500,
      height: 220,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Number.isFinite(max) ? Math.max(1, max * 1.15) : 1] } },
      axes: [axis, { ...axis, size: 56 }],
      series: [{}, ...lines],
    }, [[], ...lines.map(() => [])], el);
  }
  const rateChart = makeChart($('rate-chart'), [series('events/s', '#4ea1ff', '/s'), series('requests/s', '#3ecf8e', '/s')]);
  const latencyChart = makeChart($('latency-chart'),
    [series('p50', '#3ecf8e', ' ms'), series('p90', '#f5b544', ' ms'), series('p99', '#ff6b6b', ' ms')]);
  const fit = () => {
    rateChart.setSize({ width: $('rate-chart').clientWidth, height: 220 });
    latencyChart.setSize({ width: $('latency-chart').clientWidth, height: 220 });
  };
  window.addEventListener('resize', fit);

  function drawCharts() {
    const t = [], events = [], requests = [], p50 = [], p90 = [], p99 = [];
    for (let i = 1; i < history.length; i++) {
      const a = history[i - 1], b = history[i];
      t.push(b.t);
      events.push(rate(a, b, 'events'));
      requests.push(rate(a, b, 'requests'));
      const before = history.find((s) => s.t >= b.t - LATENCY_CHART_S) ?? a;
      const span = bucketsBetween(before, b);
      p50.push(ms(quantile(0.5, span)));
      p90.push(ms(quantile(0.9, span)));
      p99.push(ms(quantile(0.99, span)));
    }
    rateChart.setData([t, events, requests]);
    latencyChart.setData([t, p50, p90, p99]);
  }

  function text(id, value) {
    const el = $(id);
    if (el.textContent !== value) el.textContent = value;
  }

  function cell(content, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    if (content instanceof Node) td.append(content); else td.textContent = content;
    return td;
  }
  function bar(fraction, className) {
    const td = cell('', `bar ${className ?? ''}`);
    const fill = document.createElement('div');
    fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
    td.append(fill);
    return td;
  }
  function fillTable(id, rows) {
    document.querySelector(`#${id} tbody`).replaceChildren(...rows.map((cells) => {
      const tr = document.createElement('tr');
      tr.append(...cells);
      return tr;
    }));
  }

  function drawCards() {
    const newest = history[history.length - 1];
    const recent = since(RATE_WINDOW_S);
    text('events-rate', fmt(rate(recent, newest, 'events')));
    text('requests-rate', fmt(rate(recent, newest, 'requests')));
    text('events-total', `${newest.events.toLocaleString('en-US')} since start`);

    const span = bucketsBetween(since(LATENCY_CARD_S), newest);
    const p50 = quantile(0.5, span), p99 = quantile(0.99, span);
    text('latency-p50', p50 === null ? '–' : `${fmt(ms(p50), 1)} ms`);
    text('latency-p99', p99 === null ? '–' : `${fmt(ms(p99), 1)} ms`);
    text('latency-note', p50 === null ? 'no commits in the last 60 s' : 'estimated from the histogram, last 60 s');

    text('queue-depth', newest.queue.toLocaleString('en-US'));
    text('queue-capacity', newest.capacity.toLocaleString('en-US'));
    const fill = newest.capacity > 0 ? newest.queue / newest.capacity : 0;
    $('queue-bar').style.width = `${Math.min(1, fill) * 100}%`;
    $('queue-bar').className = fill >= 0.95 ? 'full' : fill >= 0.6 ? 'high' : '';

    const storage = $('storage');
    storage.textContent = newest.ready === null ? 'storage: unknown' : newest.ready >= 1 ? 'storage ready' : 'storage NOT ready';
    storage.className = `pill ${newest.ready === null ? '' : newest.ready >= 1 ? 'ok' : 'bad'}`;
    if (newest.build) text('build', `${newest.build.version ?? ''} · ${newest.build.backend ?? ''}`);

    const classes = Object.keys(newest.codes).sort();
    const most = Math.max(1, ...classes.map((c) => newest.codes[c]));
    fillTable('status-codes', classes.map((c) => {
      const before = recent.codes[c] ?? 0;
      const perSecond = newest.t > recent.t ? Math.max(0, newest.codes[c] - before) / (newest.t - recent.t) : 0;
      return [cell(c), bar(newest.codes[c] / most, `c${c}`), cell(newest.codes[c].toLocaleString('en-US'), 'num'),
              cell(`${fmt(perSecond)}/s`, 'num')];
    }));
  }

  async function scrape() {
    try {
      const res = await fetch('/metrics', { cache: 'no-store' });
      if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
      const now = Date.now() / 1000;
      history.push(snapshot(parseMetrics(await res.text()), now));
      while (history.length > 2 && history[0].t < now - HISTORY_S - 5) history.shift();
      drawCards();
      drawCharts();
      text('status', `updated ${new Date().toLocaleTimeString()}`);
    } catch (e) {
      text('status', `cannot read /metrics: ${e.message}`);
    }
  }

  // The read API, tailed: each poll asks for what was received since the newest event seen.
  let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  let events = [];          // received in the last TYPES_WINDOW_MS, by id
  let ids = new Set();
  let generation = 0;       // a new token starts the tail again; answers for the old one are dropped

  function showEventsStatus(message) { text('events-status', message); }

  async function pollEvents() {
    if (!token) return;
    const mine = generation;
    const from = events.length ? events[events.length - 1].received_at
                               : new Date(Date.now() - TYPES_WINDOW_MS).toISOString();
    let cursor = null;
    for (let page = 0; page < 5; page++) {
      const query = new URLSearchParams({ since: from, limit: '1000' });
      if (cursor) query.set('cursor', cursor);
      const res = await fetch(`/api/events?${query}`, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
      if (mine !== generation) return;
      if (res.status === 401 || res.status === 403)
        return showEventsStatus(`The token was refused (${res.status}): it needs the events:read scope and must not have expired.`);
      if (res.status === 404)
        return showEventsStatus('GET /api/events is not served on this listener (with ADMIN_PORT it stays on the main port).');
      if (!res.ok) return showEventsStatus(`GET /api/events answered ${res.status}.`);
      const body = await res.json();
      for (const e of body.items) if (!ids.has(e.id)) { ids.add(e.id); events.push(e); }
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    events.sort((a, b) => a.id - b.id);
    const oldest = Date.now() - TYPES_WINDOW_MS;
    const keep = events.findIndex((e) => Date.parse(e.received_at) >= oldest);
    if (keep > 0 || (keep === -1 && events.length > 1)) {
      const dropped = keep === -1 ? events.slice(0, -1) : events.slice(0, keep);
      for (const e of dropped) ids.delete(e.id);
      events = keep === -1 ? events.slice(-1) : events.slice(keep);
    }
    drawEvents();
    showEventsStatus(`Reading GET /api/events with the pasted token: ${events.length.toLocaleString('en-US')} events in the last 15 minutes.`);
  }

  function drawEvents() {
    const counts = new Map();
    for (const e of events) counts.set(e.event_type, (counts.get(e.event_type) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
    const most = top.length ? top[0][1] : 1;
    fillTable('top-types', top.map(([type, n]) => [cell(type), bar(n / most), cell(n.toLocaleString('en-US'), 'num')]));
    fillTable('latest-events', events.slice(-LATEST_ROWS).reverse().map((e) => {
      const payload = typeof e.event_payload === 'string' ? e.event_payload : JSON.stringify(e.event_payload);
      return [cell(String(e.id), 'num'), cell(e.event_type), cell(new Date(e.received_at).toLocaleTimeString()),
              cell(payload.slice(0, 200), 'payload')];
    }));
  }

  function useToken(value) {
    token = value.trim();
    generation++;
    events = [];
    ids = new Set();
    drawEvents();
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
      showEventsStatus('Reading GET /api/events with the pasted token…');
    } else {
      sessionStorage.removeItem(TOKEN_KEY);
      showEventsStatus('No token yet: these panels stay empty.');
    }
  }
  $('token').value = token;
  if (token) useToken(token);
  $('token-form').addEventListener('submit', (e) => { e.preventDefault(); useToken($('token').value); pollEvents(); });
  $('token-forget').addEventListener('click', () => { $('token').value = ''; useToken(''); });

  // One tick at a time: a slow answer delays the next tick instead of piling requests up.
  async function tick() {
    await Promise.all([scrape(), pollEvents().catch((e) => showEventsStatus(`GET /api/events failed: ${e.message}`))]);
    setTimeout(tick, REFRESH_MS);
  }
  tick();
  requestAnimationFrame(fit);
})();
