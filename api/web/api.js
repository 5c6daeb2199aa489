// The JSON API as the page uses it: same-origin requests with the session
// cookie, and the header the server requires of state-changing requests
// (web_session.h). Errors become ApiError with the server's code, message
// and the fields at fault.

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || 'http_' + status;
    this.fields = e.fields || [];
    this.allowed = e.allowed || [];
  }
}

let onUnauthenticated = () => {};
export function setUnauthenticatedHandler(f) { onUnauthenticated = f; }

export async function api(method, path, body) {
  const init = {
    method,
    credentials: 'same-origin',
    headers: { 'X-Requested-With': 'turnaround', Accept: 'application/json' },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && path !== '/v1/session') onUnauthenticated(err);
    throw err;
  }
  return data;
}

// "a=1&b=2" of the set values of `params`.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
