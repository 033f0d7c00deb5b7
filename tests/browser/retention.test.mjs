// 记录保存 Retention (R4.1–R4.7, S5). The manager opens the page from the system
// section: the policy says one year for the duty log (R4.1), no hold, no run yet.
// A hold on a missing record is refused on the field and nothing is listed; a
// hold on a real duty-log entry is listed and released again (back to the empty
// state); a dry run is recorded in the runs table. The operator has no such page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function duty(user, text) {
  const res = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password: PASSWORD }),
  });
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  await res.arrayBuffer();
  const r = await fetch(`${BASE}/api/v1/duty-log`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify({ category: 'routine', text }),
  });
  assert.equal(r.status, 201);
  return (await r.json()).id;
}

test('retention: policy, holds placed and released, a dry run', async () => {
  const entry = await duty('operator', '保全测试记录');
  const page = await newPage(browser);
  await login(page, 'manager');
  await page.getByTestId('nav-retention').click();
  const row = page.locator('[data-testid="ret-policy-row"][data-type="duty_log"]');
  await row.waitFor();
  assert.match(await row.innerText(), /R4\.1/);
  assert.match(await row.innerText(), /1 年/);
  assert.equal(await page.getByTestId('ret-policy-row').count() >= 12, true);
  const holds = page.getByTestId('ret-holds');
  await holds.getByTestId('empty-state').waitFor();
  assert.equal(await page.getByTestId('ret-hold-row').count(), 0);

  // A record that does not exist: refused on the field, nothing listed.
  await page.getByTestId('ret-hold-type').selectOption('duty_log');
  await page.getByTestId('ret-hold-id').fill('999999');
  await page.getByTestId('ret-hold-reason').fill('测试');
  await page.getByTestId('ret-hold-submit').click();
  const errBox = page.getByTestId('ret-hold-error');
  await errBox.waitFor();
  assert.match(await errBox.innerText(), /999999/);
  assert.equal(await page.getByTestId('ret-hold-id').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('ret-hold-row').count(), 0);

  // The real entry: placed, listed, released.
  await page.getByTestId('ret-hold-id').fill(String(entry));
  await page.getByTestId('ret-hold-reason').fill('公安机关调取');
  await page.getByTestId('ret-hold-submit').click();
  const held = page.locator(`[data-testid="ret-hold-row"][data-record="${entry}"]`);
  await held.waitFor();
  assert.match(await held.innerText(), /公安机关调取/);
  assert.match(await held.innerText(), /manager/);
  await held.getByTestId('ret-hold-release').click();
  await held.waitFor({ state: 'detached' });
  await holds.getByTestId('empty-state').waitFor();
  assert.equal(await page.getByTestId('ret-hold-row').count(), 0);

  // A dry run is recorded.
  await page.getByTestId('ret-dry-run').click();
  await page.getByTestId('toast').filter({ hasText: '演练' }).first().waitFor();
  const run = page.getByTestId('ret-run-row').first();
  await run.waitFor();
  assert.match(await run.innerText(), /演练/);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('retention: the operator has no retention page', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  assert.equal(await page.getByTestId('nav-retention').count(), 0);
  await page.goto(`${BASE}/#/retention`);
  await page.getByTestId('app-shell').waitFor();
  assert.equal(await page.getByTestId('ret-policy').count(), 0);
  await page.context().close();
});
