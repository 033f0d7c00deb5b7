// 设备维护 on the zh-CN console at tablet size (1024×768): the records of
// equipment care link to each other and speak the console's language.
// - A ticket reported elsewhere appears in the open 报修单 list at once (the
//   live `ticket` event), and its duty-log entry is said in Chinese with a link
//   to the ticket.
// - A signed check sheet in the 检查计划 calendar opens read-only: signer,
//   time, template version, each item's result; a ticket opened by a failed
//   item links to that record and the record back to the ticket.
// - The camera grid says the checks' findings in Chinese.
// - The top bar's logout button stays on screen.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, newPage, login, token, apiCall } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function tablet(user, hash = '') {
  const page = await newPage(browser, { lang: 'zh-CN' });
  await page.setViewportSize({ width: 1024, height: 768 });
  await login(page, user, PASSWORD, hash);
  return page;
}

test('a new ticket shows live in the list; its duty-log entry is in Chinese and links to it', async () => {
  const page = await tablet('operator', '#/tickets');
  await page.getByTestId('ticket-row').first().waitFor();
  const tok = await token('shift_leader');
  const devices = (await apiCall(tok, 'GET', 'devices?limit=500')).items;
  // A device nobody else's test reports on (a second report on a device with an open ticket
  // returns that ticket).
  const open = (await apiCall(tok, 'GET', 'tickets?limit=500')).items.map((x) => x.device_id);
  const dev = devices.find((d) => d.kind === 'intercom' && d.status === 'normal' && !open.includes(d.id));
  assert.ok(dev, 'a demo intercom without an open ticket');
  const title = `可视对讲无声音 ${Date.now() % 100000}`;
  const tk = await apiCall(tok, 'POST', 'tickets', { device_id: dev.id, title });
  assert.equal(tk.title, title);
  // No reload: the stream's `ticket` event does it.
  await page.locator(`[data-testid="ticket-row"][data-id="${tk.id}"]`).waitFor();
  assert.equal(await page.locator(`[data-testid="ticket-row"][data-id="${tk.id}"] .tk-device`).isVisible(), true);

  await page.goto(`${BASE}/#/duty-log`);
  const entry = page.locator('[data-testid="duty-entry"]', { hasText: title });
  await entry.waitFor();
  const text = await entry.getByTestId('duty-text').innerText();
  assert.ok(text.startsWith(`报修单 #${tk.id} 已报修（故障报修，${tk.priority === 'urgent' ? '紧急' : '一般'}）：`), text);
  assert.doesNotMatch(text, /ticket|reported/);
  await entry.getByTestId('duty-ticket-link').click();
  await page.waitForFunction((id) => location.hash === `#/tickets/${id}`, tk.id);
  await page.getByTestId('tk-facts').waitFor();
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('a signed sheet opens from the calendar, read-only, with each item', async () => {
  const page = await tablet('operator', '#/checks');
  const cell = page.locator('[data-testid="ck-cell"][data-record]:not([data-record=""])').first();
  await cell.waitFor();
  const rid = await cell.getAttribute('data-record');
  await cell.click();
  await page.waitForFunction((id) => location.hash === `#/checks?record=${id}`, rid);
  const rec = page.getByTestId('ck-record');
  await rec.getByTestId('ck-record-item').first().waitFor();
  const meta = await rec.getByTestId('ck-record-meta').innerText();
  assert.match(meta, /签名/);
  assert.match(meta, /第 \d+ 版/);
  assert.ok(await rec.getByTestId('ck-record-item').count() >= 3);
  assert.equal(await rec.locator('input, button[type="submit"]').count(), 0);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('a ticket opened by a failed item links to its signed record, and back', async () => {
  const tok = await token('operator');
  const tpl = (await apiCall(tok, 'GET', 'checks/templates?limit=50')).items.find((x) => x.code === 'fire_weekly');
  const full = await apiCall(tok, 'GET', `checks/templates/${tpl.id}`);
  const answers = {};
  for (const it of full.items) {
    if (it.type === 'pass_fail') answers[it.id] = it.id === 'fire_doors' ? { result: 'fail', note: '3号楼防火门闭门器损坏' } : { result: 'pass' };
    else if (it.type === 'reading') answers[it.id] = { value: it.min ?? it.max ?? 0 };
  }
  const rec = await apiCall(tok, 'POST', 'checks/records', { template_id: tpl.id, answers });
  assert.equal(rec.result, 'fail');
  const tid = rec.tickets[0].ticket_id;

  const page = await tablet('operator', `#/tickets/${tid}`);
  await page.getByTestId('tk-check-link').click();
  await page.waitForFunction((id) => location.hash === `#/checks?record=${id}`, rec.id);
  const panel = page.getByTestId('ck-record');
  await panel.locator('[data-testid="ck-record-item"][data-item="fire_doors"][data-result="fail"]').waitFor();
  assert.match(await panel.locator('[data-item="fire_doors"]').innerText(), /不合格.*闭门器损坏/s);
  await panel.getByTestId('ck-record-ticket').first().click();
  await page.waitForFunction((id) => location.hash === `#/tickets/${id}`, tid);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();

  // In English the ticket's title is the sheet's and item's English names (stored beside the
  // Chinese one): on the ticket, in the tickets list and in its duty-log entry.
  const en = rec.tickets[0].title_en;
  assert.equal(en, 'Fire facility weekly check: Normally closed fire doors are closed, door closers work');
  assert.doesNotMatch(en, /[\u4e00-\u9fff]/);
  const ep = await newPage(browser, { lang: 'en' });
  await ep.setViewportSize({ width: 1024, height: 768 });
  await login(ep, 'operator', PASSWORD, `#/tickets/${tid}`);
  await ep.getByTestId('tk-facts').waitFor();
  assert.ok((await ep.locator('main, body').first().innerText()).includes(en), 'English title on the ticket page');
  await ep.evaluate(() => { location.hash = '#/tickets'; });
  const row = ep.locator(`[data-testid="ticket-row"][data-id="${tid}"] .tk-title`);
  await row.waitFor();
  assert.equal(await row.innerText(), en);
  await ep.evaluate(() => { location.hash = '#/duty-log'; });
  const entry = ep.getByTestId('duty-entry').filter({ has: ep.locator(`a[href="#/tickets/${tid}"]`) }).first();
  await entry.waitFor();
  assert.ok((await entry.getByTestId('duty-text').innerText()).includes(en), 'English title in the duty log');
  assert.deepEqual(ep.jsErrors, []);
  await ep.context().close();
});

test('the camera grid says its findings in Chinese; the logout button fits the tablet', async () => {
  const page = await tablet('operator', '#/cameras');
  const detail = page.getByTestId('cam-detail').first();
  await detail.waitFor({ timeout: 30000 });
  const texts = await page.getByTestId('cam-detail').allInnerTexts();
  for (const s of texts) assert.doesNotMatch(s, /sharpness|luma|blurred|timeout|^ok /, s);
  const box = await page.getByTestId('logout').boundingBox();
  assert.ok(box.x + box.width <= 1024, `logout button ends at ${box.x + box.width}px`);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
  // The longest role name, in English.
  const mgr = await newPage(browser, { lang: 'en' });
  await mgr.setViewportSize({ width: 1024, height: 768 });
  await login(mgr, 'manager', PASSWORD, '#/tickets');
  const b2 = await mgr.getByTestId('logout').boundingBox();
  assert.ok(b2.x + b2.width <= 1024, `logout button ends at ${b2.x + b2.width}px (manager, en)`);
  await mgr.context().close();
});
