// 监控室出入登记 Control-room entry register (R3.4.12) and 报警专线记录 alarm line /
// fire telephone log (R3.4.10). The operator registers a visitor authorised by
// the supervisor, sees them in the room (time in, a ticking stay), and records
// their leaving; an authoriser who may not authorise ("operator") gives the
// server's error on the field. The operator records a non-emergency use of the
// alarm line (the emergency question has no default) → flagged 待主管审阅; the
// supervisor, in a browser of its own, sees it arrive live, filters to the
// flagged ones and reviews it with a note. Both the operator and the supervisor
// get the authorisers as suggestions (GET /people, names and roles only); the
// guard has neither page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const stamp = String(Date.now() % 1000000);
const VISITOR = `消防维保 刘工 ${stamp}`;
const ORG = '安泰消防工程公司';
const PURPOSE = `检修消防报警主机 ${stamp}`;
const REASON = `借用报警专线联系物业工程部 ${stamp}`;
const NOTE = `已提醒值班员：专线仅限报警使用 ${stamp}`;

async function live(page) {
  await page.waitForSelector('[data-testid="live-indicator"][data-state="connected"]');
}

async function open(page, id) {
  await page.getByTestId(`nav-${id}`).click();
  await page.getByTestId(`page-${id}`).waitFor();
}

const inRow = (page, name) => page.locator('[data-testid="re-in-row"]', { has: page.getByTestId('re-name').filter({ hasText: name }) });
const luRow = (page, id) => page.locator(`[data-testid="lu-row"][data-id="${id}"]`);

