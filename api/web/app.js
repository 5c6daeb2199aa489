// The page's shell: sign-in, the navigation the user's roles allow, and a
// small hash router over the views (#/board, #/case/ID, #/work, #/reports,
// #/review).
import { api, ApiError, setUnauthenticatedHandler } from '/assets/api.js';
import { h, clear, setClock } from '/assets/ui.js';
import { boardView } from '/assets/board.js';
import { caseView } from '/assets/case.js';
import { workView } from '/assets/work.js';
import { reportsView } from '/assets/reports.js';
import { reviewView } from '/assets/review.js';
import { session, can, showError, clearError, setRefresh } from '/assets/state.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signoutButton = document.getElementById('signout');

function signInView() {
  nav.hidden = true;
  signoutButton.hidden = true;
  who.textContent = '';
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'token-help token-error', spellcheck: 'false' });
  const error = h('p', { id: 'token-error', class: 'field-error', 'aria-live': 'polite' });
  const form = h('form', { class: 'card signin', id: 'signin-form' },
    h('h1', {}, 'Sign in'),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'muted' },
      'Paste the token you were given (it starts with ta_). It is sent once; the page then keeps a session for 12 hours.'),
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      await api('POST', '/v1/session', { token: input.value.trim() });
      input.value = '';
      await start();
    } catch (err) {
      error.textContent = err.message;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  });
  clear(main).append(form);
  input.focus();
}

function drawNav() {
  const links = [];
  if (can.work()) links.push(['#/work', 'My work']);
  if (can.board()) links.push(['#/board', 'Case board']);
  if (can.reports()) links.push(['#/reports', 'Reports']);
  if (can.review()) links.push(['#/review', 'Loss review']);
  clear(nav).append(...links.map(([href, text]) => h('a', { href, dataset: { view: href.slice(2) } }, text)));
  nav.hidden = links.length === 0;
  const p = session.person;
  who.textContent = `${p.name} (${p.roles.join(', ')})`;
  signoutButton.hidden = false;
}

function markNav(view) {
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function defaultRoute() {
  if (can.work() && !can.role('ops_lead')) return '#/work';
  if (can.board()) return '#/board';
  if (can.review()) return '#/review';
  return '#/none';
}

let rendering = 0;
async function route() {
  if (!session.person) return;
  clearError();
  if (!location.hash || location.hash === '#' || location.hash === '#/') {
    history.replaceState(null, '', defaultRoute());
  }
  const hash = location.hash;
  const [path, q] = hash.slice(1).split('?');
  const params = new URLSearchParams(q || '');
  const parts = path.split('/').filter(Boolean);
  const ticket = ++rendering;
  const target = h('div', { class: 'view' });
  try {
    if (parts[0] === 'board' && can.board()) {
      markNav('board');
      await boardView(target, params);
    } else if (parts[0] === 'case' && parts[1] && can.board()) {
      markNav('');
      await caseView(target, Number(parts[1]));
    } else if (parts[0] === 'work' && can.work()) {
      markNav('work');
      await workView(target);
    } else if (parts[0] === 'reports' && can.reports()) {
      markNav('reports');
      await reportsView(target, params);
    } else if (parts[0] === 'review' && can.review()) {
      markNav('review');
      await reviewView(target, params);
    } else if (!location.hash || parts[0] === 'none') {
      if (defaultRoute() !== '#/none') { location.hash = defaultRoute(); return; }
      target.append(h('div', { class: 'card' }, h('h1', {}, 'Nothing to show'),
        h('p', {}, 'Your roles have no view on this page. Tools use the HTTP API with a bearer token (docs/api.md).')));
    } else {
      target.append(h('div', { class: 'card' }, h('h1', {}, 'Not found'), h('p', {}, 'No such view for your roles.')));
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    target.append(h('div', { class: 'card' }, h('h1', {}, 'Could not load'), h('p', {}, err.message)));
  }
  if (ticket !== rendering) return;  // a later navigation won
  clear(main).append(target);
  const heading = main.querySelector('h1');
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
}

async function start() {
  try {
    const s = await api('GET', '/v1/session');
    Object.assign(session, s);
    setClock(s.company.time_zone, s.now);
  } catch (err) {
    session.person = null;
    if (err instanceof ApiError && err.status === 401) { signInView(); return; }
    showError(err);
    return;
  }
  drawNav();
  await route();
}

setRefresh(route);

setUnauthenticatedHandler(() => { session.person = null; signInView(); });
signoutButton.addEventListener('click', async () => {
  try { await api('DELETE', '/v1/session'); } catch (err) { if (!(err instanceof ApiError)) showError(err); }
  session.person = null;
  history.replaceState(null, '', '/');
  signInView();
});
window.addEventListener('hashchange', route);
start();
