// My work: what the signed-in person should do next. Executives: the
// callback queue to claim from and the callbacks they claimed; owners:
// their cases by due date; ops leads: unassigned, overdue and escalated work.
import { api } from '/assets/api.js';
import { h, caseTable } from '/assets/ui.js';
import { can, showError, refresh } from '/assets/state.js';

function section(id, title, note, cases, opts) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title, ' ', h('span', { class: 'count' }, String(cases.length))),
    note ? h('p', { class: 'muted' }, note) : null,
    caseTable(cases, opts));
}

export async function workView(root) {
  const t = await api('GET', '/v1/me/tasks');
  const claim = (c) => h('button', {
    type: 'button', class: 'primary', dataset: { claim: c.id }, 'aria-label': `Claim case ${c.id} (${c.customer_name})`,
    onclick: async () => {
      try {
        await api('POST', `/v1/cases/${c.id}/claim`, { version: c.version });
        location.hash = `#/case/${c.id}`;
      } catch (err) { showError(err); await refresh(); }
    },
  }, 'Claim');
  root.append(h('h1', {}, 'My work'));
  if (can.role('ops_lead')) {
    root.append(
      section('escalated', 'Escalated', 'A deadline was missed: the escalation ladder is running.', t.escalated || [],
        { empty: 'Nothing escalated.' }),
      section('overdue', 'Overdue', 'Past a deadline, by how late.', t.overdue || [], { empty: 'Nothing overdue.' }),
      section('unassigned', 'Unassigned', 'Open cases nobody owns (waiting in a queue or to be routed).', t.unassigned || [],
        { empty: 'Everything has an owner.' }));
  }
  if (can.role('executive') || t.claimable.length) {
    root.append(section('queue', can.role('executive') ? 'Callback queue' : 'Queue',
      'Unclaimed cases waiting for someone with your role: claim one to call the customer.', t.claimable,
      { extra: claim, empty: 'The queue is empty.' }));
  }
  root.append(section('mine', can.role('executive') ? 'My callbacks' : 'My cases', 'Your open cases, by due date.', t.owned,
    { empty: 'You own no open cases.' }));
}
