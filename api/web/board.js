// The case board: open cases by next due date, a page at a time (the
// server paginates), with their counts per state, filters and a customer
// search. Filters live in the address (#/board?segment=smb&...).
import { api, query } from '/assets/api.js';
import { h, clear, put, caseTable } from '/assets/ui.js';
import { session, can, showError, clearError } from '/assets/state.js';

const PAGE = 50;
const FILTERS = ['workflow', 'state', 'segment', 'owner', 'priority', 'overdue', 'q'];

function stateLabels() {
  const labels = new Map();
  for (const wf of session.workflows) {
    for (const s of wf.states) if (!labels.has(s.name)) labels.set(s.name, s.label);
  }
  return labels;
}

function select(id, label, options, value) {
  return [h('label', { for: id }, label),
    h('select', { id, name: id },
      h('option', { value: '' }, 'Any'),
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)))];
}

export async function boardView(root, params) {
  const f = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) || '']));
  let cursor = params.get('cursor') || '';
  const c = session.company;
  const form = h('form', { class: 'filters', id: 'board-filters', role: 'search' },
    h('div', { class: 'field search' },
      h('label', { for: 'q' }, 'Customer'),
      h('input', { id: 'q', name: 'q', type: 'search', value: f.q, placeholder: 'Name or id', autocomplete: 'off' })),
    h('div', { class: 'field' }, select('workflow', 'Workflow', session.workflows.map((w) => [w.name, w.label]), f.workflow)),
    h('div', { class: 'field' }, select('segment', 'Segment', c.segments.map((s) => [s, s]), f.segment)),
    h('div', { class: 'field' }, select('priority', 'Priority', c.priorities.map((p) => [p, p]), f.priority)),
    can.seesAll() ? h('div', { class: 'field' },
      h('label', { for: 'owner' }, 'Owner'),
      h('input', { id: 'owner', name: 'owner', value: f.owner, list: 'people-list', autocomplete: 'off', placeholder: 'person id' }),
      h('datalist', { id: 'people-list' })) : null,
    h('div', { class: 'field check' },
      h('input', { id: 'overdue', name: 'overdue', type: 'checkbox', checked: f.overdue === 'true' }),
      h('label', { for: 'overdue' }, 'Overdue only')),
    h('div', { class: 'field' }, h('button', { type: 'submit' }, 'Apply')));
  const counts = h('div', { class: 'counts', role: 'group', 'aria-label': 'Open cases by state' });
  const results = h('div', { id: 'board-results', 'aria-live': 'polite' });
  put(root,
    h('h1', {}, can.seesAll() ? 'Case board' : 'My cases'),
    can.seesAll() ? null : h('p', { class: 'muted' }, 'Your roles show the cases you own.'),
    form, counts, results);

  const read = () => {
    const d = new FormData(form);
    for (const k of FILTERS) f[k] = k === 'overdue' ? (d.get('overdue') ? 'true' : '') : String(d.get(k) || '').trim();
  };
  const address = () => {
    const q = query({ ...f, cursor });
    history.replaceState(null, '', '#/board' + q);
  };

  async function fetchPage() {
    address();
    const started = performance.now();
    const data = await api('GET', '/v1/cases' + query({
      sort: 'due', counts: true, limit: PAGE, cursor,
      workflow: f.workflow, state: f.state, segment: f.segment, owner: f.owner, priority: f.priority,
      overdue: f.overdue === 'true', q: f.q,
    }));
    drawCounts(data.counts || {});
    const total = Object.values(data.counts || {}).reduce((a, b) => a + b, 0);
    const shown = f.state ? (data.counts || {})[f.state] || 0 : total;
    put(clear(results),
      h('p', { class: 'muted summary' }, `${shown} open case${shown === 1 ? '' : 's'} match, by due date`),
      caseTable(data.cases, { caption: 'Open cases by due date', empty: 'No open cases match these filters.' }),
      h('nav', { class: 'pager', 'aria-label': 'Pages' },
        cursor ? h('button', { type: 'button', onclick: () => { cursor = ''; load(); } }, 'First page') : null,
        data.next_cursor ? h('button', { type: 'button', id: 'next-page',
          onclick: () => { cursor = data.next_cursor; load(); } }, 'Next page') : null));
    results.dataset.loadMs = String(Math.round(performance.now() - started));
  }

  const load = () => { clearError(); return fetchPage().catch(showError); };

  function drawCounts(byState) {
    const labels = stateLabels();
    const names = [...labels.keys()].filter((s) => byState[s]);
    for (const s of Object.keys(byState)) if (!names.includes(s)) names.push(s);
    const total = Object.values(byState).reduce((a, b) => a + b, 0);
    const chip = (name, text, n) => h('button', {
      type: 'button', class: 'chip', 'aria-pressed': String(f.state === name), dataset: { state: name },
      onclick: () => { f.state = name; cursor = ''; load(); },
    }, text, ' ', h('span', { class: 'count' }, String(n)));
    clear(counts).append(chip('', 'All open', total), ...names.map((s) => chip(s, labels.get(s) || s, byState[s])));
  }

  form.addEventListener('submit', (ev) => { ev.preventDefault(); read(); cursor = ''; load(); });
  form.addEventListener('change', (ev) => {
    if (ev.target.id === 'q' || ev.target.id === 'owner') return;  // applied on Enter / Apply
    read(); cursor = ''; load();
  });
  if (can.people() && can.seesAll()) {
    // The owner suggestions load beside the first page, not before it.
    api('GET', '/v1/people').then((r) => {
      const list = form.querySelector('#people-list');
      for (const p of r.people) list.append(h('option', { value: p.id }, p.name));
    }).catch(showError);
  }
  await fetchPage();
}
