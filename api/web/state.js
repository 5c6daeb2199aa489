// Who is signed in, what their roles let the page show, and the page-wide
// error line. The server enforces every rule regardless of the page.

export const session = { person: null };

function has(role) { return !!session.person && session.person.roles.includes(role); }
export const can = {
  board: () => has('ops_lead') || has('analyst') || has('executive') || has('owner'),
  work: () => has('ops_lead') || has('executive') || has('owner'),
  act: () => has('ops_lead') || has('executive') || has('owner'),
  assign: () => has('ops_lead'),
  reports: () => has('ops_lead') || has('executive') || has('analyst'),
  review: () => has('ops_lead') || has('executive') || has('analyst') || has('admin'),
  people: () => has('ops_lead') || has('analyst') || has('admin'),
  seesAll: () => has('ops_lead') || has('analyst'),
  role: has,
};

export function showError(err) {
  const box = document.getElementById('alert');
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
}
export function clearError() {
  const box = document.getElementById('alert');
  box.hidden = true;
  box.textContent = '';
}

let refresher = async () => {};
export function setRefresh(f) { refresher = f; }
// Draws the current view again (after a change).
export function refresh() { return refresher(); }