test('operator registers a visitor authorised by the supervisor, sees them in the room and records their leaving', async () => {
  const page = await newPage(browser);
  await login(page, 'operator');
  // Both pages sit in the 值班 section, after the duty log.
  const navs = await page.locator('.nav-section', { has: page.getByTestId('nav-duty-log') }).locator('.nav-item').evaluateAll((a) => a.map((x) => x.dataset.page));
  assert.deepEqual(navs.filter((p) => ['duty-log', 'room-entries', 'line-uses'].includes(p)), ['duty-log', 'room-entries', 'line-uses']);
  assert.equal((await page.getByTestId('nav-room-entries').textContent()).trim(), '监控室出入登记');
  assert.equal((await page.getByTestId('nav-line-uses').textContent()).trim(), '报警专线记录');

  // The operator may not list users (no user.read), but GET /people gives the
  // names and roles of those who may authorise; the suggestions are those.
  const peopleRes = page.waitForResponse((r) => r.request().method() === 'GET' && /\/api\/v1\/people\?purpose=entry_authorisers$/.test(r.url()));
  await open(page, 'room-entries');
  await live(page);
  assert.equal(await page.getByTestId('page-title').textContent(), '监控室出入登记');
  // The rule is stated on the form: entry needs an authorisation.
  assert.match(await page.getByTestId('re-form-rule').textContent(), /班长、保安主管或管理处经理批准/);
  const people = await peopleRes;
  assert.equal(people.status(), 200);
  const served = (await people.json()).items;
  for (const u of served) {
    assert.deepEqual(Object.keys(u).sort(), ['display_name', 'role', 'username'], 'names and roles only');
    assert.ok(['shift_leader', 'supervisor', 'manager'].includes(u.role), u.role);
  }
  const picks = page.getByTestId('re-form-authoriser-pick');
  await picks.first().waitFor();
  const picked = await picks.evaluateAll((b) => b.map((x) => x.dataset.username));
  assert.deepEqual([...picked].sort(), served.map((u) => u.username).sort(), 'the suggestions are what /people served');
  for (const u of ['shift_leader', 'supervisor', 'manager']) assert.ok(picked.includes(u), picked.join(','));
  assert.ok(!picked.includes('operator') && !picked.includes('guard'), picked.join(','));
  // Leaders first, by the page's rank; the display name shows, the username under it.
  assert.equal(picked[0], 'shift_leader');
  const sup = page.locator('[data-testid="re-form-authoriser-pick"][data-username="supervisor"]');
  assert.equal((await sup.locator('.re-pick-name').textContent()).trim(), '保安主管 赵刚');
  assert.match(await page.getByTestId('re-form-authoriser-hint').textContent(), /点选批准人/);
  await page.waitForSelector('[data-testid="re-in-count"][data-n]');
  const before = Number(await page.getByTestId('re-in-count').getAttribute('data-n'));

  // Nothing filled in: the required fields say so, nothing is sent.
  let posted = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/room-entries')) posted += 1; });
  await page.getByTestId('re-form-submit').click();
  await page.getByTestId('re-form-error-name').waitFor();
  assert.equal(await page.getByTestId('re-form-error-authorised_by').isVisible(), true);
  assert.equal(posted, 0);

  // Authorised by "operator": the server refuses it, shown on the field.
  await page.getByTestId('re-form-name').fill(VISITOR);
  await page.getByTestId('re-form-organisation').fill(ORG);
  await page.getByTestId('re-form-purpose').fill(PURPOSE);
  await page.getByTestId('re-form-authorised_by').fill('operator');
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/room-entries'));
  await page.getByTestId('re-form-submit').click();
  const res = await refused;
  assert.equal(res.status(), 400);
  assert.equal((await res.json()).errors[0].field, 'authorised_by');
  const fieldErr = page.getByTestId('re-form-error-authorised_by');
  await fieldErr.waitFor();
  assert.match(await fieldErr.textContent(), /“operator”不是在职的班长、保安主管或管理处经理/);
  assert.equal(await page.getByTestId('re-form-authorised_by').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('re-form-error-name').isHidden(), true);
  assert.equal(await page.getByTestId('re-form-name').inputValue(), VISITOR, 'the form keeps what was typed');
  assert.equal(await inRow(page, VISITOR).count(), 0);

  // Authorised by the supervisor: in the room.
  await page.getByTestId('re-form-authorised_by').fill('supervisor');
  assert.equal(await fieldErr.isHidden(), true, 'typing clears the field error');
  await page.getByTestId('re-form-submit').click();
  const row = inRow(page, VISITOR);
  await row.waitFor();
  await page.waitForSelector(`[data-testid="re-in-count"][data-n="${before + 1}"]`);
  const id = Number(await row.getAttribute('data-id'));
  assert.ok(id > 0);
  assert.equal((await row.getByTestId('re-org').textContent()).trim(), ORG);
  assert.equal((await row.getByTestId('re-purpose').textContent()).trim(), PURPOSE);
  const auth = row.getByTestId('re-authorised-by');
  assert.equal(await auth.getAttribute('data-username'), 'supervisor');
  assert.equal((await auth.textContent()).trim(), '保安主管 赵刚');
  assert.match(await row.getByTestId('re-registered-by').textContent(), /operator/);
  assert.equal(await page.getByTestId('re-form-name').inputValue(), '', 'the form is cleared');
  // The stay ticks.
  const el = row.getByTestId('elapsed');
  const t0 = await el.textContent();
  assert.match(t0, /^\d\d:\d\d$/);
  await page.waitForFunction(([i, t]) => {
    const e = document.querySelector(`[data-testid="re-in-row"][data-id="${i}"] [data-testid="elapsed"]`);
    return e && e.textContent !== t;
  }, [id, t0], { timeout: 4000 });
  // The history has it, still in the room.
  const hist = page.locator(`[data-testid="re-history-row"][data-id="${id}"]`);
  await hist.waitFor();
  assert.equal(await hist.getAttribute('data-out'), 'false');
  assert.equal(await hist.getByTestId('re-still-in').count(), 1);

  // Leaving: asked to confirm, then gone from the room, in the history with its time out.
  await row.getByTestId('re-leave').click();
  await row.getByTestId('re-leave-confirm').waitFor();
  assert.match(await row.getByTestId('re-leave-confirm').textContent(), new RegExp(`确认 ${VISITOR} 已离开监控室`));
  const out = page.waitForResponse((r) => r.url().endsWith(`/api/v1/room-entries/${id}/out`));
  await row.getByTestId('re-leave-yes').click();
  assert.equal((await out).status(), 200);
  await row.waitFor({ state: 'detached' });
  await page.waitForSelector(`[data-testid="re-history-row"][data-id="${id}"][data-out="true"]`);
  assert.match(await hist.locator('td[data-col="time_out"]').textContent(), /\d\d:\d\d:\d\d/);
  assert.match(await hist.locator('td[data-col="time_out"]').textContent(), /operator/);
  await page.waitForSelector(`[data-testid="re-in-count"][data-n="${before}"]`);

  // The server agrees; and the duty log says it in the console's language.
  const api = await (await page.request.get(`${BASE}/api/v1/room-entries?limit=5`)).json();
  const e = api.items.find((x) => x.id === id);
  assert.equal(e.authorised_by, 'supervisor');
  assert.ok(e.time_out);
  assert.equal(e.out_by, 'operator');
  await open(page, 'duty-log');
  const duty = page.locator('[data-testid="duty-entry"]', { has: page.getByTestId('duty-text').filter({ hasText: PURPOSE }) });
  await duty.waitFor();
  assert.match(await duty.getByTestId('duty-text').textContent(), new RegExp(`监控室来访：${VISITOR}（${ORG}） 进入，事由：${PURPOSE}；批准人：supervisor`));
  assert.equal(page.jsErrors.length, 0, page.jsErrors.join('\n'));
  await page.context().close();
});

