// The monthly loss review (GET /v1/reviews/{YYYY-MM}/agenda): the next
// meeting in the company's time zone, every section the agenda has, the
// top-five issues, exports, and for ops leads "mark reviewed" on a case
// (POST /v1/reviews/{YYYY-MM}/reviewed).
import { api, ApiError, query } from '/assets/api.js';
import { h, put, money, now, caseLink } from '/assets/ui.js';
import { session, can, showError } from '/assets/state.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function zoned(iso, opts) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: session.company.time_zone, ...opts }).format(new Date(iso));
}
function meetingTime(iso) {
  return zoned(iso, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
}
function day(iso) { return iso ? zoned(iso, { year: 'numeric', month: 'short', day: '2-digit' }) : '–'; }
function rate(c) { return c && c.rate !== null && c.rate !== undefined ? `${Math.round(c.rate * 100)}%` : '–'; }
function shift(month, by) {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
function thisMonth() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: session.company.time_zone, year: 'numeric', month: '2-digit' })
    .formatToParts(new Date(now()));
  return `${parts.find((p) => p.type === 'year').value}-${parts.find((p) => p.type === 'month').value}`;
}

function table(caption, head, rows, empty) {
  if (!rows.length) return h('p', { class: 'muted empty' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'report' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((r) => h('tr', r.attrs || {}, r.cells.map((v) => h('td', {}, v)))))));
}

function section(id, title, count, ...body) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title, count === null ? null : [' ', h('span', { class: 'count' }, String(count))]), body);
}

function caseRef(c) { return caseLink({ id: c.id, customer_name: c.customer_name, customer_id: c.customer_id }); }

// The "Mark reviewed" form of one case (ops leads).
function reviewForm(month, caseId, label) {
  const id = `review-${caseId}`;
  const status = h('span', { class: 'status', role: 'status', id: `${id}-status` });
  const notes = h('input', { id: `${id}-notes`, name: 'notes', autocomplete: 'off' });
  const form = h('form', { class: 'review-mark', id, dataset: { caseId } },
    h('label', { for: `${id}-notes`, class: 'sr-only' }, `Notes on case ${caseId} (${label})`),
    notes, h('button', { type: 'submit' }, 'Mark reviewed'), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = 'saving…';
    try {
      const body = { case_id: caseId };
      if (notes.value.trim()) body.notes = notes.value.trim();
      await api('POST', `/v1/reviews/${month}/reviewed`, body);
      status.textContent = 'reviewed';
      form.querySelector('button').disabled = true;
      notes.disabled = true;
    } catch (err) {
      status.textContent = '';
      showError(err);
    }
  });
  return form;
}

function caseRows(list, month, mark) {
  return list.cases.map((c) => ({
    attrs: { class: c.overdue ? 'overdue' : null, dataset: { caseId: c.id } },
    cells: [caseRef(c), c.segment, money(c.arr), c.state, c.owner || 'unassigned', day(c.opened_at),
      mark ? reviewForm(month, c.id, c.customer_name) : (c.overdue ? 'overdue' : '')],
  }));
}

