// 画面巡检 Camera health (S4: clarity and stability). The demo points its
// cameras at the daemon's own snapshots (web/img/demo-cameras/): most are
// sharp street scenes, the east gate's is blurred, the garden's too dark and
// the south gate's is missing (HTTP 404: offline). The operator sees the grid
// with each camera's last snapshot, its state and last check, filters to the
// problems, and asks for a check now; the operator has no settings. The admin
// opens a camera's settings: a bad URL is refused on the field and nothing is
// saved; a good one is saved.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function open(page) {
  await page.getByTestId('nav-cameras').click();
  await page.getByTestId('page-cameras').waitFor();
  await page.getByTestId('cam-grid').waitFor();
}

const card = (page, code) => page.locator('[data-testid="cam-card"]', { hasText: code });

test('the operator sees every camera with its snapshot and state, and filters to the problems', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  assert.equal((await page.getByTestId('nav-cameras').textContent()).trim(), '画面巡检');
  await open(page);
  // The checks at start-up give every demo camera a verdict.
  await card(page, 'CAM-GATE-E').and(page.locator('[data-verdict="blurred"]')).waitFor({ timeout: 20000 });
  await card(page, 'CAM-GARDEN').and(page.locator('[data-verdict="dark"]')).waitFor({ timeout: 20000 });
  await card(page, 'CAM-GATE-S').and(page.locator('[data-verdict="offline"]')).waitFor({ timeout: 20000 });
  const lobby = card(page, 'CAM-B1-LOBBY');
  await lobby.and(page.locator('[data-state="ok"]')).waitFor({ timeout: 20000 });
  assert.equal((await lobby.getByTestId('cam-state').textContent()).trim(), '正常');
  // The last snapshot is shown (a JPEG thumbnail the browser decoded).
  const img = lobby.getByTestId('cam-thumb');
  await img.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  assert.ok(await img.evaluate((el) => el.naturalWidth <= 320));
  // The finding in the console's language; the daemon's own text stays in the tooltip.
  const detail = card(page, 'CAM-GATE-E').getByTestId('cam-detail');
  assert.match(await detail.textContent(), /^图像模糊（清晰度 [\d.]+，低于 [\d.]+）$/);
  assert.match(await detail.getAttribute('title'), /^blurred \(sharpness/);
  // Problems only: the blurred, dark and offline cameras stay, the sharp lobby goes.
  await page.getByTestId('cam-filter-problems').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="cam-card"][data-state="ok"][data-verdict="ok"]'));
  assert.equal(await card(page, 'CAM-B1-LOBBY').count(), 0);
  assert.equal(await card(page, 'CAM-GATE-E').count(), 1);
  assert.equal(await card(page, 'CAM-GARDEN').count(), 1);
  assert.match(page.url(), /problems=1/);
  // Check now: queued, with feedback; no settings for the operator.
  assert.equal(await page.getByTestId('cam-settings').count(), 0);
  const queued = page.waitForResponse((r) => r.url().includes('/check') && r.request().method() === 'POST');
  await card(page, 'CAM-GATE-E').getByTestId('cam-check').click();
  assert.equal((await queued).status(), 202);
  await page.getByText('已安排检测：东门摄像机').waitFor();
  await page.close();
});

test('the admin edits a camera: a bad URL is refused on the field, a good one is saved', async () => {
  const page = await newPage(browser);
  await login(page, 'admin');
  await open(page);
  const ctrl = card(page, 'CAM-CTRL');
  await ctrl.getByTestId('cam-settings').click();
  await page.getByTestId('cam-form').waitFor();
  const url = await page.getByTestId('cam-f-url').inputValue();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/img\/demo-cameras\//);
  await page.getByTestId('cam-f-url').fill('ftp://camera/snap.jpg');
  const refused = page.waitForResponse((r) => r.request().method() === 'PUT');
  await page.getByTestId('cam-save').click();
  assert.equal((await refused).status(), 400);
  await page.getByTestId('cam-err-url').waitFor({ state: 'visible' });
  // Nothing was saved.
  const res = await page.request.get(`${BASE}/api/v1/cameras/${await ctrl.getAttribute('data-id')}`);
  assert.equal((await res.json()).url, url);
  await page.getByTestId('cam-f-url').fill(url);
  await page.getByTestId('cam-f-interval').fill('120');
  await page.getByTestId('cam-f-sharpness_min').fill('80');
  const saved = page.waitForResponse((r) => r.request().method() === 'PUT');
  await page.getByTestId('cam-save').click();
  assert.equal((await saved).status(), 200);
  await page.getByTestId('cam-modal').waitFor({ state: 'detached' });
  const after = await (await page.request.get(`${BASE}/api/v1/cameras/${await ctrl.getAttribute('data-id')}`)).json();
  assert.equal(after.interval_s, 120);
  assert.equal(after.thresholds.sharpness_min, 80);
  await page.close();
});
