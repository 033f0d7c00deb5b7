// Shared helpers for the browser tests: Debian's chromium through playwright-core.

import net from 'node:net';
import { chromium } from 'playwright-core';

export const BASE = (process.env.VIGIL_URL || '').replace(/\/+$/, '');
export const PASSWORD = 'vigil-demo';

if (!BASE) {
  throw new Error('VIGIL_URL is not set: run the tests through tests/browser/run.sh VIGILD');
}

// playwright-core launches with a fresh temporary user-data-dir of its own.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser, { lang } = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'UTC' });
  if (lang) {
    await context.addInitScript((l) => { if (!localStorage.getItem('vigil.lang')) localStorage.setItem('vigil.lang', l); }, lang);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The daemon sends a strict Content-Security-Policy; a violation is a bug.
  page.on('console', (m) => { if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) errors.push(m.text()); });
  page.jsErrors = errors;
  return page;
}

export async function gotoLogin(page, hash = '') {
  await page.goto(`${BASE}/${hash}`);
  await page.getByTestId('login-form').waitFor();
}

export async function login(page, username, password = PASSWORD, hash = '') {
  await gotoLogin(page, hash);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-shell').waitFor();
}

// The problem title the daemon itself gives for a failed login, in a language.
// A bearer token of a demo user, for API calls beside the page (no cookie of the page's).
export async function token(user) {
  const res = await fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password: PASSWORD }) });
  return (await res.json()).token;
}

// An API call with that token; throws with the problem on any non-2xx answer.
export async function apiCall(tok, method, path, body) {
  const res = await fetch(`${BASE}/api/v1/${path}`, { method, headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined });
  const j = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(j)}`);
  return j;
}

export async function invalidCredentialsTitle(lang = 'zh-CN') {
  const res = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': lang },
    body: JSON.stringify({ username: 'nobody-here', password: 'definitely-wrong' }),
  });
  const body = await res.json();
  return { status: res.status, type: body.type, title: body.title };
}

// Fail logins for a throw-away username until the daemon locks it out (429).
export async function lockOut(username) {
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${BASE}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: 'wrong-password' }),
    });
    await res.arrayBuffer();
    if (res.status === 429) return Number(res.headers.get('Retry-After'));
  }
  throw new Error(`no lockout for ${username} after 20 failed logins`);
}

// --- SIA DC-09 ---------------------------------------------------------------


export const DC09_PORT = Number(process.env.VIGIL_DC09_PORT || 0);

// CRC-16/ARC (reflected polynomial 0xA001, initial value 0).
export function crc16arc(buf) {
  let crc = 0;
  for (const b of buf) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = (crc & 1) ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
  }
  return crc;
}

// LF + CRC (4 upper-case hex) + "0" + length (3 hex) + body + CR, where the CRC
// and the length cover the body from the opening quote to the end.
export function dc09Frame(body) {
  const b = Buffer.from(body, 'latin1');
  const crc = crc16arc(b).toString(16).toUpperCase().padStart(4, '0');
  const len = `0${b.length.toString(16).toUpperCase().padStart(3, '0')}`;
  return Buffer.concat([Buffer.from(`\n${crc}${len}`, 'latin1'), b, Buffer.from('\r', 'latin1')]);
}

// An unencrypted SIA-DCS message without a timestamp, e.g.
// dc09Body({ seq: 1, account: '1234', code: 'FA', zone: '003' })
//   -> "SIA-DCS"0001L0#1234[#1234|Nri1/FA003]
export function dc09Body({ seq, account, code, zone = '', partition = '1' }) {
  return `"SIA-DCS"${String(seq).padStart(4, '0')}L0#${account}[#${account}|Nri${partition}/${code}${zone}]`;
}

// Sends one frame over TCP and resolves with the receiver's reply frame (text)
// once it ends with CR, and the time it arrived (ms, performance.now()).
export function sendDc09(body, { port = DC09_PORT, timeout = 5000 } = {}) {
  if (!port) throw new Error('VIGIL_DC09_PORT is not set: run the tests through tests/browser/run.sh VIGILD');
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no DC-09 reply within ${timeout} ms (got ${JSON.stringify(got)})`)); }, timeout);
    sock.on('connect', () => sock.write(dc09Frame(body)));
    sock.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r')) {
        const at = performance.now();
        clearTimeout(timer);
        sock.end();
        resolve({ reply: got, at });
      }
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}
