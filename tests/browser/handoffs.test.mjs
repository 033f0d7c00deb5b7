// 岗位交办 Post tasks (R3.4.15): the operator passes an observation (no
// incident) to 东门门岗; the guard, signed in in another browser, sees it arrive
// live (nav badge, then the list), takes it up and reports the result; the
// operator's page shows who took it up, when, how long that took, and the
// result, live. A shift leader whose live stream is cut off gets the server's
// conflict when the guard was first, and reports on the guard's behalf (in
// English). The engineer (neither incident.handle nor handoff.take) only reads.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = String(Date.now() % 1000000);
const TEXT = `东门外有一名可疑人员徘徊约 10 分钟，请上前询问 ${stamp}`;
const RESULT = `已到场询问，系 3号楼住户亲属等人，已登记 ${stamp}`;
const TEXT2 = `南门岗亭外电动车乱停，请清理 ${stamp}`;
const RESULT2 = `Cleared by the guard; reported by the shift leader ${stamp}`;
let firstId = 0;

const row = (page, id) => page.locator(`[data-testid="handoff-row"][data-id="${id}"]`);
const rowWithText = (page, text) => page.locator('[data-testid="handoff-row"]', { has: page.getByTestId('handoff-text').filter({ hasText: text }) });

async function openHandoffs(page) {
  await page.getByTestId('nav-handoffs').click();
  await page.getByTestId('page-handoffs').waitFor();
  await page.waitForSelector('[data-testid="handoffs-count-waiting"]');
}

async function live(page) {
  await page.waitForSelector('[data-testid="live-indicator"][data-state="connected"]');
}

// How many hand-offs wait for a guard, from the API, as the given page's user.
async function waitingNow(page) {
  const res = await page.request.get(`${BASE}/api/v1/handoffs?open=1&limit=500`);
  assert.equal(res.status(), 200);
  return (await res.json()).items.filter((h) => !h.taken_at).length;
}

async function badgeValue(page) {
  return page.getByTestId('nav-badge-handoffs').evaluate((b) => (b.hidden ? 0 : Number(b.textContent)));
}

async function waitBadge(page, n) {
  await page.waitForFunction((want) => {
    const b = document.querySelector('[data-testid="nav-badge-handoffs"]');
    return b && (want === 0 ? b.hidden : !b.hidden && b.textContent === String(want));
  }, n);
}

