// Thin client for the Vigil HTTP API (docs/api.md). The session lives in the
// HttpOnly cookie `vigil_session`; this module never sees or stores the token.

import { lang, t } from './i18n.js';

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem, headers) {
    const title = (problem && problem.title) || (status === 0 ? t('common.networkError') : t('common.unknownError', { status }));
    super(title);
    this.status = status;
    this.problem = problem || null;
    this.type = (problem && problem.type) || '';
    this.title = title;
    this.headers = headers || null;
  }
  // Field errors as a map field -> message (from problem.errors[]).
  fieldErrors() {
    const out = {};
    const errs = this.problem && Array.isArray(this.problem.errors) ? this.problem.errors : [];
    for (const e of errs) if (e && e.field) out[e.field] = e.message || '';
    return out;
  }
}

let unauthenticatedHandler = null;
// Called on any 401 except the login request itself.
export function onUnauthenticated(fn) { unauthenticatedHandler = fn; }

function buildUrl(path, query) {
  let url = path.startsWith('/') ? path : `${API}/${path}`;
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      qs.set(k, String(v));
    }
    const s = qs.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  return url;
}

export async function request(method, path, { query, body, allow401 = false } = {}) {
  const headers = { 'Accept': 'application/json', 'Accept-Language': lang() };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(buildUrl(path, query), init);
  } catch (_) {
    throw new ApiError(0, null);
  }
  if (res.status === 204) return null;
  const ctype = res.headers.get('Content-Type') || '';
  let data = null;
  if (ctype.includes('json')) {
    try { data = await res.json(); } catch (_) { data = null; }
  } else {
    try { await res.text(); } catch (_) { /* ignore */ }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data && typeof data === 'object' ? data : null, res.headers);
    if (res.status === 401 && !allow401 && unauthenticatedHandler) unauthenticatedHandler(err);
    throw err;
  }
  return data;
}

export const get = (path, query, opts) => request('GET', path, { ...opts, query });
export const post = (path, body, opts) => request('POST', path, { ...opts, body });
export const put = (path, body, opts) => request('PUT', path, { ...opts, body });
export const patch = (path, body, opts) => request('PATCH', path, { ...opts, body });
export const del = (path, opts) => request('DELETE', path, opts);

// --- Session -----------------------------------------------------------------

export function login(username, password) {
  return request('POST', `${API}/session`, { body: { username, password }, allow401: true });
}

export async function logout() {
  try { await request('DELETE', `${API}/session`, { allow401: true }); } catch (_) { /* already gone */ }
}

export function me() { return request('GET', `${API}/me`, { allow401: true }); }

// --- Lists -------------------------------------------------------------------

// Fetch one page of a list endpoint: {items,total,limit,offset}.
export async function list(path, query) {
  const data = await get(`${API}/${path}`, query);
  return {
    items: (data && Array.isArray(data.items)) ? data.items : [],
    total: (data && Number.isFinite(data.total)) ? data.total : 0,
    limit: (data && data.limit) || (query && query.limit) || 50,
    offset: (data && data.offset) || 0,
  };
}

// Count only: one item requested.
export async function count(path, query) {
  const page = await list(path, { ...query, limit: 1, offset: 0 });
  return page.total;
}

// Fetch every page of a list (bounded; areas are few).
export async function listAll(path, query, max = 5000) {
  const out = [];
  let offset = 0;
  for (;;) {
    const page = await list(path, { ...query, limit: 500, offset });
    out.push(...page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total || offset >= max) return { items: out, total: page.total };
  }
}
