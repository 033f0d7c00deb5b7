// Shared helpers for the browser tests: Debian's chromium through playwright-core.

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
