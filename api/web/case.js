// One case: who and what, its deadlines with time left or overdue, the
// customer's comments, the actions the user may take now (each event's
// form built from the workflow definition the server sends in "events"),
// assign and claim, and the full history as a timeline.
import { api, ApiError } from '/assets/api.js';
import { h, clear, put, formatTime, dueBadge, money, scoreBadge, span, now } from '/assets/ui.js';
import { session, can, showError } from '/assets/state.js';

function fact(label, value) { return [h('dt', {}, label), h('dd', {}, value)]; }

function deadlineRow(d) {
  let when;
  if (d.status === 'pending' && !d.paused) {
    const left = Date.parse(d.due_at) - now();
    when = left < 0 ? h('span', { class: 'badge late' }, `overdue by ${span(left)}`)
      : h('span', { class: 'badge' }, `${span(left)} left`);
  } else if (d.status === 'pending') {
    when = h('span', { class: 'badge' }, 'paused');
  } else {
    when = h('span', { class: d.status === 'missed' ? 'badge late' : 'badge ok' }, d.status);
  }
  return h('tr', {}, h('td', {}, d.name), h('td', {}, formatTime(d.due_at)), h('td', {}, when),
    h('td', {}, d.resolved_at ? formatTime(d.resolved_at) : ''));
}

function dataText(v) {
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

function timeline(history) {
  return h('ol', { class: 'timeline', id: 'history' }, history.slice().reverse().map((e) => h('li', {},
    h('div', { class: 'when' }, formatTime(e.at)),
    h('div', { class: 'what' },
      h('strong', {}, e.event.replace(/_/g, ' ')),
      e.from && e.from !== e.to ? ` ${e.from} → ${e.to}` : '',
      h('span', { class: 'muted' }, ` by ${e.by}`)),
    Object.keys(e.data || {}).length ? h('dl', { class: 'data' },
      Object.entries(e.data).map(([k, v]) => fact(k.replace(/_/g, ' '), dataText(v)))) : null)));
}

// One input for a workflow field (FieldDef types: text, number, boolean,
// theme, themes, person).
function fieldControl(form, f) {
  const id = `${form}-${f.name}`;
  const errId = `${id}-error`;
  const common = { id, name: f.name, 'aria-describedby': errId, required: f.required };
  let control;
  switch (f.type) {
    case 'number':
      control = h('input', { ...common, type: 'number', step: 'any', inputmode: 'decimal' });
      break;
    case 'boolean':
      control = h('select', common, h('option', { value: '' }, 'Choose…'),
        h('option', { value: 'true' }, 'Yes'), h('option', { value: 'false' }, 'No'));
      break;
    case 'theme':
      control = h('select', common, h('option', { value: '' }, 'Choose…'),
        (f.options || []).map((o) => h('option', { value: o }, o)));
      break;
    case 'themes':
      return h('fieldset', { class: 'field themes', id, dataset: { field: f.name, type: f.type }, 'aria-describedby': errId },
        h('legend', {}, f.label),
        (f.options || []).map((o, i) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', name: f.name, value: o, id: `${id}-${i}` }), ' ', o)),
        h('p', { class: 'field-error', id: errId }));
    default:
      control = h('textarea', { ...common, rows: 3 });
  }
  control.dataset.field = f.name;
  control.dataset.type = f.type;
  return h('div', { class: 'field' }, h('label', { for: id }, f.label), control, h('p', { class: 'field-error', id: errId }));
}

function readFields(form, fields) {
  const data = {};
  for (const f of fields) {
    if (f.type === 'themes') {
      const picked = [...form.querySelectorAll(`input[name="${f.name}"]:checked`)].map((i) => i.value);
      if (picked.length) data[f.name] = picked;
      continue;
    }
    const el = form.elements.namedItem(f.name);
    const v = el ? el.value.trim() : '';
    if (v === '') continue;
    if (f.type === 'number') data[f.name] = Number(v);
    else if (f.type === 'boolean') data[f.name] = v === 'true';
    else data[f.name] = v;
  }
  return data;
}

function showFieldErrors(form, err) {
  for (const p of form.querySelectorAll('.field-error')) p.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const general = form.querySelector('.form-error');
  let placed = false;
  for (const name of err.fields || []) {
    const el = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (!el) continue;
    el.setAttribute('aria-invalid', 'true');
    const p = form.querySelector(`#${CSS.escape(el.getAttribute('aria-describedby'))}`);
    if (p) p.textContent = err.message;
    if (!placed) { (el.matches('fieldset') ? el.querySelector('input') : el).focus(); placed = true; }
  }
  general.textContent = placed ? '' : err.message;
}

function humanize(name) {
  const s = name.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function eventForm(c, ev, reload) {
  const formId = `event-${ev.event}`;
  const label = ev.label && ev.label !== ev.event ? ev.label : humanize(ev.event);
  const form = h('form', { class: 'event card', id: formId, dataset: { event: ev.event }, novalidate: true },
    h('h3', {}, label),
    h('p', { class: 'muted' }, `Moves the case to “${ev.to_label}”.`),
    ev.fields.map((f) => fieldControl(formId, f)),
    h('p', { class: 'form-error', role: 'alert' }),
    h('button', { type: 'submit', class: 'primary' }, label));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const after = await api('POST', `/v1/cases/${c.id}/events`, { event: ev.event, data: readFields(form, ev.fields), version: c.version });
      await reload(`${label}: done.`, after);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'aborted') { await reload('The case changed meanwhile; here it is again.'); return; }
      showFieldErrors(form, err);
    }
  });
  return form;
}

