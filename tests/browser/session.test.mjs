// Login, wrong password, logout, live indicator, navigation by permission.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, gotoLogin, invalidCredentialsTitle, lockOut } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('operator signs in to the alarm console and sees the overview', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  // The start page is the alarm console (报警台) for everyone with incident.read.
  await page.waitForURL(/#\/alarms/);
  await page.getByTestId('page-alarms').waitFor();
  assert.equal(await page.getByTestId('page-title').textContent(), '报警台');
  await page.getByTestId('nav-overview').click();
  await page.getByTestId('page-overview').waitFor();
  assert.equal(await page.getByTestId('page-title').textContent(), '总览');
  // Site counts are shown once loaded.
  await page.getByTestId('stat-devices').waitFor();
  const devices = await page.getByTestId('stat-devices').getAttribute('data-value');
  assert.match(devices, /^\d+$/);
  await page.getByTestId('status-breakdown').waitFor();
  // Top bar: user, role (translated), site clock.
  assert.equal(await page.getByTestId('user-role').textContent(), '值班员');
  // The clock runs in the site's time zone (the browser itself is in UTC here).
  const me = await (await page.request.get(`${BASE}/api/v1/me`)).json();
  const tz = me.site.timezone || 'Asia/Shanghai';
  const shown = await page.locator('[data-testid="clock"] .clock-time').textContent();
  assert.match(shown, /^\d{2}:\d{2}:\d{2}$/);
  const toSecs = (s) => { const [h, m, x] = s.split(':').map(Number); return h * 3600 + m * 60 + x; };
  const expected = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date());
  const diff = Math.abs(toSecs(shown) - toSecs(expected));
  assert.ok(diff <= 3 || diff >= 86400 - 3, `clock ${shown} should be ${tz} time ${expected}`);
  // The session token lives only in the HttpOnly cookie.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
  assert.doesNotMatch(stored, /vs_/);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('a wrong password shows the server message and stays on the login screen', async () => {
  const expected = await invalidCredentialsTitle('zh-CN');
  assert.equal(expected.status, 401);
  assert.equal(expected.type, '/problems/invalid-credentials');
  const page = await newPage(browser);
  await gotoLogin(page);
  await page.getByTestId('login-username').fill('operator');
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  const err = page.getByTestId('login-error');
  await err.waitFor();
  assert.equal((await err.textContent()).trim(), expected.title);
  assert.equal(await page.getByTestId('app-shell').count(), 0);
  assert.equal(await page.getByTestId('login-form').isVisible(), true);
  await page.context().close();
});

test('a locked-out account shows the lockout message with the Retry-After seconds', async () => {
  const username = `lockout-probe-${Date.now()}`;
  const retryAfter = await lockOut(username);
  assert.ok(retryAfter > 0, `Retry-After should be positive, got ${retryAfter}`);
  const page = await newPage(browser);
  await gotoLogin(page);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  const err = page.getByTestId('login-error');
  await err.waitFor();
  const secs = Number(await err.getAttribute('data-retry-after'));
  assert.ok(secs > 0 && secs <= retryAfter, `data-retry-after ${secs} vs Retry-After ${retryAfter}`);
  const text = await err.textContent();
  assert.match(text, /锁定/);
  assert.match(text, /\d+ 秒/);
  assert.equal(await page.getByTestId('login-submit').isDisabled(), true);
  assert.equal(await page.getByTestId('app-shell').count(), 0);
  await page.context().close();
});

test('logout returns to the login screen and ends the session', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  assert.equal(await page.getByTestId('app-shell').count(), 0);
  const res = await page.request.get(`${BASE}/api/v1/me`);
  assert.equal(res.status(), 401);
  // Reloading stays on the login screen.
  await page.reload();
  await page.getByTestId('login-form').waitFor();
  await page.context().close();
});

test('the live indicator reaches connected', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  const live = page.getByTestId('live-indicator');
  await page.waitForSelector('[data-testid="live-indicator"][data-state="connected"]', { timeout: 15000 });
  assert.equal(await live.getAttribute('data-state'), 'connected');
  await page.context().close();
});

test('the live indicator shows offline when the stream fails and reconnects', async () => {
  const page = await newPage(browser);
  await page.route('**/api/v1/stream', (route) => route.abort());
  await login(page, 'operator');
  await page.waitForSelector('[data-testid="live-indicator"][data-state="offline"]', { timeout: 15000 });
  await page.unroute('**/api/v1/stream');
  await page.waitForSelector('[data-testid="live-indicator"][data-state="connected"]', { timeout: 20000 });
  await page.context().close();
});

test('navigation shows only the pages the role may open', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.getByTestId('nav-overview').waitFor();
  assert.equal(await page.getByTestId('nav-users').count(), 0, 'operator must not see 用户');
  assert.equal(await page.getByTestId('nav-audit').count(), 0, 'operator must not see 审计');
  await page.context().close();

  const admin = await newPage(browser);
  await login(admin, 'admin');
  await admin.getByTestId('nav-users').click();
  await admin.getByTestId('page-users').waitFor();
  await admin.getByTestId('user-row').first().waitFor();
  const total = Number(await admin.getByTestId('list-total').getAttribute('data-total'));
  assert.ok(total >= 9, `expected the demo users, got total ${total}`);
  await admin.context().close();
});

test('a session that ends while the console is open returns to the login screen', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.getByTestId('page-alarms').waitFor();
  await page.context().clearCookies();
  // Any next API call answers 401 (a live event may already have caused one).
  await page.evaluate(() => { location.hash = '#/contacts'; });
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-notice').waitFor();
  assert.equal(await page.getByTestId('app-shell').count(), 0);
  await page.context().close();
});

test('an unknown session is sent to the login screen', async () => {
  const page = await newPage(browser);
  await page.context().addCookies([{ name: 'vigil_session', value: 'vs_bogus', url: BASE }]);
  await gotoLogin(page, '#/overview');
  assert.equal(await page.getByTestId('app-shell').count(), 0);
  await page.context().close();
});
