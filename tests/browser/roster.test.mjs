// 排班与值守 Roster & coverage (S1, S3), 培训记录 Training, 考勤 Attendance (S8).
// The shift leader opens next week (the demo has no roster: 尚未排班, the whole
// strip red 在岗 0/2), adds operator and shift leader 08–16 on its Wednesday with
// the 3×8 quick button (picked from the operators and shift leaders the server
// lists, no guard offered), and the operator
// 16–24: the strip stays red — nobody is trained. After recording the two
// required courses for both, 08–16 turns green, 16–24 is a gap 在岗 1/2; deleting
// the operator's evening slot (confirmed) leaves 0/2 there. The operator reads
// the roster only, and clocks in and out on the attendance page: the 409 and 404
// answers are said plainly, the report marks 迟到 / 早退, yesterday's missed
// slot 缺勤. The guard has none of the three pages.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, newPage, login } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// --- Site time (the browser runs in UTC; the site in its own zone) ------------------------

async function siteZone() {
  const s = await api('shift_leader');
  return (await s('GET', 'me')).site.timezone;
}

function zoneHelpers(tz) {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const parts = (ms) => Object.fromEntries(fmt.formatToParts(new Date(ms)).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
  const day = (ms) => { const p = parts(ms); return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`; };
  const addDays = (ymd, n) => { const [y, m, d] = ymd.split('-').map(Number); return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10); };
  // Site wall-clock hour of a day → ISO instant (ms precision, as the console sends it).
  const at = (ymd, hour) => {
    if (hour >= 24) return at(addDays(ymd, 1), hour - 24);
    const [y, m, d] = ymd.split('-').map(Number);
    const wall = Date.UTC(y, m - 1, d, hour);
    const p = parts(wall);
    return new Date(wall - (Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute) - wall)).toISOString();
  };
  const today = day(Date.now());
  const monday = addDays(today, -((new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7));
  return { day, addDays, at, today, monday };
}

async function api(user) {
  const res = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password: PASSWORD }),
  });
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  await res.arrayBuffer();
  assert.ok(res.ok && cookie, `login as ${user}`);
  return async (method, p, body, expect = null) => {
    const r = await fetch(`${BASE}/api/v1/${p}`, { method, headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const j = await r.json().catch(() => null);
    if (expect !== null) { assert.equal(r.status, expect, `${method} ${p}`); return j; }
    assert.ok(r.ok, `${method} ${p}: HTTP ${r.status} ${JSON.stringify(j)}`);
    return j;
  };
}

async function live(page) {
  await page.waitForSelector('[data-testid="live-indicator"][data-state="connected"]');
}

const seg = (page, kind, start, end) => page.locator(`[data-testid="coverage-seg"][data-kind="${kind}"][data-start="${start}"][data-end="${end}"]`);

// Segments as [{kind, staffed, start, end}].
async function segments(page) {
  return page.getByTestId('coverage-seg').evaluateAll((els) => els.map((e) => ({ kind: e.dataset.kind, staffed: e.dataset.staffed, start: e.dataset.start, end: e.dataset.end, text: e.textContent })));
}

async function addSlot(page, { person, date, quick }) {
  await page.getByTestId('roster-form-person').selectOption(person);
  await page.getByTestId('roster-form-date').fill(date);
  await page.getByTestId(`roster-quick-${quick}`).click();
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/roster'));
  await page.getByTestId('roster-form-submit').click();
  return posted;
}

test('shift leader rosters next Wednesday 3×8; the strip turns green where two trained people are on duty', async () => {
  const z = zoneHelpers(await siteZone());
  const nextMonday = z.addDays(z.monday, 7);
  const D = z.addDays(nextMonday, 2);     // next week's Wednesday
  const page = await newPage(browser);
  await login(page, 'shift_leader');

  // The three pages sit in the 值班 section, in this order.
  const navs = await page.locator('.nav-section', { has: page.getByTestId('nav-duty-log') }).locator('.nav-item').evaluateAll((a) => a.map((x) => x.dataset.page));
  assert.deepEqual(navs.filter((p) => ['roster', 'training', 'attendance'].includes(p)), ['roster', 'training', 'attendance']);
  assert.equal((await page.getByTestId('nav-roster').textContent()).trim(), '排班与值守');
  assert.equal((await page.getByTestId('nav-training').textContent()).trim(), '培训记录');
  assert.equal((await page.getByTestId('nav-attendance').textContent()).trim(), '考勤');

  await page.getByTestId('nav-roster').click();
  await page.getByTestId('page-roster').waitFor();
  await live(page);
  assert.equal(await page.getByTestId('page-title').textContent(), '排班与值守');
  // The week starts on the site's Monday.
  await page.waitForSelector(`[data-testid="roster-label"][data-monday="${z.monday}"]`);
  await page.getByTestId('roster-next').click();
  await page.waitForSelector(`[data-testid="roster-label"][data-monday="${nextMonday}"]`);
  await page.waitForURL(new RegExp(`week=${nextMonday}`));

  // Nothing rostered: a helpful empty state, the whole week one red gap 在岗 0/2.
  const empty = page.getByTestId('roster-empty');
  await empty.waitFor();
  assert.match(await empty.textContent(), /尚未排班/);
  assert.match(await empty.textContent(), /08–16/);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="coverage-seg"]').length > 0);
  assert.deepEqual((await segments(page)).map((s) => [s.kind, s.staffed, s.start, s.end, s.text]),
    [['gap', '0', z.at(nextMonday, 0), z.at(z.addDays(nextMonday, 7), 0), '在岗 0/2']]);
  assert.equal(await page.getByTestId('coverage-pct').getAttribute('data-pct'), '0.0');

  // The person is a dropdown even without user.read: GET /people?purpose=rosterable
  // gives the active operators and shift leaders (names and roles only). A guard
  // is not offered; that the server refuses one anyway is tested at the API level
  // (tests/integration/test_desk.c, test_roster_refuses_non_rosterable).
  const personSel = page.getByTestId('roster-form-person');
  await page.waitForSelector('select[data-testid="roster-form-person"] option[value="operator"]', { state: 'attached' });
  const offered = await personSel.locator('option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
  assert.deepEqual([...offered].sort(), ['operator', 'shift_leader']);
  assert.match(await personSel.locator('option[value="operator"]').textContent(), /值班员/);

  // Nothing picked: said on the field, nothing sent.
  await page.getByTestId('roster-form-date').fill(D);
  await page.getByTestId('roster-quick-8').click();
  let sent = 0;
  const onReq = (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/roster')) sent += 1; };
  page.on('request', onReq);
  await page.getByTestId('roster-form-submit').click();
  const personErr = page.getByTestId('roster-form-error-username');
  await personErr.waitFor();
  assert.equal(await personSel.getAttribute('aria-invalid'), 'true');
  page.off('request', onReq);
  assert.equal(sent, 0);

  // 08–16 for the operator: the quick button fills the times; the slot is sent as UTC.
  await personSel.selectOption('operator');
  assert.equal(await personErr.isHidden(), true);
  await page.getByTestId('roster-quick-8').click();
  assert.equal(await page.getByTestId('roster-form-start').inputValue(), '08:00');
  assert.equal(await page.getByTestId('roster-form-end').inputValue(), '16:00');
  assert.equal(await page.getByTestId('roster-quick-8').getAttribute('aria-pressed'), 'true');
  const preview = page.getByTestId('roster-form-preview');
  assert.equal(await preview.getAttribute('data-start'), z.at(D, 8));
  assert.equal(await preview.getAttribute('data-end'), z.at(D, 16));
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/roster'));
  await page.getByTestId('roster-form-submit').click();
  let res = await posted;
  assert.equal(res.status(), 201);
  assert.deepEqual(JSON.parse(res.request().postData()), { username: 'operator', start: z.at(D, 8), end: z.at(D, 16) });
  await page.locator('[data-testid="roster-slot"][data-username="operator"]').waitFor();

  // The same for the shift leader; then the operator 16–24 (the end is the next midnight).
  res = await addSlot(page, { person: 'shift_leader', date: D, quick: 8 });
  assert.equal(res.status(), 201);
  res = await addSlot(page, { person: 'operator', date: D, quick: 16 });
  assert.equal(res.status(), 201);
  assert.deepEqual(JSON.parse(res.request().postData()), { username: 'operator', start: z.at(D, 16), end: z.at(D, 24) });
  await page.waitForSelector('[data-testid="roster-week-meta"][data-n="3"]');
  assert.equal(await page.getByTestId('roster-row').count() >= 2, true);
  // Nobody is trained: every bar is marked, and the whole week is still a gap of 0.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="roster-slot"]')].length === 3
    && [...document.querySelectorAll('[data-testid="roster-slot"]')].every((b) => b.dataset.untrained === 'true'));
  const gaps0 = await segments(page);
  assert.equal(gaps0.length, 1);
  assert.equal(gaps0[0].kind, 'gap');
  assert.equal(gaps0[0].staffed, '0');
  assert.ok(await page.getByTestId('legend-untrained').isVisible());
  assert.ok(await page.getByTestId('legend-gap').isVisible());
  assert.equal(await page.getByTestId('roster-person-untrained').count() >= 2, true);

  // 培训记录: both required courses for both people.
  await page.getByTestId('roster-tab-training').click();
  await page.getByTestId('page-training').waitFor();
  await page.getByTestId('training-form').waitFor();
  for (const person of ['operator', 'shift_leader']) {
    await page.getByTestId('training-form-person').selectOption(person);
    await page.getByTestId('training-form-course-system_operation').check();
    await page.getByTestId('training-form-course-fire_knowledge').check();
    const saved = [];
    const onRes = (r) => { if (r.request().method() === 'POST' && r.url().endsWith('/api/v1/training')) saved.push(r); };
    page.on('response', onRes);
    await page.getByTestId('training-form-submit').click();
    await page.waitForSelector(`[data-testid="training-person"][data-username="${person}"][data-qualified="true"]`);
    page.off('response', onRes);
    assert.deepEqual(saved.map((r) => r.status()), [201, 201]);
    assert.deepEqual(saved.map((r) => JSON.parse(r.request().postData()).course).sort(), ['fire_knowledge', 'system_operation']);
  }
  const cell = page.locator('[data-testid="training-cell"][data-username="operator"][data-course="fire_knowledge"]');
  assert.equal(await cell.getAttribute('data-state'), 'valid');
  assert.equal(await page.locator('[data-testid="training-cell"][data-username="operator"][data-course="security_awareness"]').getAttribute('data-state'), 'none');

  // Back to the week: 08–16 green, 16–24 a gap of one, the rest of the week 0/2.
  await page.getByTestId('roster-tab-roster').click();
  await page.getByTestId('page-roster').waitFor();
  await page.getByTestId('roster-next').click();
  await page.waitForSelector(`[data-testid="roster-label"][data-monday="${nextMonday}"]`);
  await seg(page, 'ok', z.at(D, 8), z.at(D, 16)).waitFor();
  const one = seg(page, 'gap', z.at(D, 16), z.at(D, 24));
  await one.waitFor();
  assert.equal(await one.getAttribute('data-staffed'), '1');
  assert.match(await one.textContent(), /1\/2/);
  assert.match(await one.getAttribute('title'), /在岗 1\/2/);
  assert.equal(await seg(page, 'gap', z.at(nextMonday, 0), z.at(D, 8)).getAttribute('data-staffed'), '0');
  assert.equal(await page.getByTestId('coverage-pct').getAttribute('data-pct'), (8 / 168 * 100).toFixed(1));
  const gapItem = page.locator(`[data-testid="coverage-gap"][data-start="${z.at(D, 16)}"]`);
  assert.match(await gapItem.textContent(), /在岗 1\/2/);
  assert.equal(await page.locator('[data-testid="roster-slot"][data-untrained="true"]').count(), 0);

  // Delete the operator's evening slot, confirmed: 16–24 has nobody again.
  const evening = page.locator(`[data-testid="roster-slot"][data-username="operator"][data-start="${z.at(D, 16)}"]`);
  await evening.click();
  await page.getByTestId('roster-detail').waitFor();
  await page.getByTestId('roster-delete').click();
  const dlg = page.getByTestId('confirm-dialog');
  await dlg.waitFor();
  assert.match(await dlg.getByTestId('confirm-text').textContent(), /王静/);
  const del = page.waitForResponse((r) => r.request().method() === 'DELETE' && /\/api\/v1\/roster\/\d+$/.test(r.url()));
  await page.getByTestId('confirm-ok').click();
  assert.equal((await del).status(), 204);
  await evening.waitFor({ state: 'detached' });
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="coverage-seg"]')].some((s) => s.dataset.staffed === '1'));
  await seg(page, 'ok', z.at(D, 8), z.at(D, 16)).waitFor();

  // English.
  await page.getByTestId('lang-switch').locator('[data-lang="en"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="page-title"]')?.textContent === 'Roster & coverage');
  await page.waitForSelector(`[data-testid="roster-label"][data-monday="${nextMonday}"]`);   // the week stays in the address
  await seg(page, 'ok', z.at(D, 8), z.at(D, 16)).waitFor();
  assert.match(await page.getByTestId('coverage-gaps').textContent(), /On duty 0\/2/);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('operator reads the roster, clocks in and out; 409 / 404 said plainly; the report marks late, early and absent', async () => {
  const z = zoneHelpers(await siteZone());
  const sl = await api('shift_leader');
  const now = Date.now();
  // The operator's slot started two hours ago; the shift leader missed one yesterday.
  await sl('POST', 'roster', { username: 'operator', start: new Date(now - 2 * 3600e3).toISOString(), end: new Date(now + 3600e3).toISOString(), note: '考勤测试' });
  const yesterday = z.addDays(z.today, -1);
  await sl('POST', 'roster', { username: 'shift_leader', start: z.at(yesterday, 8), end: z.at(yesterday, 16) });

  const page = await newPage(browser);
  await login(page, 'operator');

  // The roster is read-only for the operator: no form, no delete.
  await page.getByTestId('nav-roster').click();
  await page.getByTestId('page-roster').waitFor();
  await page.getByTestId('roster-readonly').waitFor();
  assert.equal(await page.getByTestId('roster-form').count(), 0);
  await page.getByTestId('roster-next').click();
  await page.locator('[data-testid="roster-slot"]').first().click();
  await page.getByTestId('roster-detail').waitFor();
  assert.equal(await page.getByTestId('roster-delete').count(), 0);

  await page.getByTestId('nav-attendance').click();
  await page.getByTestId('page-attendance').waitFor();
  await live(page);
  // The state comes from the server (GET /attendance/me), not from what this
  // browser remembers: on a fresh daemon the operator has not clocked in yet.
  const state = page.getByTestId('clock-state');
  await page.waitForSelector('[data-testid="clock-state"][data-state="out"]');
  assert.match(await state.textContent(), /未上班打卡/);
  assert.match(await state.textContent(), /以服务器的打卡结果为准/);
  assert.match(await page.locator('.att-btn-next').getAttribute('data-testid'), /clock-in/);
  const row = page.locator('[data-testid="attendance-row"][data-username="operator"]');
  await row.waitFor();
  assert.equal(await row.getAttribute('data-absent'), 'true');
  assert.match(await page.getByTestId('clock-my-slots').textContent(), /您今天的班次/);

  // Clock in: the state says so; the slot started two hours ago → 迟到.
  await page.getByTestId('clock-in').click();
  await page.waitForSelector('[data-testid="clock-msg"][data-kind="ok"]');
  await page.waitForSelector('[data-testid="clock-state"][data-state="in"]');
  assert.match(await state.textContent(), /已上班打卡/);
  await page.waitForSelector('[data-testid="attendance-row"][data-username="operator"][data-late="true"]');
  assert.deepEqual(await row.getByTestId('attendance-badge').evaluateAll((b) => b.map((x) => x.textContent)), ['迟到']);
  // The primary button is now 下班打卡; clocking in again is refused (409).
  assert.match(await page.locator('.att-btn-next').getAttribute('data-testid'), /clock-out/);
  let answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/attendance/clock-in'));
  await page.getByTestId('clock-in').click();
  assert.equal((await answer).status(), 409);
  const msg = page.getByTestId('clock-msg');
  await page.waitForSelector('[data-testid="clock-msg"][data-kind="conflict"]');
  assert.match(await msg.textContent(), /您已经上班打卡/);
  assert.equal(await msg.getAttribute('role'), 'alert');
  assert.equal(await state.getAttribute('data-state'), 'in');

  // Clock out an hour before the end → 早退 as well.
  await page.getByTestId('clock-out').click();
  await page.waitForSelector('[data-testid="clock-msg"][data-kind="ok"]');
  await page.waitForSelector('[data-testid="clock-state"][data-state="out"]');
  await page.waitForSelector('[data-testid="attendance-row"][data-username="operator"][data-left-early="true"]');
  assert.deepEqual(await row.getByTestId('attendance-badge').evaluateAll((b) => b.map((x) => x.textContent)), ['迟到', '早退']);
  assert.equal(await page.getByTestId('attendance-count-late').getAttribute('data-n'), '1');
  assert.equal(await page.getByTestId('attendance-count-leftEarly').getAttribute('data-n'), '1');
  // Clocking out again: not clocked in (404).
  answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/attendance/clock-out'));
  await page.getByTestId('clock-out').click();
  assert.equal((await answer).status(), 404);
  await page.waitForSelector('[data-testid="clock-msg"][data-kind="notin"]');
  assert.match(await msg.textContent(), /您还没有上班打卡/);

  // Yesterday: the shift leader's slot without any clock record → 缺勤.
  await page.getByTestId('attendance-prev').click();
  await page.waitForURL(new RegExp(`date=${yesterday}`));
  const missed = page.locator('[data-testid="attendance-row"][data-username="shift_leader"]');
  await missed.waitFor();
  assert.equal(await missed.getAttribute('data-verdict'), 'absent');
  assert.equal((await missed.getByTestId('attendance-badge').textContent()).trim(), '缺勤');
  assert.equal(await page.getByTestId('attendance-count-absent').getAttribute('data-n'), '1');
  // The clock panel still shows today's state.
  assert.equal(await state.getAttribute('data-state'), 'out');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('fire alarm knowledge per area: recorded for a garage, shown and filtered by area', async () => {
  const page = await newPage(browser);
  await login(page, 'shift_leader', PASSWORD, '#/training');
  await page.getByTestId('page-training').waitFor();
  await page.getByTestId('training-form').waitFor();
  const areaSel = page.getByTestId('training-form-area');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="training-form-area"] option').length > 1);
  const area = await areaSel.locator('option').nth(1).getAttribute('value');
  const areaName = (await areaSel.locator('option').nth(1).textContent()).trim();
  assert.equal((await areaSel.locator('option').first().textContent()).trim(), '全小区');
  await page.getByTestId('training-form-person').selectOption('operator');
  await page.getByTestId('training-form-course-fire_knowledge').check();
  await areaSel.selectOption(area);
  const res = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/training'));
  await page.getByTestId('training-form-submit').click();
  const r = await res;
  assert.equal(r.status(), 201);
  assert.equal(JSON.parse(r.request().postData()).area_id, Number(area));
  const row = page.locator(`[data-testid="training-record"][data-username="operator"][data-area="${area}"]`);
  await row.waitFor();
  assert.equal((await row.getByTestId('training-record-area').textContent()).trim(), areaName);
  // Filter the history by that area, then by the whole site.
  await page.getByTestId('training-filter-area').selectOption(area);
  await page.waitForFunction((a) => [...document.querySelectorAll('[data-testid="training-record"]')].every((e) => e.dataset.area === a), area);
  assert.ok(await row.isVisible());
  await page.getByTestId('training-filter-area').selectOption('site');
  await row.waitFor({ state: 'detached' });
  assert.ok(await page.locator('[data-testid="training-record"][data-area=""]').count() >= 1);
  // The operator stays qualified (a record for an area counts).
  await page.waitForSelector('[data-testid="training-person"][data-username="operator"][data-qualified="true"]');
  // English.
  await page.getByTestId('lang-switch').locator('[data-lang="en"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="training-filter-area"] option[value="site"]')?.textContent === 'Whole site');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the shift leader makes 2×12 the site\'s pattern; the duty log\'s shifts follow it', async () => {
  const sl = await api('shift_leader');
  const byName = (items, n) => items.find((p) => p.name === n);
  const before = (await sl('GET', 'shift-patterns')).items;
  assert.equal(byName(before, '3x8').site, true);
  const page = await newPage(browser);
  await login(page, 'shift_leader', PASSWORD, '#/roster');
  const form = page.getByTestId('roster-site-pattern-form');
  await form.waitFor();
  const sel = page.getByTestId('roster-site-pattern');
  assert.match(await sel.locator('option:checked').textContent(), /^3x8.*当前$/);
  await sel.selectOption(String(byName(before, '2x12').id));
  const put = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/api/v1/site/shift-pattern'));
  await page.getByTestId('roster-site-pattern-save').click();
  assert.equal((await put).status(), 200);
  await page.getByText('本站班制已改为 2x12').waitFor();
  assert.match(await page.getByTestId('roster-site-pattern').locator('option:checked').textContent(), /^2x12.*当前$/);
  assert.equal(byName((await sl('GET', 'shift-patterns')).items, '2x12').site, true);
  // The duty log's shift tabs are the 12-hour periods now.
  await page.evaluate(() => { location.hash = '#/duty-log'; });
  await page.getByTestId('duty-shift-all').waitFor();
  const labels = await page.getByTestId('duty-shift').allTextContents();
  assert.ok(labels.some((l) => l.includes('08:00–20:00')), labels.join(' | '));
  assert.ok(labels.some((l) => l.includes('20:00–08:00')), labels.join(' | '));
  // A 3×8 shift shows only when entries were recorded in it before the change (they keep it).
  for (const tab of await page.getByTestId('duty-shift').all()) {
    const l = await tab.textContent();
    if (/08:00–16:00|16:00–00:00|00:00–08:00/.test(l)) assert.notEqual(await tab.locator('.duty-shift-count').textContent(), '0', l);
  }
  // Back to 3×8 for the other tests.
  await sl('PUT', 'site/shift-pattern', { pattern_id: byName(before, '3x8').id });
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});

test('the guard has no roster, training or attendance pages', async () => {
  const page = await newPage(browser);
  await login(page, 'guard');
  await page.getByTestId('nav').waitFor();
  for (const id of ['roster', 'training', 'attendance']) assert.equal(await page.getByTestId(`nav-${id}`).count(), 0, id);
  await page.evaluate(() => { location.hash = '#/roster'; });
  await page.getByTestId('page-unavailable').waitFor();
  const g = await api('guard');
  await g('GET', `roster?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3600e3).toISOString())}`, null, 403);
  await g('POST', 'attendance/clock-in', null, 403);
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
});