test('a non-emergency use of the alarm line is flagged; the supervisor sees it live and reviews it', async () => {
  // The supervisor first, on the log, only the flagged ones.
  const sup = await newPage(browser);
  await login(sup, 'supervisor');
  await open(sup, 'line-uses');
  await live(sup);
  await sup.getByTestId('lu-filter-flagged').check();
  await sup.waitForSelector('[data-testid="lu-flagged-count"][data-n]');
  const flaggedBefore = Number(await sup.getByTestId('lu-flagged-count').getAttribute('data-n'));

  const op = await newPage(browser);
  await login(op, 'operator');
  await open(op, 'line-uses');
  await live(op);
  assert.equal(await op.getByTestId('page-title').textContent(), '报警专线记录');
  await op.getByTestId('lu-form').waitFor();
  // Whether it was an emergency has no default.
  assert.equal(await op.getByTestId('lu-form-emergency').getAttribute('data-value'), '');
  assert.equal(await op.locator('[data-testid^="lu-form-emergency-"][aria-checked="true"]').count(), 0);
  await op.getByTestId('lu-form-line-alarm_line').click();
  await op.getByTestId('lu-form-direction-out').click();
  await op.getByTestId('lu-form-caller').fill('值班员 王静');
  await op.getByTestId('lu-form-number').fill('66881234');
  await op.getByTestId('lu-form-reason').fill(REASON);
  let posted = 0;
  op.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/line-uses')) posted += 1; });
  await op.getByTestId('lu-form-submit').click();
  await op.getByTestId('lu-form-error-emergency').waitFor();
  assert.match(await op.getByTestId('lu-form-error-emergency').textContent(), /请选择是否紧急情况/);
  assert.equal(posted, 0, 'not sent without the emergency answer');
  await op.getByTestId('lu-form-emergency-false').click();
  await op.getByTestId('lu-form-warn').waitFor();
  assert.equal(await op.getByTestId('lu-form-error-emergency').isHidden(), true);
  const created = op.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/line-uses'));
  await op.getByTestId('lu-form-submit').click();
  const res = await created;
  assert.equal(res.status(), 201);
  const use = await res.json();
  assert.equal(use.flagged, true);
  assert.equal(use.emergency, false);
  assert.equal(use.line, 'alarm_line');

  // The operator's list: flagged, no review action for the operator.
  const mine = luRow(op, use.id);
  await mine.waitFor();
  assert.equal(await mine.getAttribute('data-state'), 'flagged');
  assert.equal((await mine.getByTestId('lu-flagged-badge').textContent()).trim(), '待主管审阅');
  assert.equal((await mine.getByTestId('lu-line').textContent()).trim(), '报警专线');
  assert.match(await mine.getByTestId('lu-direction').textContent(), /呼出/);
  assert.equal((await mine.getByTestId('lu-emergency').textContent()).trim(), '非紧急');
  assert.equal((await mine.getByTestId('lu-reason').textContent()).trim(), REASON);
  assert.equal(await mine.getByTestId('lu-review').count(), 0);
  const bg = await mine.getByTestId('lu-flagged-badge').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(bg, 'rgb(190, 18, 60)', 'the flagged badge is red');
  // The form is ready for the next call, the emergency question unanswered again.
  assert.equal(await op.getByTestId('lu-form-reason').inputValue(), '');
  assert.equal(await op.getByTestId('lu-form-emergency').getAttribute('data-value'), '');

  // The supervisor's page gets it live (line_use.flagged), flagged.
  const row = luRow(sup, use.id);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'flagged');
  assert.equal((await row.getByTestId('lu-flagged-badge').textContent()).trim(), '待主管审阅');
  await sup.waitForSelector(`[data-testid="lu-flagged-count"][data-n="${flaggedBefore + 1}"]`);
  // Review it, with a note.
  await row.getByTestId('lu-review').click();
  await row.getByTestId('lu-review-form').waitFor();
  await row.getByTestId('lu-review-note').fill(NOTE);
  const reviewed = sup.waitForResponse((r) => r.url().endsWith(`/api/v1/line-uses/${use.id}/review`));
  await row.getByTestId('lu-review-submit').click();
  assert.equal((await reviewed).status(), 200);
  await sup.waitForSelector(`[data-testid="lu-row"][data-id="${use.id}"][data-state="reviewed"]`);
  assert.equal((await row.getByTestId('lu-review-text').textContent()).trim(), NOTE);
  assert.match(await row.getByTestId('lu-review-result').textContent(), /supervisor.*审阅/);
  assert.equal(await row.getByTestId('lu-flagged-badge').count(), 0);
  assert.equal(await row.getByTestId('lu-review').count(), 0);
  await sup.waitForSelector(`[data-testid="lu-flagged-count"][data-n="${flaggedBefore}"]`);
  // Reloaded with only the flagged ones, it is gone.
  await sup.getByTestId('lu-refresh').click();
  await row.waitFor({ state: 'detached' });
  assert.match(sup.url(), /#\/line-uses\?flagged=1/);

  // The server agrees; a second review is refused.
  const again = await sup.request.post(`${BASE}/api/v1/line-uses/${use.id}/review`, { data: {} });
  assert.equal(again.status(), 409);
  const list = await (await sup.request.get(`${BASE}/api/v1/line-uses?limit=10`)).json();
  const u = list.items.find((x) => x.id === use.id);
  assert.equal(u.reviewed_by, 'supervisor');
  assert.equal(u.review_note, NOTE);
  assert.equal(u.flagged, false);

  // The operator's page, reloaded: reviewed, with the note.
  await op.getByTestId('lu-refresh').click();
  await op.waitForSelector(`[data-testid="lu-row"][data-id="${use.id}"][data-state="reviewed"]`);
  assert.equal((await luRow(op, use.id).getByTestId('lu-review-text').textContent()).trim(), NOTE);

  assert.equal(op.jsErrors.length, 0, op.jsErrors.join('\n'));
  assert.equal(sup.jsErrors.length, 0, sup.jsErrors.join('\n'));
  await op.context().close();
  await sup.context().close();
});

