// The one way pages talk to the server: the same REST API the CLI and the tests use.

/** A non-2xx answer: status, the server's message in words, and the parsed body. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

let csrfToken = null;

/** Set by the login gate from the session answer; sent on every non-GET request. */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

function cookie(name) {
  const m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
  return m ? decodeURIComponent(m[1]) : null;
}

function currentCsrf() {
  return csrfToken || cookie('tributary_csrf') || cookie('XSRF-TOKEN');
}

/** The server's error message, whatever shape the body has. */
export function errorMessage(status, body) {
  if (body && typeof body === 'object') {
    if (body.error && typeof body.error === 'object' && body.error.message) return body.error.message;
    if (body.error && typeof body.error === 'object' && body.error.reason) return body.error.reason;
    if (typeof body.error === 'string') return body.error;
    if (body.message) return body.message;
    if (body.Message) return body.Message;
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 500);
  if (status === 401) return 'You are not logged in (HTTP 401).';
  if (status === 403) return 'You do not have permission to do this (HTTP 403).';
  if (status === 404) return 'Not found (HTTP 404).';
  return `The server answered HTTP ${status}.`;
}

let onUnauthorized = null;
/** app.js registers the login gate here: a 401 on an API call sends the user to the login page. */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export async function raw(method, path, body, headers = {}) {
  const h = { Accept: 'application/json', ...headers };
  const init = { method, headers: h, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = currentCsrf();
    if (token) h['X-CSRF-Token'] = token;
  }
  if (body !== undefined && body !== null) {
    if (typeof body === 'string') {
      init.body = body;
      if (!h['Content-Type']) h['Content-Type'] = 'text/plain';
    } else {
      init.body = JSON.stringify(body);
      h['Content-Type'] = 'application/json';
    }
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, `Cannot reach the Tributary server (${e.message}). Is it running?`, null);
  }
  const type = res.headers.get('Content-Type') || '';
  let parsed = null;
  if (res.status !== 204) {
    const text = await res.text();
    if (type.includes('json') && text) {
      try { parsed = JSON.parse(text); } catch { parsed = text; }
    } else {
      parsed = text;
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, errorMessage(res.status, parsed), parsed);
    if (res.status === 401 && onUnauthorized && !path.startsWith('/api/session')) onUnauthorized(err);
    throw err;
  }
  return parsed;
}

export const api = {
  get: (path) => raw('GET', path),
  post: (path, body) => raw('POST', path, body === undefined ? {} : body),
  put: (path, body) => raw('PUT', path, body === undefined ? {} : body),
  del: (path) => raw('DELETE', path),
  raw,
};

/** Encodes one path segment. */
export const seg = (s) => encodeURIComponent(String(s));