function agendaView(a, top, mark) {
  const m = a.month;
  const lost = a.lost_customers;
  const lostRow = (l) => ({ cells: [l.case_id ? caseLink({ id: l.case_id, customer_name: l.name }) : l.name, l.segment,
    money(l.arr), l.reason, day(l.lost_at), l.case_state || '–'] });
  const head = ['Customer', 'Segment', 'ARR', 'State', 'Owner', 'Opened', mark ? 'Review' : ''];
  const out = a.outreach;
  const dc = a.detractor_cases;
  const parts = [
    section('lost', 'Lost customers by segment', lost.count,
      h('p', { class: 'muted' }, `${lost.count} customers, ARR ${money(lost.arr)}, lost ${day(a.period.from)} to ${day(a.period.to)}.`),
      lost.by_segment.map((s) => h('div', { class: 'chart-block' },
        h('h3', {}, `${s.segment}: ${s.customers} customers, ARR ${money(s.arr)}`),
        h('p', { class: 'muted' }, 'Reasons: ', s.reasons.map((r) => `${r.reason} (${r.count})`).join(', ') || '–'),
        table(`Lost customers, ${s.segment}`, ['Customer', 'Segment', 'ARR', 'Reason', 'Lost', 'Case'], s.lost.map(lostRow), '')))),
    section('sample', 'Call sample', a.callback_sample.customers.length,
      h('p', { class: 'muted' }, `Up to ${a.callback_sample.size} lost customers to call before the meeting.`),
      table('Call sample', ['Customer', 'Segment', 'ARR', 'Reason', 'Lost', 'Case'], a.callback_sample.customers.map(lostRow),
        'No lost customer to call.')),
    section('loss-cases', 'Loss follow-up cases', a.loss_cases.total,
      table('Loss follow-up cases', head, caseRows(a.loss_cases, m, mark), 'No loss follow-up case.'),
      a.loss_cases.truncated ? h('p', { class: 'muted' }, `Showing ${a.loss_cases.cases.length} of ${a.loss_cases.total}.`) : null),
    section('overdue-items', 'Overdue items', a.overdue.total,
      h('p', { class: 'muted' }, 'By owner: ', a.overdue.by_owner.map((o) => `${o.owner || 'unassigned'} (${o.count})`).join(', ') || 'none'),
      table('Overdue cases', head, caseRows(a.overdue, m, mark), 'Nothing overdue.')),
    section('detractor-cases', 'Detractor cases', null,
      h('p', {}, `${dc.opened.total} opened, ${dc.closed.total} closed in the period.`),
      table('Open detractor cases by state', ['State', 'Open', 'Overdue'],
        dc.open_by_state.map((s) => ({ cells: [s.state, s.open, s.overdue] })), 'No open detractor case.')),
    section('outreach', 'Outreach progress', null,
      h('label', { for: 'outreach-progress' }, `${out.contacted} of ${out.target} contacted`),
      ' ', h('progress', { id: 'outreach-progress', max: Math.max(out.target, 1), value: Math.min(out.contacted, Math.max(out.target, 1)) },
        `${out.contacted} of ${out.target}`)),
    section('on-time', 'On-time rates', null,
      h('p', {}, `Overall ${rate(a.on_time.overall)} (${a.on_time.overall.met} met, ${a.on_time.overall.missed} missed, ` +
        `${a.on_time.overall.pending} pending), ${a.analytics_days.from} to ${a.analytics_days.to}.`),
      table('On-time rate by step', ['Step', 'Rate', 'Met', 'Missed', 'Pending'],
        a.on_time.steps.map((s) => ({ cells: [s.step, rate(s), s.met, s.missed, s.pending] })), 'No deadlines.'),
      table('On-time rate by owner', ['Owner', 'Rate', 'Met', 'Missed', 'Pending'],
        a.on_time.by_owner.map((s) => ({ cells: [s.owner || '(no owner)', rate(s), s.met, s.missed, s.pending] })), '')),
    section('top-themes', 'Top themes', a.themes.top.length,
      table('Top themes by segment', ['Segment', 'Theme', 'Cases', 'Detractors', 'ARR', 'Change'],
        a.themes.top.map((t) => ({ cells: [t.segment, t.theme, t.cases, t.detractors, money(t.arr),
          `${t.change > 0 ? '+' : ''}${t.change} (before: ${t.previous_cases})`] })), 'No themes recorded.')),
    section('flare-ups', 'Flare-ups', a.flare_ups.rows.length,
      table('Flare-ups', ['Period', 'Segment', 'Detractors', 'Share', 'Baseline', 'z', 'p'],
        a.flare_ups.rows.map((f) => ({ cells: [f.period, f.segment, `${f.detractors} of ${f.responses}`,
          `${(f.share * 100).toFixed(1)}%`, `${(f.baseline_share * 100).toFixed(1)}%`, Number(f.z).toFixed(2), Number(f.p_value).toFixed(4)] })),
        'No flare-up.')),
  ];
  if (top) {
    parts.push(section('top-five', 'Top-five issues', top.length,
      table('Top-five issues', ['Issue', 'Theme', 'Segment', 'State', 'Owner'],
        top.map((i) => ({ cells: [caseLink({ id: i.id, customer_name: i.title || i.theme }), i.theme, i.segment || 'all',
          i.state_label || i.state || '', i.owner || ''] })), 'No open issue.')));
  }
  return parts;
}

export async function reviewView(root, params) {
  const asked = params.get('month');
  let month = asked && MONTH.test(asked) ? asked : thisMonth();
  let agenda = null;
  for (let i = 0; i < 3 && !agenda; i++) {
    try {
      const a = await api('GET', `/v1/reviews/${month}/agenda`);
      if (asked || Date.parse(a.starts_at) >= now()) agenda = a;
      else month = shift(month, 1);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404 || asked) throw err;
      month = shift(month, 1);
    }
  }
  if (!agenda) throw new Error('No loss review is scheduled in the next months.');
  let top = null;
  if (can.role('ops_lead') || can.role('executive') || can.role('analyst')) {
    top = (await api('GET', '/v1/issues/top')).issues;
  }
  const mark = can.role('ops_lead');
  const base = `/v1/reviews/${month}/agenda`;
  put(root,
    h('h1', {}, `Loss review ${month}`),
    h('p', { class: 'meeting' }, h('strong', {}, 'Meeting: '), h('time', { datetime: agenda.starts_at }, meetingTime(agenda.starts_at)),
      ` (${agenda.zone}).`),
    h('p', { class: 'muted' }, `Agenda cut-off ${meetingTime(agenda.agenda_cutoff)}; ` +
      (agenda.frozen ? `frozen ${meetingTime(agenda.frozen_at)}.` : `live, as of ${meetingTime(agenda.as_of)}.`)),
    h('nav', { class: 'toc', 'aria-label': 'Loss review' },
      h('a', { href: '#/review' + query({ month: shift(month, -1) }) }, '← Previous month'),
      h('a', { href: '#/review' + query({ month: shift(month, 1) }) }, 'Next month →'),
      h('span', {}, 'Export: '),
      h('a', { href: base + '?format=csv', download: `loss-review-${month}.csv` }, 'CSV'),
      h('a', { href: base + '?format=md', download: `loss-review-${month}.md` }, 'Markdown'),
      h('a', { href: base + '?format=html', target: '_blank', rel: 'noopener' }, 'HTML')),
    agendaView(agenda, top, mark));
  root.dataset.month = month;
}
