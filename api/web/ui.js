// DOM building and formatting. Elements are built with h(), never from
// HTML strings, so no data from the server is ever parsed as markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export function clear(el) { while (el.firstChild) el.firstChild.remove(); return el; }

// Appends children to el, skipping null, undefined and false (which the
// DOM's own append() would turn into text).
export function put(el, ...children) { append(el, children); return el; }

let zone = 'UTC';
let skewMs = 0;  // server now - client now
export function setClock(timeZone, serverNow) {
  zone = timeZone || 'UTC';
  if (serverNow) skewMs = Date.parse(serverNow) - Date.now();
}
export function now() { return Date.now() + skewMs; }

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(d);
}

// "3d 4h", "5h 10m", "12m".
export function span(ms) {
  const m = Math.floor(Math.abs(ms) / 60000);
  const d = Math.floor(m / 1440), hrs = Math.floor((m % 1440) / 60), min = m % 60;
  if (d > 0) return `${d}d ${hrs}h`;
  if (hrs > 0) return `${hrs}h ${min}m`;
  return `${min}m`;
}

// The badge of a due instant: time left, or time overdue.
export function dueBadge(c) {
  if (c.deadline_missed) return h('span', { class: 'badge late' }, 'Deadline missed');
  if (!c.due_at) return h('span', { class: 'muted' }, c.closed_at ? 'closed' : 'no deadline');
  const left = Date.parse(c.due_at) - now();
  if (left < 0) return h('span', { class: 'badge late', title: formatTime(c.due_at) }, `Overdue ${span(left)}`);
  return h('span', { class: left < 86400000 ? 'badge soon' : 'badge', title: formatTime(c.due_at) }, `${span(left)} left`);
}

export function money(v) {
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(v || 0);
}

export function scoreBadge(c) {
  if (c.score === null || c.score === undefined) return h('span', { class: 'muted' }, '–');
  return h('span', { class: c.danger_zone ? 'score danger' : 'score', title: c.danger_zone ? 'Danger zone' : 'Score' },
    String(c.score));
}

export function caseLink(c) {
  return h('a', { href: `#/case/${c.id}` }, c.customer_name || c.customer_id);
}

// A table of cases (board, work lists). `extra(c)` adds a last cell.
export function caseTable(cases, { caption, extra, empty } = {}) {
  if (!cases.length) return h('p', { class: 'muted empty' }, empty || 'No cases.');
  const head = ['Due', 'Customer', 'Score', 'Segment', 'ARR', 'Priority', 'State', 'Owner'];
  if (extra) head.push('');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'cases' },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, cases.map((c) => h('tr', {
      class: [c.overdue || c.deadline_missed ? 'overdue' : '', c.danger_zone ? 'danger' : ''].join(' ').trim() || null,
      dataset: { caseId: c.id },
    },
    h('td', { 'data-label': 'Due' }, dueBadge(c)),
    h('td', { 'data-label': 'Customer' }, caseLink(c), h('span', { class: 'sub' }, ` #${c.id}`),
      c.danger_zone ? h('span', { class: 'badge danger-tag' }, 'danger zone') : null),
    h('td', { 'data-label': 'Score' }, scoreBadge(c)),
    h('td', { 'data-label': 'Segment' }, c.segment),
    h('td', { 'data-label': 'ARR', class: 'num' }, money(c.arr)),
    h('td', { 'data-label': 'Priority' }, h('span', { class: `prio prio-${c.priority}` }, c.priority)),
    h('td', { 'data-label': 'State' }, c.state_label || c.state),
    h('td', { 'data-label': 'Owner' }, c.owner || (c.queue ? `queue: ${c.queue}` : 'unassigned')),
    extra ? h('td', {}, extra(c)) : null,
    )))));
}
