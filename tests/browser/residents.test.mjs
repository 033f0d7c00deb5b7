// Residents: masked for everyone; revealable only with resident.pii (S5).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const MASKED = /^\d{3}\*{4}\d{4}$/;

test('manager sees a masked phone and can reveal it', async () => {
  const page = await newPage(browser);
  await login(page, 'manager', undefined, '#/residents');
  await page.getByTestId('nav-residents').click();
  await page.getByTestId('page-residents').waitFor();
  const row = page.getByTestId('resident-row').first();
  await row.waitFor();
  const phone = row.getByTestId('resident-phone');
  const masked = (await phone.textContent()).trim();
  assert.match(masked, MASKED);
  const revealResponse = page.waitForResponse((r) => /\/api\/v1\/residents\/[^/?]+\?reveal=1$/.test(r.url()));
  await row.getByTestId('resident-reveal').click();
  assert.equal((await revealResponse).status(), 200);
  await row.getByTestId('resident-revealed').waitFor();
  const full = (await row.getByTestId('resident-phone').textContent()).trim();
  assert.doesNotMatch(full, /\*/);
  assert.match(full, /^\+?[\d -]{7,}$/);
  assert.equal(full.slice(0, 3), masked.slice(0, 3));
  assert.equal(full.slice(-4), masked.slice(-4));
  // Hide again.
  await row.getByTestId('resident-hide').click();
  assert.match((await row.getByTestId('resident-phone').textContent()).trim(), MASKED);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('operator sees residents masked and has no reveal button', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.getByTestId('nav-residents').click();
  await page.getByTestId('page-residents').waitFor();
  await page.getByTestId('resident-row').first().waitFor();
  const phones = await page.getByTestId('resident-phone').allTextContents();
  assert.ok(phones.length > 0);
  for (const p of phones) assert.match(p.trim(), MASKED);
  assert.equal(await page.getByTestId('resident-reveal').count(), 0);
  const total = Number(await page.getByTestId('list-total').getAttribute('data-total'));
  assert.ok(total >= phones.length);
  await page.context().close();
});

test('resident search filters the list', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.getByTestId('nav-residents').click();
  await page.getByTestId('resident-row').first().waitFor();
  const unit = (await page.getByTestId('resident-unit').first().textContent()).trim();
  const before = Number(await page.getByTestId('list-total').getAttribute('data-total'));
  await page.getByTestId('resident-search').fill(unit);
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid="list-total"]')?.dataset.total) < b || b === 1, before);
  const units = await page.getByTestId('resident-unit').allTextContents();
  assert.ok(units.length >= 1);
  for (const u of units) assert.ok(u.includes(unit), `${u} should match ${unit}`);
  await page.context().close();
});

test('a search without matches shows the empty state', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.getByTestId('nav-residents').click();
  await page.getByTestId('resident-row').first().waitFor();
  await page.getByTestId('resident-search').fill('无此住户-zz');
  await page.getByTestId('empty-state').waitFor();
  assert.equal(await page.getByTestId('list-total').getAttribute('data-total'), '0');
  assert.equal(await page.getByTestId('resident-row').count(), 0);
  await page.context().close();
});
