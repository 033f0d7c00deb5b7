// The duty desk's second part in the console: the running-status prompt and
// entry every 2 h (GB 25201-2010 §5.2) on the duty pages, and roster generation
// from a shift pattern (S1) with the overlap refused as a whole. The override
// when a shift opens below the minimum is walked in handover.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = String(Date.now() % 1000000);
// A local date of the site (Asia/Shanghai) n days from now, YYYY-MM-DD.
const siteDay = (n) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + n * 86400000));

test('the operator is prompted for the running-status entry and records it from the duty log', async () => {
  const page = await newPage(browser);
  await login(page, 'operator', undefined, '#/duty-log');
  await page.getByTestId('page-duty-log').waitFor();
  const banner = page.getByTestId('rs-banner');
  await banner.waitFor();
  assert.match(await banner.textContent(), /运行状态/);
  await page.getByTestId('rs-open').click();
  const dialog = page.getByTestId('rs-dialog');
  await dialog.waitFor();
  // A controller in fault needs the fault said; nothing is sent without it.
  let posted = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/running-status')) posted += 1; });
  await dialog.getByTestId('rs-fire_controller-fault').check();
  await dialog.getByTestId('rs-power-backup').check();
  await dialog.getByTestId('rs-submit').click();
  await dialog.getByTestId('rs-error-faults').waitFor();
  assert.equal(posted, 0);
  const FAULT = `3号楼回路故障 ${stamp}`;
  await dialog.getByTestId('rs-faults').fill(FAULT);
  const res = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/running-status'));
  await dialog.getByTestId('rs-submit').click();
  const r = await res;
  assert.equal(r.status(), 201);
  assert.deepEqual(JSON.parse(r.request().postData()),
    { fire_controller: 'fault', linkage_auto: true, power: 'backup', recording: true, faults: FAULT });
  // The prompt goes; the entry is in the duty log (by the operator).
  await banner.waitFor({ state: 'detached' });
  const entry = page.locator('[data-testid="duty-entry"]', { hasText: FAULT }).first();
  await entry.waitFor();
  // Written by the system from the form (automatic, by the operator), said in zh-CN.
  assert.equal(await entry.getAttribute('data-auto'), 'true');
  assert.equal((await entry.getByTestId('duty-text').textContent()).trim(),
    `运行状态记录 — 火灾报警控制器：故障；联动控制：自动状态；供电：备电；监控录像：正常录像；故障情况：${FAULT}`);
  // Done for this period: the handover page does not prompt either.
  await page.goto(`${BASE}/#/handover`);
  await page.getByTestId('page-handover').waitFor();
  await page.getByTestId('hv-refresh').waitFor();
  assert.equal(await page.getByTestId('rs-banner').count(), 0);
  await page.close();
});

test('the shift leader generates a roster from the 2×12 h pattern; doing it again overlaps and creates nothing', async () => {
  const page = await newPage(browser);
  await login(page, 'shift_leader', undefined, '#/roster');
  await page.getByTestId('page-roster').waitFor();
  const panel = page.getByTestId('roster-gen-panel');
  await panel.waitFor();
  await panel.locator('[data-testid="roster-gen-pattern"] option', { hasText: '2x12' }).waitFor({ state: 'attached' });
  const id = await panel.locator('[data-testid="roster-gen-pattern"] option', { hasText: '2x12' }).getAttribute('value');
  await panel.getByTestId('roster-gen-pattern').selectOption(id);
  const from = siteDay(45); const to = siteDay(46);
  await panel.getByTestId('roster-gen-from').fill(from);
  await panel.getByTestId('roster-gen-to').fill(to);
  await panel.getByTestId('roster-gen-teams').fill('operator\nshift_leader');
  const res = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/roster/generate'));
  await panel.getByTestId('roster-gen-submit').click();
  const r = await res;
  assert.equal(r.status(), 201);
  assert.deepEqual(JSON.parse(r.request().postData()), { pattern_id: Number(id), from, to, teams: [['operator'], ['shift_leader']] });
  const ok = panel.getByTestId('roster-gen-ok');
  await ok.waitFor();
  assert.equal(await ok.getAttribute('data-created'), '4');
  // Again: the same slots overlap; the whole request is refused.
  const again = page.waitForResponse((x) => x.request().method() === 'POST' && x.url().endsWith('/api/v1/roster/generate'));
  await panel.getByTestId('roster-gen-submit').click();
  assert.equal((await again).status(), 409);
  const err = panel.getByTestId('roster-gen-error');
  await err.waitFor();
  assert.equal(await err.getAttribute('data-type'), 'roster-overlap');
  assert.match(await err.textContent(), /重叠/);
  await page.close();
});