async function assignForm(c, reload) {
  let people = [];
  try { people = (await api('GET', '/v1/people')).people.filter((p) => p.active); } catch (err) { showError(err); }
  const form = h('form', { class: 'card assign', id: 'assign-form' },
    h('h3', {}, 'Assign'),
    h('div', { class: 'field' }, h('label', { for: 'assign-owner' }, 'New owner'),
      h('select', { id: 'assign-owner', name: 'owner', required: true, 'aria-describedby': 'assign-owner-error', dataset: { field: 'owner' } },
        h('option', { value: '' }, 'Choose…'),
        people.filter((p) => p.roles.some((r) => r !== 'admin' && r !== 'ingest' && r !== 'analyst'))
          .map((p) => h('option', { value: p.id, selected: p.id === c.owner }, `${p.name} (${p.id})`))),
      h('p', { class: 'field-error', id: 'assign-owner-error' })),
    h('p', { class: 'form-error', role: 'alert' }),
    h('button', { type: 'submit' }, 'Assign'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const owner = form.elements.namedItem('owner').value;
    try {
      const after = await api('POST', `/v1/cases/${c.id}/assign`, { owner, version: c.version });
      await reload(`Assigned to ${owner}.`, after);
    } catch (err) { showFieldErrors(form, err.fields.length ? err : Object.assign(err, { fields: ['owner'] })); }
  });
  return form;
}

export async function caseView(root, id) {
  let c = await api('GET', `/v1/cases/${id}`);
  const status = h('p', { class: 'status', role: 'status', id: 'case-status' });
  const body = h('div', {});
  root.append(status, body);

  // `after`: the case as a change answered it (the user may no longer be
  // allowed to read it, e.g. once it moved to another owner).
  async function reload(message, after) {
    c = after || await api('GET', `/v1/cases/${id}`);
    await draw();
    const mine = c.owner === session.person.id || can.seesAll();
    status.textContent = (message || '') + (after && !mine
      ? ` The case is now ${c.owner ? 'owned by ' + c.owner : 'in the ' + c.queue + ' queue'}; it leaves your lists.` : '');
    const hist = document.getElementById('history');
    if (hist) hist.classList.add('updated');
  }

  async function draw() {
    const actions = [];
    if (can.act() && c.closed_at === null) {
      const myRoles = session.person.roles;
      if (!c.owner && c.queue && myRoles.includes(c.queue)) {
        actions.push(h('div', { class: 'card' }, h('h3', {}, 'Claim'),
          h('p', { class: 'muted' }, `This case waits in the ${c.queue} queue.`),
          h('button', { type: 'button', class: 'primary', id: 'claim', onclick: async () => {
            try {
              const after = await api('POST', `/v1/cases/${c.id}/claim`, { version: c.version });
              await reload('Claimed: the case is yours.', after);
            } catch (err) { showError(err); }
          } }, 'Claim this case')));
      }
      for (const ev of c.events || []) actions.push(eventForm(c, ev, reload));
      if (can.assign()) actions.push(await assignForm(c, reload));
    }
    const comments = (c.responses_detail || []);
    put(clear(body),
      h('h1', {}, c.customer_name || c.customer_id, ' ', h('span', { class: 'sub' }, `case #${c.id}`)),
      h('div', { class: 'case-grid' },
        h('section', { class: 'card facts', 'aria-labelledby': 'facts-h' },
          h('h2', { id: 'facts-h' }, 'Case'),
          h('dl', {},
            fact('Customer', `${c.customer_name} (${c.customer_id})`),
            fact('Score', [scoreBadge(c), c.danger_zone ? h('span', { class: 'badge danger-tag' }, 'danger zone') : null,
              c.heavy_hitter ? h('span', { class: 'badge' }, 'heavy hitter') : null]),
            fact('Segment', c.segment),
            fact('ARR', money(c.arr)),
            fact('Owner', c.owner || (c.queue ? `unassigned (queue: ${c.queue})` : 'unassigned')),
            fact('Priority', h('span', { class: `prio prio-${c.priority}` }, c.priority)),
            fact('State', `${c.state_label} (${c.workflow_label})`),
            fact('Due', dueBadge(c)),
            fact('Opened', formatTime(c.opened_at)),
            c.closed_at ? fact('Closed', formatTime(c.closed_at)) : null,
            (c.issues || []).length ? fact('Issues', h('ul', { class: 'issues' }, c.issues.map((i) => h('li', {},
              h('a', { href: `#/case/${i.id}` }, `#${i.id} ${i.title}`), ` (${i.open ? 'open' : 'closed'})`)))) : null)),
        h('section', { class: 'card', 'aria-labelledby': 'comments-h' },
          h('h2', { id: 'comments-h' }, comments.length === 1 ? 'Comment' : 'Comments'),
          comments.length ? h('ul', { class: 'comments' }, comments.map((r) => h('li', {},
            h('blockquote', {}, r.comment || h('span', { class: 'muted' }, '(no comment)')),
            h('p', { class: 'muted' }, `Score ${r.score}, ${formatTime(r.responded_at)}`)))) : h('p', { class: 'muted' }, 'No comments.')),
        h('section', { class: 'card', 'aria-labelledby': 'deadlines-h' },
          h('h2', { id: 'deadlines-h' }, 'Deadlines'),
          c.deadlines.length ? h('div', { class: 'table-wrap' }, h('table', {},
            h('thead', {}, h('tr', {}, ['Deadline', 'Due', 'Status', 'Resolved'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, c.deadlines.map(deadlineRow)))) : h('p', { class: 'muted' }, 'No deadlines.'))),
      actions.length ? h('section', { class: 'actions', 'aria-labelledby': 'actions-h' },
        h('h2', { id: 'actions-h' }, 'What you can do now'), actions) : null,
      h('section', { class: 'card', 'aria-labelledby': 'history-h' },
        h('h2', { id: 'history-h' }, 'History'), timeline(c.history || [])));
  }
  await draw();
}