test('operator passes an observation to 东门门岗; the guard takes it up and reports; both sides live', async () => {
  const op = await newPage(browser);
  await login(op, 'operator');
  const nav = op.getByTestId('nav-handoffs');
  assert.equal((await nav.textContent()).trim(), '岗位交办');
  assert.equal(await op.getByTestId('nav-badge-handoffs').isHidden(), true, 'no badge for a role that does not take hand-offs up');
  await openHandoffs(op);
  await live(op);
  assert.equal(await op.getByTestId('page-title').textContent(), '岗位交办');
  assert.equal(await op.getByTestId('handoffs-tab-open').getAttribute('aria-selected'), 'true');

  // The guard, in a browser of its own, on its start page.
  const guard = await newPage(browser);
  await login(guard, 'guard');
  await live(guard);
  const base = await waitingNow(guard);
  await waitBadge(guard, base);

  // The post picker: gates first (as quick buttons and the first group of the list).
  const sel = op.getByTestId('ho-form-area');
  await sel.waitFor();
  const groups = await sel.locator('optgroup').evaluateAll((gs) => gs.map((g) => g.label));
  assert.equal(groups[0], '门岗');
  assert.ok(groups.length > 3, `other areas follow the gates: ${groups}`);
  const firstOptions = await sel.locator('optgroup').first().locator('option').allTextContents();
  assert.ok(firstOptions.includes('东门门岗'), firstOptions.join(','));
  assert.deepEqual(await op.getByTestId('ho-form-quick').allTextContents(), firstOptions);
  assert.equal(await sel.inputValue(), '', 'no post chosen for the operator');

  // Without a post: the form says so, nothing is sent.
  await op.getByTestId('ho-form-text').fill(TEXT);
  await op.getByTestId('ho-form-submit').click();
  assert.equal(await op.getByTestId('ho-form-error').textContent(), '请选择岗位。');
  assert.equal(await sel.getAttribute('aria-invalid'), 'true');

  // 东门门岗 by its quick button: the list follows.
  const reqP = op.waitForRequest((r) => r.url().endsWith('/api/v1/handoffs') && r.method() === 'POST');
  await op.getByTestId('ho-form-quick').filter({ hasText: '东门门岗' }).click();
  assert.equal(await sel.locator('option:checked').textContent(), '东门门岗');
  await op.getByTestId('ho-form-submit').click();
  const sent = JSON.parse((await reqP).postData());
  assert.equal(sent.text, TEXT);
  assert.equal(sent.incident_id, undefined, 'an observation has no incident');
  const r1 = rowWithText(op, TEXT);
  await r1.waitFor();
  firstId = Number(await r1.getAttribute('data-id'));
  assert.ok(firstId > 0);
  assert.equal(await op.getByTestId('ho-form-text').inputValue(), '', 'the form is cleared');
  assert.equal(await sel.locator('option:checked').textContent(), '东门门岗', 'the post stays chosen');
  assert.equal(await r1.getAttribute('data-state'), 'waiting');
  assert.equal((await r1.getByTestId('handoff-post').textContent()).trim(), '东门门岗');
  assert.equal(await r1.getByTestId('handoff-incident').count(), 0);
  assert.equal((await r1.getByTestId('handoff-observation').textContent()).trim(), '监控发现');
  assert.match(await r1.getByTestId('handoff-by').textContent(), /operator（我） 交办 · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  assert.equal((await r1.getByTestId('handoff-state-badge').textContent()).trim(), '待接收');
  assert.match(await r1.getByTestId('handoff-waiting').textContent(), /已等待 \d\d:\d\d/);
  assert.equal(await r1.getByTestId('handoff-take').count(), 0, 'the operator does not take hand-offs up');

  // The API has it as sent.
  const api = (await (await op.request.get(`${BASE}/api/v1/handoffs?open=1&limit=500`)).json()).items.find((h) => h.id === firstId);
  assert.equal(api.area_name, '东门门岗');
  assert.equal(api.incident_id, null);
  assert.equal(api.created_by, 'operator');
  assert.equal(api.text, TEXT);

  // The guard's badge counts it, live, without leaving its page.
  await waitBadge(guard, base + 1);
  assert.equal(await guard.getByTestId('page-alarms').count(), 1, 'the guard is still on its start page');

  // The guard opens 岗位交办: the hand-off waits with 接收, no form to create.
  await openHandoffs(guard);
  const g1 = row(guard, firstId);
  await g1.waitFor();
  assert.equal(await g1.getAttribute('data-state'), 'waiting');
  assert.equal(await guard.getByTestId('ho-form').count(), 0);
  assert.equal(await guard.getByTestId('ho-guard-panel').count(), 1);
  assert.equal(Number(await guard.getByTestId('handoffs-count-waiting').getAttribute('data-n')), base + 1);
  const take = g1.getByTestId('handoff-take');
  assert.equal((await take.textContent()).trim(), '接收');
  assert.equal(await g1.getByTestId('handoff-report').count(), 0);

  // Take it up.
  await take.click();
  await guard.waitForSelector(`[data-testid="handoff-row"][data-id="${firstId}"][data-state="taken"]`);
  assert.equal(await g1.getByTestId('handoff-taken').getAttribute('data-taken-by'), 'guard');
  assert.match(await g1.getByTestId('handoff-taken').textContent(), /guard（我） 已接收/);
  assert.equal(await g1.getAttribute('data-mine'), 'true');
  assert.equal(await g1.getByTestId('handoff-take').count(), 0);
  await waitBadge(guard, base);

  // The operator sees who took it up, when, and how long that took — live.
  await op.waitForSelector(`[data-testid="handoff-row"][data-id="${firstId}"][data-state="taken"]`);
  const taken = (await (await op.request.get(`${BASE}/api/v1/handoffs?open=1&limit=500`)).json()).items.find((h) => h.id === firstId);
  assert.equal(taken.taken_by, 'guard');
  const t1 = r1.getByTestId('handoff-taken');
  assert.equal(await t1.getAttribute('data-taken-by'), 'guard');
  assert.match(await t1.textContent(), /guard 已接收/);
  assert.equal(await t1.locator('time').getAttribute('datetime'), taken.taken_at);
  assert.match(await t1.locator('time').textContent(), /^接收 \d\d:\d\d:\d\d$/);
  assert.match(await r1.getByTestId('handoff-take-time').textContent(), /^用时 \d\d:\d\d$/);
  assert.equal((await r1.getByTestId('handoff-state-badge').textContent()).trim(), '处理中');
  assert.equal(await r1.getByTestId('handoff-report').count(), 0, 'the operator cannot report');

  // The guard reports the result.
  const report = g1.getByTestId('handoff-report');
  assert.equal((await report.textContent()).trim(), '回报结果');
  await report.click();
  const ta = g1.getByTestId('handoff-report-text');
  await ta.waitFor();
  assert.equal(await ta.evaluate((e) => e === document.activeElement), true, 'the report box has the focus');
  assert.ok(await g1.getByTestId('handoff-report-submit').isDisabled(), 'nothing to send yet');
  await ta.fill(RESULT);
  await g1.getByTestId('handoff-report-submit').click();
  await guard.waitForSelector(`[data-testid="handoff-row"][data-id="${firstId}"][data-state="done"]`);
  assert.equal(await g1.getByTestId('handoff-result-text').textContent(), RESULT);
  assert.equal(await g1.getByTestId('handoff-report').count(), 0);

  // The operator sees the result arrive; the row stays on the open list, marked done.
  await op.waitForSelector(`[data-testid="handoff-row"][data-id="${firstId}"][data-state="done"]`);
  assert.equal(await r1.getByTestId('handoff-result-text').textContent(), RESULT);
  assert.equal((await r1.getByTestId('handoff-state-badge').textContent()).trim(), '已完成');
  assert.match(await r1.getByTestId('handoff-done').textContent(), /^回报 \d\d:\d\d:\d\d · 共用时 \d\d:\d\d$/);

  // Reloaded, the open list no longer has it; the whole list does.
  await op.getByTestId('handoffs-refresh').click();
  await r1.waitFor({ state: 'detached' });
  await op.getByTestId('handoffs-tab-all').click();
  await r1.waitFor();
  assert.equal(await r1.getAttribute('data-state'), 'done');
  assert.match(op.url(), /#\/handoffs\?view=all$/);
  assert.equal(await r1.getByTestId('handoff-result-text').textContent(), RESULT);

  assert.deepEqual(op.jsErrors, []);
  assert.deepEqual(guard.jsErrors, []);
  await op.context().close();
  await guard.context().close();
});

test('shift leader: the guard was first (409), then reports on the guard\'s behalf (English)', async () => {
  const op = await newPage(browser);
  await login(op, 'operator');
  const gates = (await (await op.request.get(`${BASE}/api/v1/areas?kind=gate&limit=50`)).json()).items;
  const south = gates.find((a) => a.name === '南门门岗');
  assert.ok(south, 'demo gate 南门门岗');
  const created = await op.request.post(`${BASE}/api/v1/handoffs`, { data: { area_id: south.id, text: TEXT2 } });
  assert.equal(created.status(), 201);
  const ho = await created.json();

  // The shift leader's page gets no live updates (the stream is cut off).
  const lead = await newPage(browser, { lang: 'en' });
  await lead.route('**/api/v1/stream', (r) => r.abort());
  await login(lead, 'shift_leader');
  assert.equal((await lead.getByTestId('nav-handoffs').locator('span:not(.icon):not(.nav-badge)').textContent()).trim(), 'Post tasks');
  await openHandoffs(lead);
  const r = row(lead, ho.id);
  await r.waitFor();
  assert.equal((await r.getByTestId('handoff-take').textContent()).trim(), 'Take up');
  assert.equal(await lead.getByTestId('ho-form').count(), 1, 'the shift leader may also hand off');

  // Meanwhile the guard takes it up.
  const guard = await newPage(browser);
  await login(guard, 'guard');
  const took = await guard.request.post(`${BASE}/api/v1/handoffs/${ho.id}/take`);
  assert.equal(took.status(), 200);

  // The shift leader is too late: the server's conflict, then the list shows the guard.
  await r.getByTestId('handoff-take').click();
  await r.getByTestId('handoff-row-error').waitFor();
  assert.equal(await r.getByTestId('handoff-row-error').textContent(), 'Someone else has already taken this up.');
  await lead.waitForSelector(`[data-testid="handoff-row"][data-id="${ho.id}"][data-state="taken"]`);
  assert.equal(await r.getByTestId('handoff-taken').getAttribute('data-taken-by'), 'guard');
  assert.match(await r.getByTestId('handoff-taken').textContent(), /taken up by guard/);

  // A shift leader may report for the guard (incident.handle); the server agrees.
  const rep = r.getByTestId('handoff-report');
  assert.equal((await rep.textContent()).trim(), 'Report');
  await rep.click();
  await r.getByTestId('handoff-report-text').fill(RESULT2);
  await r.getByTestId('handoff-report-submit').click();
  await lead.waitForSelector(`[data-testid="handoff-row"][data-id="${ho.id}"][data-state="done"]`);
  assert.equal(await r.getByTestId('handoff-result-text').textContent(), RESULT2);
  const all = (await (await op.request.get(`${BASE}/api/v1/handoffs?limit=500`)).json()).items.find((h) => h.id === ho.id);
  assert.equal(all.result, RESULT2);
  assert.equal(all.taken_by, 'guard');

  assert.deepEqual(lead.jsErrors, []);
  await op.context().close();
  await lead.context().close();
  await guard.context().close();
});

test('engineer: reads the post tasks, cannot hand off, take up or report', async () => {
  // One still waiting and one taken, so there is something to act on if it could.
  const op = await newPage(browser);
  await login(op, 'operator');
  const gate = (await (await op.request.get(`${BASE}/api/v1/areas?kind=gate&limit=50`)).json()).items.find((a) => a.name === '东门门岗');
  const mk = async (text) => (await (await op.request.post(`${BASE}/api/v1/handoffs`, { data: { area_id: gate.id, text } })).json()).id;
  const waitingId = await mk(`engineer view: waiting ${stamp}`);
  const takenId = await mk(`engineer view: taken ${stamp}`);
  const guard = await newPage(browser);
  await login(guard, 'guard');
  assert.equal((await guard.request.post(`${BASE}/api/v1/handoffs/${takenId}/take`)).status(), 200);

  const eng = await newPage(browser);
  await login(eng, 'engineer');
  assert.equal(await eng.getByTestId('nav-badge-handoffs').isHidden(), true);
  await openHandoffs(eng);
  await row(eng, waitingId).waitFor();
  await row(eng, takenId).waitFor();
  assert.equal(await row(eng, takenId).getAttribute('data-state'), 'taken');
  assert.equal(await eng.getByTestId('ho-form').count(), 0);
  assert.equal(await eng.getByTestId('ho-guard-panel').count(), 0);
  assert.equal(await eng.getByTestId('handoffs-readonly').textContent(), '当前角色只能查阅岗位交办，不能交办、接收或回报。');
  assert.equal(await eng.getByTestId('handoff-take').count(), 0);
  assert.equal(await eng.getByTestId('handoff-report').count(), 0);

  // The whole list, with the first hand-off done and its result.
  await eng.getByTestId('handoffs-tab-all').click();
  const done = row(eng, firstId);
  await done.waitFor();
  assert.equal(await done.getAttribute('data-state'), 'done');
  assert.equal(await done.getByTestId('handoff-result-text').textContent(), RESULT);

  // Live for the reader too: the guard finishes the taken one.
  await eng.getByTestId('handoffs-tab-open').click();
  await row(eng, takenId).waitFor();
  await live(eng);
  assert.equal((await guard.request.post(`${BASE}/api/v1/handoffs/${takenId}/done`, { data: { result: `ok ${stamp}` } })).status(), 200);
  await eng.waitForSelector(`[data-testid="handoff-row"][data-id="${takenId}"][data-state="done"]`);
  assert.equal(await eng.getByTestId('handoff-report').count(), 0);

  // The server agrees: no hand-off, no take-up for the engineer.
  assert.equal((await eng.request.post(`${BASE}/api/v1/handoffs`, { data: { area_id: gate.id, text: 'x' } })).status(), 403);
  assert.equal((await eng.request.post(`${BASE}/api/v1/handoffs/${waitingId}/take`)).status(), 403);

  assert.deepEqual(eng.jsErrors, []);
  await op.context().close();
  await guard.context().close();
  await eng.context().close();
});