test('the supervisor picks an authoriser from the suggestions (English)', async () => {
  const page = await newPage(browser, { lang: 'en' });
  await login(page, 'supervisor');
  await open(page, 'room-entries');
  assert.equal(await page.getByTestId('page-title').textContent(), 'Control-room entry register');
  const picks = page.getByTestId('re-form-authoriser-pick');
  await picks.first().waitFor();
  const names = await picks.evaluateAll((b) => b.map((x) => x.dataset.username));
  for (const u of ['shift_leader', 'supervisor', 'manager']) assert.ok(names.includes(u), names.join(','));
  assert.ok(!names.includes('operator') && !names.includes('guard'), names.join(','));
  const name = `Contractor ${stamp}`;
  await page.getByTestId('re-form-name').fill(name);
  await page.getByTestId('re-form-purpose').fill('Replace the UPS battery');
  await page.locator('[data-testid="re-form-authoriser-pick"][data-username="manager"]').click();
  assert.equal(await page.getByTestId('re-form-authorised_by').inputValue(), 'manager');
  await page.getByTestId('re-form-submit').click();
  const row = inRow(page, name);
  await row.waitFor();
  assert.equal(await row.getByTestId('re-authorised-by').getAttribute('data-username'), 'manager');
  await row.getByTestId('re-leave').click();
  assert.match(await row.getByTestId('re-leave-confirm').textContent(), new RegExp(`Has ${name} left the control room\\?`));
  await row.getByTestId('re-leave-yes').click();
  await row.waitFor({ state: 'detached' });
  assert.equal(page.jsErrors.length, 0, page.jsErrors.join('\n'));
  await page.context().close();
});

test('the manager reviews but does not record; the guard has neither page', async () => {
  const mgr = await newPage(browser);
  await login(mgr, 'manager');
  await open(mgr, 'line-uses');
  await mgr.getByTestId('lu-readonly').waitFor();
  assert.equal(await mgr.getByTestId('lu-form').count(), 0);
  await open(mgr, 'room-entries');
  await mgr.getByTestId('re-readonly').waitFor();
  assert.equal(await mgr.getByTestId('re-form').count(), 0);
  assert.equal(await mgr.getByTestId('re-leave').count(), 0);
  await mgr.context().close();

  const guard = await newPage(browser);
  await login(guard, 'guard');
  await guard.getByTestId('nav-handoffs').waitFor();
  assert.equal(await guard.getByTestId('nav-room-entries').count(), 0);
  assert.equal(await guard.getByTestId('nav-line-uses').count(), 0);
  for (const hash of ['#/room-entries', '#/line-uses']) {
    await guard.evaluate((h) => { location.hash = h; }, hash);
    await guard.getByTestId('page-unavailable').waitFor();
    assert.match(await guard.getByTestId('page-unavailable').textContent(), /当前角色无权访问此页面/);
  }
  assert.equal((await guard.request.get(`${BASE}/api/v1/room-entries`)).status(), 403);
  await guard.context().close();
});
