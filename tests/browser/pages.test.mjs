// Every page opens without errors; lists page; audit chain verifies.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('areas & devices: tree, device list, status filter', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.getByTestId('nav-areas').click();
  await page.getByTestId('page-areas').waitFor();
  await page.getByTestId('area-node').first().waitFor();
  await page.getByTestId('device-row').first().waitFor();
  await page.getByTestId('filter-status').selectOption('normal');
  await page.waitForURL(/status=normal/);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="device-row"]')].every((r) => r.dataset.status === 'normal'));
  await page.getByTestId('area-node').first().click();
  await page.waitForURL(/area=/);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('contacts: internal list and the external emergency numbers', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.getByTestId('nav-contacts').click();
  await page.getByTestId('page-contacts').waitFor();
  for (const [role, n] of [['fire', '119'], ['police', '110'], ['ambulance', '120']]) {
    await page.getByTestId(`emergency-${role}`).waitFor();
    assert.match(await page.getByTestId(`emergency-${role}`).textContent(), new RegExp(n));
  }
  await page.getByTestId('tab-external').click();
  await page.waitForSelector('[data-testid="contact-row"], [data-testid="empty-state"]');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('audit: list with paging and a verified chain', async () => {
  const page = await newPage(browser);
  await login(page, 'auditor');
  await page.getByTestId('nav-audit').click();
  await page.getByTestId('page-audit').waitFor();
  await page.getByTestId('audit-row').first().waitFor();
  assert.ok(Number(await page.getByTestId('list-total').getAttribute('data-total')) >= 1);
  await page.getByTestId('audit-verify').click();
  const result = page.getByTestId('audit-verify-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-ok'), 'true');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('admin creates a user and disables it', async () => {
  const page = await newPage(browser);
  await login(page, 'admin');
  await page.getByTestId('nav-users').click();
  await page.getByTestId('user-row').first().waitFor();
  const name = `guard${Date.now() % 100000}`;
  await page.getByTestId('user-create').click();
  await page.getByTestId('user-form-username').fill(name);
  await page.getByTestId('user-form-display').fill('测试保安');
  await page.getByTestId('user-form-role').selectOption('guard');
  await page.getByTestId('user-form-password').fill('a-long-password-123');
  await page.getByTestId('user-form-submit').click();
  await page.getByTestId('user-create-dialog').waitFor({ state: 'detached' });
  const row = page.locator(`[data-testid="user-row"][data-username="${name}"]`);
  await row.waitFor();
  await row.getByTestId('user-toggle').click();
  await page.getByTestId('confirm-ok').click();
  await page.locator(`[data-testid="user-row"][data-username="${name}"][data-disabled="true"]`).waitFor();
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
