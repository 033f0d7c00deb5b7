// 报警台 Alarm console end to end: a real SIA DC-09 frame over TCP becomes an
// incident in the live queue within 1 s of the receiver's ACK; the operator
// acknowledges it with one key press, then takes it through dispatch, verify
// (误报), resolve, reset (复位) and close on the incident page; the history
// lists it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login, sendDc09, crc16arc } from './lib.mjs';

let browser;
let incidentId = null;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The frame of the brief: account 1234, fire alarm (FA) in zone 003, no timestamp.
const BODY = '"SIA-DCS"0001L0#1234[#1234|Nri1/FA003]';

function checkAck(reply) {
  // LF CRC(4) 0LLL "ACK"0001L0#1234[] ... CR
  const m = /^\n([0-9A-F]{4})0([0-9A-F]{3})("ACK"0001L0#1234\[\][^\r]*)\r$/.exec(reply);
  assert.ok(m, `expected an ACK frame, got ${JSON.stringify(reply)}`);
  const body = Buffer.from(m[3], 'latin1');
  assert.equal(parseInt(m[2], 16), body.length, 'ACK length field');
  assert.equal(parseInt(m[1], 16), crc16arc(body), 'ACK CRC');
}

test('a DC-09 fire alarm reaches the alarm console live and is handled to closed', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  // The alarm console is the start page.
  await page.waitForURL(/#\/alarms$/);
  await page.getByTestId('page-alarms').waitFor();
  assert.equal(await page.getByTestId('page-title').textContent(), '报警台');
  await page.waitForSelector('[data-testid="live-indicator"][data-state="connected"]', { timeout: 15000 });
  // The queue has loaded (empty or not) before the alarm is sent.
  await page.waitForSelector('[data-testid="alarm-clear"], [data-testid="alarm-row"]');
  const hints = await page.getByTestId('alarm-hints').textContent();
  assert.match(hints, /Enter/);
  assert.match(hints, /确认接警/);

  const { reply, at } = await sendDc09(BODY);
  checkAck(reply);
  const row = page.locator('[data-testid="alarm-row"][data-type="fire"][data-state="new"]');
  await row.waitFor({ timeout: 1000 });
  const lag = performance.now() - at;
  assert.ok(lag <= 1000, `the incident appeared ${Math.round(lag)} ms after the ACK`);

  incidentId = Number(await row.getAttribute('data-id'));
  assert.ok(incidentId > 0);
  assert.equal(await row.getAttribute('data-priority'), '1');
  assert.match(await row.textContent(), /火警/);
  assert.equal(await row.getByTestId('unmapped-badge').count(), 1, 'no mapping for account 1234: 未映射');
  assert.match(await row.getByTestId('incident-location').textContent(), /1234/);
  assert.match(await row.getByTestId('incident-location').textContent(), /003/);
  assert.match(await row.getByTestId('elapsed').textContent(), /^\d{2}:\d{2}$/);
  // An audible alert was raised (played, or held until the browser allows audio).
  assert.ok(Number(await page.getByTestId('alarm-sound').getAttribute('data-alerts')) >= 1);
  // A repeat from the same zone is counted on the same line, live.
  const again = await sendDc09(BODY.replace('"SIA-DCS"0001', '"SIA-DCS"0002'));
  assert.match(again.reply, /"ACK"0002L0#1234\[\]/);
  await row.locator('[data-testid="alarm-repeats"][data-count="2"]').waitFor({ timeout: 1000 });
  assert.equal(await page.locator('[data-testid="alarm-row"][data-type="fire"]').count(), 1);
  // Unacknowledged: counted in the top bar and the nav badge.
  assert.ok(Number(await page.getByTestId('alarm-pill').getAttribute('data-count')) >= 1);
  assert.equal(await page.getByTestId('nav-badge-alarms').isVisible(), true);

  // The top unacknowledged incident is selected: one key press acknowledges it.
  await page.waitForSelector(`[data-testid="alarm-row"][data-id="${incidentId}"][aria-selected="true"]`);
  await page.keyboard.press('Enter');
  const acked = page.locator(`[data-testid="alarm-row"][data-id="${incidentId}"][data-state="acknowledged"]`);
  await acked.waitFor();
  assert.match(await acked.textContent(), /operator/);

  // Open it.
  await acked.getByTestId('alarm-open').click();
  await page.waitForURL(new RegExp(`#/incidents/${incidentId}$`));
  await page.getByTestId('page-incident').waitFor();
  const head = page.getByTestId('incident-header');
  await page.waitForSelector('[data-testid="incident-header"][data-state="acknowledged"]');
  assert.match(await head.textContent(), /火警/);
  // Who to call: the internal contacts with their numbers, and 119/110/120.
  await page.getByTestId('incident-contact').first().waitFor();
  assert.ok(await page.getByTestId('incident-contact-phone').count() >= 3);
  assert.match(await page.getByTestId('incident-emergency-fire').textContent(), /119/);
  assert.match(await page.getByTestId('checklist').textContent(), /R3\.4\.5/);
  assert.equal(await page.getByTestId('incident-alarm-row').count(), 2);
  assert.match(await page.getByTestId('incident-alarm-row').first().textContent(), /FA/);

  const step = async (testid, state) => {
    await page.getByTestId(testid).click();
    await page.waitForSelector(`[data-testid="incident-header"][data-state="${state}"]`);
  };
  await step('action-dispatched', 'dispatched');
  await page.getByTestId('incident-note').fill('保安到场：探测器积尘，无火情。');
  await step('action-verify-false', 'verified');
  await page.waitForSelector('[data-testid="verdict-badge"][data-verdict="false"]');
  await step('action-resolved', 'resolved');
  await step('action-reset', 'reset');

  // The server lets an incident close only when every applicable required step
  // of its checklist is done or skipped with a reason (R3.4.5 for a fire).
  await page.getByTestId('close-gate').waitFor();
  const stepRow = (id) => page.locator(`[data-testid="checklist-step"][data-step="${id}"]`);
  assert.equal(await stepRow('call_119').getAttribute('data-applies'), 'false', 'a false alarm needs no 119 call');
  await stepRow('watch_cameras').getByTestId('step-skip').click();
  await stepRow('watch_cameras').getByTestId('step-skip-reason').fill('保安已在现场确认');
  await stepRow('watch_cameras').getByTestId('step-skip-confirm').click();
  await page.waitForSelector('[data-testid="checklist-step"][data-step="watch_cameras"][data-status="skipped"]');
  await stepRow('notify_leader').getByTestId('step-call').click();
  await page.waitForSelector('[data-testid="timeline-item"][data-kind="call"]');
  const open = page.locator('[data-testid="checklist-step"][data-applies="true"][data-required="true"][data-status="open"]');
  for (let guard = 0; guard < 20 && await open.count(); guard++) {
    const id = await open.first().getAttribute('data-step');
    await open.first().getByTestId('step-done').click();
    await page.waitForSelector(`[data-testid="checklist-step"][data-step="${id}"][data-status="done"]`);
  }
  assert.equal(await open.count(), 0);
  const progress = page.getByTestId('checklist-progress');
  assert.equal(await progress.getAttribute('data-done'), await progress.getAttribute('data-total'));
  assert.equal(await page.getByTestId('close-gate').count(), 0);
  await step('action-closed', 'closed');

  // Final state in the UI …
  assert.equal(await head.getByTestId('state-badge').getAttribute('data-state'), 'closed');
  assert.equal((await head.getByTestId('state-badge').textContent()).trim(), '已关闭');
  assert.equal(await page.getByTestId('action-closed').count(), 0, 'no actions once closed');
  const moves = await page.locator('[data-testid="timeline-item"][data-kind="transition"]').evaluateAll((els) => els.map((e) => e.dataset.to));
  assert.deepEqual(moves, ['acknowledged', 'dispatched', 'verified', 'resolved', 'reset', 'closed']);
  assert.match(await page.getByTestId('incident-timeline').textContent(), /探测器积尘/);

  // … and through the API.
  const res = await page.request.get(`${BASE}/api/v1/incidents/${incidentId}`);
  assert.equal(res.status(), 200);
  const inc = await res.json();
  assert.equal(inc.state, 'closed');
  assert.equal(inc.verdict, 'false');
  assert.equal(inc.acked_by, 'operator');
  assert.deepEqual(inc.events.filter((e) => e.kind === 'transition').map((e) => e.to_state), moves);

  // Closed incidents leave the live queue.
  await page.getByTestId('incident-back').click();
  await page.getByTestId('page-alarms').waitFor();
  await page.waitForSelector('[data-testid="alarm-clear"], [data-testid="alarm-row"]');
  assert.equal(await page.locator(`[data-testid="alarm-row"][data-id="${incidentId}"]`).count(), 0);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the incident history lists the closed incident, with filters', async () => {
  assert.ok(incidentId, 'needs the incident of the previous test');
  const page = await newPage(browser);
  await login(page, 'operator');
  await page.getByTestId('nav-incidents').click();
  await page.getByTestId('page-incidents').waitFor();
  const row = page.locator(`[data-testid="incident-row"][data-id="${incidentId}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'closed');
  assert.match(await row.textContent(), /火警/);
  assert.match(await row.textContent(), /误报/);

  await page.getByTestId('filter-state').selectOption('closed');
  await page.waitForURL(/state=closed/);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="incident-row"]')].every((r) => r.dataset.state === 'closed'));
  await row.waitFor();
  await page.getByTestId('filter-type').selectOption('intrusion');
  await page.waitForURL(/type=intrusion/);
  await page.waitForFunction((id) => !document.querySelector(`[data-testid="incident-row"][data-id="${id}"]`)
    && !document.querySelector('[data-testid="loading"]'), incidentId);
  await page.getByTestId('filter-type').selectOption('fire');
  await row.waitFor();
  await row.click();
  await page.waitForURL(new RegExp(`#/incidents/${incidentId}$`));
  await page.waitForSelector('[data-testid="incident-header"][data-state="closed"]');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('an unknown incident shows the server problem; the mute switch is remembered', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await login(page, 'operator', undefined, '#/incidents/999999');
  await page.getByTestId('page-incident').waitFor();
  const err = page.getByTestId('error-banner');
  await err.waitFor();
  const problem = await (await page.request.get(`${BASE}/api/v1/incidents/999999`, { headers: { 'Accept-Language': 'en' } })).json();
  assert.equal((await page.getByTestId('error-title').textContent()).trim(), problem.title);

  await page.getByTestId('nav-alarms').click();
  await page.getByTestId('page-alarms').waitFor();
  assert.equal(await page.getByTestId('page-title').textContent(), 'Alarm console');
  const sound = page.getByTestId('alarm-sound');
  // The first click may only unlock audio (browsers need a gesture); then mute.
  for (let i = 0; i < 3 && (await sound.getAttribute('data-state')) !== 'muted'; i++) await sound.click();
  assert.equal(await sound.getAttribute('data-state'), 'muted');
  await page.reload();
  await page.getByTestId('page-alarms').waitFor();
  assert.equal(await page.getByTestId('alarm-sound').getAttribute('data-state'), 'muted');
  // M toggles it back.
  await page.keyboard.press('m');
  await page.waitForFunction(() => document.querySelector('[data-testid="alarm-sound"]')?.dataset.state !== 'muted');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
